package dev.parley.store;

import java.time.Instant;

/**
 * A message as the store keeps it; the same record goes in ({@link Messages#insert}) and comes out.
 *
 * @param id             the message id from the envelope; with the conversation and the sender it identifies the
 *                       message ({@link #key()}): the same id from another sender is another message
 * @param conversationId the conversation, which must exist
 * @param sender         the author's PeerId, as text
 * @param hlc            the hybrid-logical-clock timestamp, the order of the conversation
 * @param sentAt         when the author says it was sent
 * @param receivedAt     when this device stored it (for our own messages, when it was written)
 * @param body           the text; at most {@link StoreLimits#MAX_BODY_BYTES} UTF-8 bytes (checked on insert)
 */
public record StoredMessage(String id, String conversationId, String sender, long hlc, Instant sentAt,
                            Instant receivedAt, Direction direction, MessageKind kind, String body,
                            MessageState state) {
    public StoredMessage {
        Check.id("message id", id);
        Check.id("conversation id", conversationId);
        Check.id("sender", sender);
        sentAt = Check.time("sent at", sentAt);
        receivedAt = Check.time("received at", receivedAt);
        Check.present("direction", direction);
        Check.present("message kind", kind);
        Check.present("body", body);
        Check.present("message state", state);
        if (!state.allowedFor(direction)) {
            throw new InvalidInputException("message " + id + " is " + direction + " and cannot be " + state);
        }
    }

    /** What identifies this message: the store finds it by this, never by its id alone. */
    public MessageKey key() {
        return new MessageKey(conversationId, sender, id);
    }

    /** Where this message sits in its conversation, for paging and marking read. */
    public MessageCursor cursor() {
        return new MessageCursor(hlc, id, sender);
    }
}
