package dev.parley.store;

import java.sql.SQLException;

/**
 * Delivery and read receipts peers sent for our messages; a message's state follows the receipts it gets. A
 * receipt names the message it is about by its whole {@link MessageKey}: a receipt from one peer reaches only the
 * message the caller looked up for it (ours, in our conversation with that peer), whatever ids it carries.
 */
public final class Receipts {
    private static final String INSERT = "INSERT INTO receipts (message_seq, peer_id, kind, at)"
            + " SELECT seq, ?, ?, ? FROM messages" + Messages.BY_KEY + " ON CONFLICT DO NOTHING";

    private final Database database;

    Receipts(Database database) {
        this.database = database;
    }

    /**
     * Records a receipt of {@code message} and moves the message, if it is ours (outgoing), forward to DELIVERED
     * or READ; a receipt that is already stored, or that would move the message backwards, changes nothing.
     *
     * @throws NotFoundException when the message is not stored
     */
    public InsertOutcome record(MessageKey message, Receipt receipt) {
        return database.write(session -> insert(session, Messages.require(session, message), receipt));
    }

    /** Records {@code receipt} of {@code message}; a message of ours moves on to the state it tells of. */
    static InsertOutcome insert(SqliteSession session, StoredMessage message, Receipt receipt) throws SQLException {
        InsertOutcome outcome = insertRow(session, message.key(), receipt);
        if (message.direction() == Direction.OUTGOING) {
            Messages.advance(session, message, receipt.kind().state());
        }
        return outcome;
    }

    /**
     * Stores the receipt alone, its message's state as it is (an import brings the state with the message). A
     * message that is not stored takes no receipt.
     */
    static InsertOutcome insertRow(SqliteSession session, MessageKey message, Receipt receipt) throws SQLException {
        int inserted = session.update(INSERT, receipt.peerId(), receipt.kind(), receipt.at(), message.id(),
                message.conversationId(), message.sender());
        return inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
    }
}
