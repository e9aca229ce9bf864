package dev.parley.store;

/**
 * A position in a conversation: messages are ordered by hybrid logical clock, then by id, then by sender (the
 * tie-breaks every device agrees on). The sender belongs to the position because ids are per sender: a member
 * who copies another's id and clock still gets a place of its own, before or after the other's, so no page skips
 * either.
 */
public record MessageCursor(long hlc, String messageId, String sender) {
    public MessageCursor {
        Check.present("message id", messageId);
        Check.present("sender", sender);
    }
}
