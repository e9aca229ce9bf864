package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Envelopes not yet acknowledged, one entry per recipient. An entry stays until its recipient acknowledges it,
 * and is sent again on every reconnect: delivery is at least once. Entries are found by the envelope's id and the
 * recipient: the ids are ours (we sealed the envelopes), and only an entry queued for that recipient takes its
 * acknowledgement. An entry for a message of ours refers to the stored message itself
 * ({@link Messages#insertAndQueueAsync}), not to its id.
 */
public final class Outbox {
    private final Database database;

    Outbox(Database database) {
        this.database = database;
    }

    /**
     * Queues an envelope for one recipient; a second add of the same (message, recipient) is a no-op
     * ({@link InsertOutcome#DUPLICATE}). The future completes once the entry is durable. Entries added from one
     * thread share commits, so queueing one envelope each to many recipients costs few fsyncs.
     */
    public CompletableFuture<InsertOutcome> addAsync(String messageId, String recipient, byte[] envelope,
                                                     Instant createdAt) {
        checkEntry(messageId, List.of(recipient), envelope);
        Instant created = Check.time("created at", createdAt);
        return database.writeAsync(session -> queue(session, messageId, List.of(recipient), envelope, created, null)
                .getFirst());
    }

    static void checkEntry(String messageId, List<String> recipients, byte[] envelope) {
        Check.id("message id", messageId);
        recipients.forEach(recipient -> Check.id("recipient", recipient));
        Check.present("envelope", envelope);
    }

    /** @param messageSeq the row of the stored message the envelope carries; null for other envelopes */
    static List<InsertOutcome> queue(SqliteSession session, String messageId, List<String> recipients,
                                     byte[] envelope, Instant createdAt, Long messageSeq) throws SQLException {
        InsertOutcome[] outcomes = new InsertOutcome[recipients.size()];
        for (int i = 0; i < outcomes.length; i++) {
            int inserted = session.update("INSERT INTO outbox (message_id, recipient, envelope, created_at,"
                            + " message_seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, recipient) DO NOTHING",
                    messageId, recipients.get(i), envelope, createdAt, messageSeq);
            outcomes[i] = inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
        }
        return List.of(outcomes);
    }

    /** The oldest {@code limit} envelopes waiting for {@code recipient}, in the order they were queued. */
    public List<OutboxEntry> pending(String recipient, int limit) {
        Check.limit(limit);
        return database.read(session -> session.list("""
                SELECT message_id, recipient, envelope, created_at FROM outbox
                WHERE recipient = ? ORDER BY seq LIMIT ?""", Outbox::read, recipient, limit));
    }

    /** Every recipient with at least one envelope waiting (the peers worth dialling). */
    public List<String> recipients() {
        return database.read(session -> session.list("SELECT DISTINCT recipient FROM outbox ORDER BY recipient",
                row -> row.getString(1)));
    }

    /**
     * The recipient acknowledged the envelope, having stored it: in one write, the entry leaves the outbox and, if
     * the envelope carried a stored message of ours, the recipient's DELIVERED receipt is recorded for that
     * message. The future completes once that is durable, with whether this ack delivered a message (false for a
     * repeated ack, an envelope that was not queued for this recipient, or one that carried no stored message, like
     * a receipt).
     */
    public CompletableFuture<Boolean> acknowledgeAsync(String messageId, String recipient, Instant at) {
        Instant acknowledgedAt = Check.time("acknowledged at", at);
        return database.writeAsync(session -> {
            Optional<StoredMessage> carried = session.first("SELECT " + Messages.COLUMNS + " FROM messages"
                    + " WHERE seq = (SELECT message_seq FROM outbox WHERE message_id = ? AND recipient = ?)",
                    Messages::read, messageId, recipient);
            if (session.update("DELETE FROM outbox WHERE message_id = ? AND recipient = ?", messageId, recipient) == 0) {
                return false;
            }
            Optional<StoredMessage> delivered = carried.filter(m -> m.direction() == Direction.OUTGOING);
            if (delivered.isEmpty()) {
                return false;
            }
            Receipts.insert(session, delivered.get(), new Receipt(recipient, ReceiptKind.DELIVERED, acknowledgedAt));
            return true;
        });
    }

    private static OutboxEntry read(ResultSet row) throws SQLException {
        return new OutboxEntry(row.getString("message_id"), row.getString("recipient"), row.getBytes("envelope"),
                SqliteSession.instant(row, "created_at"));
    }
}
