package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * A line of a room's conversation: a member's message, or a notice of a membership change (who joined, left, was
 * removed, renamed the room), which every member derives alike from the membership log.
 *
 * @param hlc     the hybrid-logical-clock timestamp the conversation is ordered by, the same on every member's device
 * @param text    a member's message; for a notice its sentence in English, as {@code parley chat} and exports say it
 * @param details reply, forward, edit, deletion and reactions ({@link MessageDetails#NONE} for a plain message)
 * @param parts   for a notice, what happened and to whom, for a view that words it in its own language; empty for a
 *                member's message, and for a notice an older Parley stored as its English sentence (shown as it is)
 */
public record RoomMessage(RoomId room, MessageId id, PeerId sender, String senderName, boolean outgoing,
                          boolean notice, String text, long hlc, Instant sentAt, MessageDetails details,
                          Optional<RoomNotice> parts) {
    public RoomMessage {
        if (parts.isPresent() && !notice) {
            throw new IllegalArgumentException("only a notice has notice parts");
        }
    }

    /** A line without notice parts: a member's message, or a notice stored as its sentence. */
    public RoomMessage(RoomId room, MessageId id, PeerId sender, String senderName, boolean outgoing,
                       boolean notice, String text, long hlc, Instant sentAt, MessageDetails details) {
        this(room, id, sender, senderName, outgoing, notice, text, hlc, sentAt, details, Optional.empty());
    }

    /** A plain message or a notice: no reply, reactions or edits. */
    public RoomMessage(RoomId room, MessageId id, PeerId sender, String senderName, boolean outgoing,
                       boolean notice, String text, long hlc, Instant sentAt) {
        this(room, id, sender, senderName, outgoing, notice, text, hlc, sentAt, MessageDetails.NONE);
    }
}
