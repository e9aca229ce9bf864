package dev.parley.app.engine.api;

/**
 * Where a message is in its life. Ours: SENDING until the peer has stored it, then DELIVERED, then READ once the
 * peer has seen it. SENT in between: a room message's, out to the members that could be reached; a 1:1 message's,
 * left in the peer's mailbox or with a contact who carries it while the peer cannot be reached. Theirs: RECEIVED,
 * then READ once the user has seen it. The declaration order is the order of progress within each direction, and a
 * message only moves forward.
 */
public enum MessageStatus { SENDING, SENT, DELIVERED, RECEIVED, READ }
