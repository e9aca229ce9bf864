package dev.parley.store;

import java.sql.SQLException;
import java.util.List;

/** Delivery and read receipts peers sent for our messages; a message's state follows the receipts it gets. */
public final class Receipts {
    private final Database database;

    Receipts(Database database) {
        this.database = database;
    }

    /**
     * Records a receipt and moves the (outgoing) message forward to DELIVERED or READ; a receipt that is already
     * stored, or that would move the message backwards, changes nothing.
     *
     * @throws NotFoundException when the message is not stored
     */
    public InsertOutcome record(Receipt receipt) {
        return database.write(session -> insert(session, receipt, Messages.require(session, receipt.messageId())));
    }

    /** Records {@code receipt} of {@code message}; a message of ours moves on to the state it tells of. */
    static InsertOutcome insert(SqliteSession session, Receipt receipt, StoredMessage message) throws SQLException {
        InsertOutcome outcome = insertRow(session, receipt);
        if (message.direction() == Direction.OUTGOING) {
            Messages.advance(session, message, receipt.kind().state());
        }
        return outcome;
    }

    /** Stores the receipt alone, its message's state as it is (an import brings the state with the message). */
    static InsertOutcome insertRow(SqliteSession session, Receipt receipt) throws SQLException {
        int inserted = session.update("INSERT INTO receipts (message_id, peer_id, kind, at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                receipt.messageId(), receipt.peerId(), receipt.kind(), receipt.at());
        return inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
    }

    /** Every receipt of a message, oldest first (in a room, one per member and kind). */
    public List<Receipt> forMessage(String messageId) {
        return database.read(session -> session.list(
                "SELECT message_id, peer_id, kind, at FROM receipts WHERE message_id = ? ORDER BY at, peer_id, kind",
                row -> new Receipt(row.getString("message_id"), row.getString("peer_id"),
                        SqliteSession.enumValue(row, "kind", ReceiptKind.class), SqliteSession.instant(row, "at")),
                messageId));
    }
}
