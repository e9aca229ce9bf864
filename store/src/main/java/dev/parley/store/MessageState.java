package dev.parley.store;

/**
 * Where a message is in its life. Outgoing: SENDING → SENT → DELIVERED → READ. Incoming: RECEIVED → READ (read
 * by the user; unread counts count RECEIVED). The declaration order is the order of progress within each
 * direction, and states only move forward.
 */
public enum MessageState {
    SENDING, SENT, DELIVERED, RECEIVED, READ;

    /** Whether a message of this direction may be in this state. */
    public boolean allowedFor(Direction direction) {
        return switch (this) {
            case SENDING, SENT, DELIVERED -> direction == Direction.OUTGOING;
            case RECEIVED -> direction == Direction.INCOMING;
            case READ -> true;
        };
    }
}
