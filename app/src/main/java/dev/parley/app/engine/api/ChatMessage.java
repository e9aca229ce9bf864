package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * A message of a 1:1 conversation as the engine shows it.
 *
 * @param peer     the other person of the conversation (the sender of an incoming message, the recipient of ours)
 * @param outgoing whether we wrote it
 * @param hlc      its hybrid-logical-clock timestamp (the engine's {@code HybridClock}): the conversation's order
 * @param sentAt   when the sender says it was sent
 * @param status   SENDING until the peer stored it, then DELIVERED, then READ; incoming ones RECEIVED, then READ
 * @param details  reply, forward, edit, deletion and reactions ({@link MessageDetails#NONE} for a plain message)
 * @param notice   for a notice line that Parley wrote into the conversation (nobody sent it, nobody acts on it), what
 *                 it says happened; {@code text} is then its English sentence
 */
public record ChatMessage(MessageId id, PeerId peer, boolean outgoing, String text, long hlc, Instant sentAt,
                          MessageStatus status, MessageDetails details, Optional<ChatNotice> notice) {
    /** A message someone wrote, with its reply, reactions and edits. */
    public ChatMessage(MessageId id, PeerId peer, boolean outgoing, String text, long hlc, Instant sentAt,
                       MessageStatus status, MessageDetails details) {
        this(id, peer, outgoing, text, hlc, sentAt, status, details, Optional.empty());
    }

    /** A plain message: no reply, reactions or edits. */
    public ChatMessage(MessageId id, PeerId peer, boolean outgoing, String text, long hlc, Instant sentAt,
                       MessageStatus status) {
        this(id, peer, outgoing, text, hlc, sentAt, status, MessageDetails.NONE);
    }

    /** The same message showing {@code shown} as its text (a notice worded in a view's language). */
    public ChatMessage withText(String shown) {
        return new ChatMessage(id, peer, outgoing, shown, hlc, sentAt, status, details, notice);
    }

    /** The same message in {@code state}. */
    public ChatMessage withStatus(MessageStatus state) {
        return new ChatMessage(id, peer, outgoing, text, hlc, sentAt, state, details, notice);
    }

    /** The same message with {@code given} details. */
    public ChatMessage withDetails(MessageDetails given) {
        return new ChatMessage(id, peer, outgoing, text, hlc, sentAt, status, given, notice);
    }
}
