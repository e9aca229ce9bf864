package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Envelopes not yet acknowledged, one entry per recipient. An entry stays until its recipient acknowledges it,
 * and is sent again on every reconnect: delivery is at least once. Entries are found by the envelope's id and the
 * recipient: the ids are ours (we sealed the envelopes), and only an entry queued for that recipient takes its
 * acknowledgement. An entry for a message of ours refers to the stored message itself
 * ({@link Messages#insertAndQueueAsync}), not to its id.
 *
 * <p>An entry for a contact with whom the app has a session may keep its recipe (the plaintext to seal it from)
 * and wait, without an envelope, for a session to be sealed under; only entries with an envelope are
 * {@link #pending}, and acknowledging works alike for both.
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
        return addAsync(messageId, recipient, Check.present("envelope", envelope), null, createdAt);
    }

    /**
     * Queues an entry for one recipient with its envelope, its recipe (the app's plaintext to seal it under the
     * recipient's session), or both; an entry with no envelope waits ({@link #waiting}) until {@link #sealAsync}
     * gives it one. Otherwise as {@link #addAsync(String, String, byte[], Instant)}.
     *
     * @throws InvalidInputException when both are missing
     */
    public CompletableFuture<InsertOutcome> addAsync(String messageId, String recipient, byte[] envelope,
                                                     byte[] recipe, Instant createdAt) {
        checkEntry(messageId, List.of(recipient), envelope, recipe);
        Instant created = Check.time("created at", createdAt);
        return database.writeAsync(session -> queue(session, messageId, List.of(recipient), envelope, recipe, created,
                null).getFirst());
    }

    static void checkEntry(String messageId, List<String> recipients, byte[] envelope, byte[] recipe) {
        Check.id("message id", messageId);
        recipients.forEach(recipient -> Check.id("recipient", recipient));
        if (envelope == null && recipe == null) {
            throw new InvalidInputException("outbox entry " + messageId + " has neither an envelope nor a recipe");
        }
    }

    /**
     * @param envelope   the sealed envelope, or null while the entry waits for a session
     * @param recipe     what the app seals the entry from again, or null for an entry that is only its envelope
     * @param messageSeq the row of the stored message the envelope carries; null for other envelopes
     */
    static List<InsertOutcome> queue(SqliteSession session, String messageId, List<String> recipients,
                                     byte[] envelope, byte[] recipe, Instant createdAt, Long messageSeq)
            throws SQLException {
        InsertOutcome[] outcomes = new InsertOutcome[recipients.size()];
        for (int i = 0; i < outcomes.length; i++) {
            int inserted = session.update("INSERT INTO outbox (message_id, recipient, envelope, recipe, created_at,"
                            + " message_seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, recipient) DO NOTHING",
                    messageId, recipients.get(i), envelope, recipe, createdAt, messageSeq);
            outcomes[i] = inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
        }
        return List.of(outcomes);
    }

    /**
     * The oldest {@code limit} envelopes waiting for {@code recipient}, in the order they were queued: only entries
     * that have one (what can be sent now), not those waiting for a session.
     */
    public List<OutboxEntry> pending(String recipient, int limit) {
        Check.limit(limit);
        return database.read(session -> session.list("""
                SELECT message_id, recipient, envelope, created_at FROM outbox
                WHERE recipient = ? AND envelope IS NOT NULL ORDER BY seq LIMIT ?""", Outbox::read, recipient, limit));
    }

    /**
     * Like {@link #pending}, only the envelopes held nowhere else yet ({@link #holdAsync}): what to leave in the
     * recipient's mailbox while it is offline.
     */
    public List<OutboxEntry> unheld(String recipient, int limit) {
        Check.limit(limit);
        return database.read(session -> session.list("""
                SELECT message_id, recipient, envelope, created_at FROM outbox
                WHERE recipient = ? AND envelope IS NOT NULL AND held_by IS NULL ORDER BY seq LIMIT ?""", Outbox::read,
                recipient, limit));
    }

    /**
     * Like {@link #pending}, only the envelopes no mailbox holds (held nowhere, or by carriers, as {@code held_by}
     * names them: "mailbox …" or "carrier …"): what may go to the recipient's mailbox or to more carriers.
     */
    public List<OutboxEntry> notInMailbox(String recipient, int limit) {
        Check.limit(limit);
        return database.read(session -> session.list("""
                SELECT message_id, recipient, envelope, created_at FROM outbox
                WHERE recipient = ? AND envelope IS NOT NULL AND (held_by IS NULL OR held_by NOT LIKE 'mailbox %')
                ORDER BY seq LIMIT ?""", Outbox::read, recipient, limit));
    }

    /**
     * These entries' envelopes are held for {@code recipient} by {@code holder} (its mailbox, say) since {@code at}:
     * each stays in the outbox until the recipient acknowledges it, and the message it carries, if any, becomes
     * {@link MessageState#SENT}. Entries acknowledged meanwhile are skipped. Completes once durable with the ids of
     * the messages that became SENT.
     */
    public CompletableFuture<List<String>> holdAsync(List<String> messageIds, String recipient, String holder,
                                                     Instant at) {
        Check.id("recipient", recipient);
        Check.id("holder", holder);
        Instant heldAt = Check.time("held at", at);
        List<String> ids = List.copyOf(messageIds);
        ids.forEach(id -> Check.id("message id", id));
        return database.writeAsync(session -> {
            List<String> sent = new ArrayList<>();
            for (String id : ids) {
                if (session.update("UPDATE outbox SET held_by = ?, held_at = ? WHERE message_id = ? AND recipient = ?"
                        + " AND envelope IS NOT NULL", holder, heldAt, id, recipient) == 0) {
                    continue;
                }
                Optional<StoredMessage> carried = session.first("SELECT " + Messages.COLUMNS + " FROM messages"
                        + " WHERE seq = (SELECT message_seq FROM outbox WHERE message_id = ? AND recipient = ?)",
                        Messages::read, id, recipient);
                if (carried.isPresent() && carried.get().direction() == Direction.OUTGOING
                        && Messages.advance(session, carried.get(), MessageState.SENT)) {
                    sent.add(carried.get().id());
                }
            }
            return sent;
        });
    }

    /**
     * {@code holder} holds nothing for {@code recipient} any more (a mailbox the recipient left): its entries are held
     * nowhere again, and go again. Completes, once durable, with how many.
     */
    public CompletableFuture<Integer> releaseAsync(String recipient, String holder) {
        Check.id("recipient", recipient);
        Check.id("holder", holder);
        return database.writeAsync(session -> session.update("UPDATE outbox SET held_by = NULL, held_at = NULL"
                + " WHERE recipient = ? AND held_by = ?", recipient, holder));
    }

    /** Who holds the envelope of this entry for its recipient besides our outbox, if anyone ({@link #holdAsync}). */
    public Optional<String> heldBy(String messageId, String recipient) {
        return database.read(session -> session.first("SELECT held_by FROM outbox WHERE message_id = ? AND recipient = ?"
                + " AND held_by IS NOT NULL", row -> row.getString(1), messageId, recipient));
    }

    /** The entries for {@code recipient} that wait for a session to be sealed under, in the order they were queued. */
    public List<WaitingEntry> waiting(String recipient) {
        return database.read(session -> session.list("""
                SELECT message_id, recipient, recipe, created_at FROM outbox
                WHERE recipient = ? AND envelope IS NULL ORDER BY seq""", Outbox::readWaiting, recipient));
    }

    /**
     * The entries for {@code recipient} sealed already and kept with their recipe, in the order they were queued:
     * what must be sealed again should the session they were sealed under be lost.
     */
    public List<WaitingEntry> sealedWithRecipe(String recipient) {
        return database.read(session -> session.list("""
                SELECT message_id, recipient, recipe, created_at FROM outbox
                WHERE recipient = ? AND envelope IS NOT NULL AND recipe IS NOT NULL ORDER BY seq""",
                Outbox::readWaiting, recipient));
    }

    /**
     * Gives entries of {@code recipient} their envelopes, by message id, keeping their recipes (a later renewal of
     * the session may need them again). Only entries that still exist and have a recipe take one; ids without such
     * an entry (acknowledged meanwhile, say) are skipped. Completes, once durable, with the ids sealed, in the order
     * their entries were queued.
     */
    public CompletableFuture<List<String>> sealAsync(String recipient, Map<String, byte[]> envelopesById) {
        Check.id("recipient", recipient);
        Map<String, byte[]> envelopes = Map.copyOf(envelopesById);
        envelopes.forEach((id, envelope) -> {
            Check.id("message id", id);
            Check.present("envelope", envelope);
        });
        return database.writeAsync(session -> {
            TreeMap<Long, String> sealed = new TreeMap<>();
            for (Map.Entry<String, byte[]> entry : envelopes.entrySet()) {
                Optional<Long> seq = session.first("SELECT seq FROM outbox WHERE message_id = ? AND recipient = ?"
                        + " AND recipe IS NOT NULL", row -> row.getLong(1), entry.getKey(), recipient);
                if (seq.isPresent()) {
                    // A copy held elsewhere was sealed under the session before: the new envelope is held nowhere yet.
                    session.update("UPDATE outbox SET envelope = ?, held_by = NULL, held_at = NULL WHERE seq = ?",
                            entry.getValue(), seq.get());
                    sealed.put(seq.get(), entry.getKey());
                }
            }
            return List.copyOf(sealed.values());
        });
    }

    /**
     * Takes the envelope off every entry of {@code recipient} that has a recipe: the session they were sealed under
     * is gone, and the app seals them again under a new one. Entries without a recipe keep theirs. Completes, once
     * durable, with how many entries lost an envelope.
     */
    public CompletableFuture<Integer> unsealAsync(String recipient) {
        Check.id("recipient", recipient);
        return database.writeAsync(session -> session.update("UPDATE outbox SET envelope = NULL, held_by = NULL,"
                + " held_at = NULL WHERE recipient = ? AND recipe IS NOT NULL AND envelope IS NOT NULL", recipient));
    }

    /**
     * Takes an entry out unacknowledged: one that a newer entry made pointless (a newer answer to the same peer's
     * request, say). Records no receipt. Completes, once durable, with whether there was such an entry.
     */
    public CompletableFuture<Boolean> withdrawAsync(String messageId, String recipient) {
        Check.id("message id", messageId);
        Check.id("recipient", recipient);
        return database.writeAsync(session -> session.update("DELETE FROM outbox WHERE message_id = ? AND recipient = ?",
                messageId, recipient) == 1);
    }

    /** Every recipient with at least one entry, sealed or waiting (the peers worth dialling). */
    public List<String> recipients() {
        return database.read(session -> session.list("SELECT DISTINCT recipient FROM outbox ORDER BY recipient",
                row -> row.getString(1)));
    }

    /**
     * Whether an entry of that id waits for {@code recipient}'s acknowledgement, sealed or not: false once it is
     * acknowledged or withdrawn, or if there never was one.
     */
    public boolean holds(String messageId, String recipient) {
        return database.read(session -> session.first("SELECT 1 FROM outbox WHERE message_id = ? AND recipient = ?",
                row -> row.getInt(1), messageId, recipient)).isPresent();
    }

    /** How many entries wait for {@code recipient}'s acknowledgement, sealed or not. */
    public int count(String recipient) {
        return database.read(session -> (int) session.number("SELECT count(*) FROM outbox WHERE recipient = ?",
                recipient));
    }

    /**
     * The recipient acknowledged the envelope, having stored it: in one write, the entry leaves the outbox and, if
     * the envelope carried a stored message of ours, the recipient's DELIVERED receipt is recorded for that
     * message. The future completes once that is durable, with whether this ack delivered a message (false for a
     * repeated ack, an envelope that was not queued for this recipient, or one that carried no stored message, like
     * a receipt).
     */
    public CompletableFuture<Boolean> acknowledgeAsync(String messageId, String recipient, Instant at) {
        return acknowledgeAllAsync(List.of(messageId), recipient, at).thenApply(List::getFirst);
    }

    /**
     * {@link #acknowledgeAsync} for each of {@code messageIds} (an ack frame's), all in one write: a frame costs one
     * queued write, not one per id. Completes once durable with, for each id in order, whether it delivered a message.
     * Should any of them fail, none is taken: the entries stay, and their acks are welcome again.
     */
    public CompletableFuture<List<Boolean>> acknowledgeAllAsync(List<String> messageIds, String recipient,
                                                                Instant at) {
        Instant acknowledgedAt = Check.time("acknowledged at", at);
        List<String> ids = List.copyOf(messageIds);
        return database.writeAsync(session -> {
            Boolean[] delivered = new Boolean[ids.size()];
            for (int i = 0; i < delivered.length; i++) {
                delivered[i] = acknowledge(session, ids.get(i), recipient, acknowledgedAt);
            }
            return List.of(delivered);
        });
    }

    private static boolean acknowledge(SqliteSession session, String messageId, String recipient, Instant at)
            throws SQLException {
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
        Receipts.insert(session, delivered.get(), new Receipt(recipient, ReceiptKind.DELIVERED, at));
        return true;
    }

    private static WaitingEntry readWaiting(ResultSet row) throws SQLException {
        return new WaitingEntry(row.getString("message_id"), row.getString("recipient"), row.getBytes("recipe"),
                SqliteSession.instant(row, "created_at"));
    }

    private static OutboxEntry read(ResultSet row) throws SQLException {
        return new OutboxEntry(row.getString("message_id"), row.getString("recipient"), row.getBytes("envelope"),
                SqliteSession.instant(row, "created_at"));
    }
}
