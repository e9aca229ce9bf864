package dev.parley.store;

/**
 * A position in a conversation: messages are ordered by hybrid logical clock, then by id (the tie-break every
 * device agrees on).
 */
public record MessageCursor(long hlc, String messageId) {
    public MessageCursor {
        Check.present("message id", messageId);
    }
}
