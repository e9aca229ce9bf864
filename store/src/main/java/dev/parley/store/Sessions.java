package dev.parley.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The app's 1:1 sessions, one opaque record per peer (its encoded Double Ratchet sessions with that peer: secret
 * key material, which the store never exports, logs or shows), and the ids of the session envelopes it opened.
 *
 * <p>A session moves on with every message it seals or opens, and its new state must be on disk no later than
 * the message: an envelope sent under a message key that a crash then forgets would have that key used again.
 * Writing the record in a write of its own would cost a commit per message; {@link #stage} instead keeps it in
 * memory and the writer writes it at the end of its next transaction, whatever that transaction carries. So the
 * app stages the session's new state, then queues the outbox entry sealed with it, and sends the envelope once
 * that entry's future completed: the record went in the same transaction or an earlier one.
 */
public final class Sessions {
    private final Database database;
    private final StagedSessions staged;

    Sessions(Database database) {
        this.database = database;
        this.staged = database.stagedSessions();
    }

    /** The record for {@code peer}: the one staged last, or else the one stored. */
    public Optional<byte[]> load(String peer) {
        Check.id("peer", peer);
        // Staged first: a record leaves the staging map only after the commit that wrote it, so a read that finds
        // it gone sees it stored.
        Optional<byte[]> stagedRecord = staged.get(peer);
        if (stagedRecord.isPresent()) {
            return stagedRecord;
        }
        return database.read(session -> session.first("SELECT record FROM sessions WHERE peer = ?",
                row -> row.getBytes(1), peer));
    }

    /**
     * Keeps {@code record} (copied) as the session state with {@code peer} and writes it, with the time of this
     * call, in the writer's next transaction, whatever write that transaction carries: once any write submitted
     * after this call completes, the record (or a newer one staged for the peer since) is durable. A later stage for
     * the same peer replaces this one if it is not written yet; a transaction that fails leaves it staged.
     *
     * @throws StoreException once the store is closed
     */
    public void stage(String peer, byte[] record) {
        Check.id("peer", peer);
        byte[] copy = Check.present("session record", record).clone();
        staged.stage(peer, () -> copy);
    }

    /**
     * As {@link #stage(String, byte[])}, with the record encoded only when it is written (or {@link #load}ed): a burst
     * that moves a session on with every message then encodes its record once per transaction, not once per message.
     * {@code record} runs later on the writer's thread, or a reader's (once as a rule, twice if two ask at once): it
     * must encode an immutable snapshot taken at this call, so that it returns the same bytes every time.
     */
    public void stage(String peer, Supplier<byte[]> record) {
        Check.id("peer", peer);
        Check.present("session record", record);
        staged.stage(peer, record);
    }

    /**
     * Completes once every record staged, and every write submitted, before this call is durable: a barrier. The engine
     * reads the outbox after one, so that it sees the entries queued just before (those writes may still be in the
     * writer's queue, and a read sees only what is committed). It always costs a transaction, an empty one if nothing is
     * staged.
     */
    public CompletableFuture<Void> flushAsync() {
        return database.writeAsync(session -> null);
    }

    /** Forgets the session with {@code peer}, staged and stored; returns once that is durable. */
    public void delete(String peer) {
        Check.id("peer", peer);
        // Out of the staging map before the write is queued: no transaction that carries it writes the record again.
        staged.forget(peer);
        database.write(session -> session.update("DELETE FROM sessions WHERE peer = ?", peer));
    }

    /** Every peer with a stored or staged record, in order. */
    public List<String> peers() {
        Set<String> peers = new TreeSet<>(staged.peers());
        peers.addAll(database.read(session -> session.list("SELECT peer FROM sessions", row -> row.getString(1))));
        return new ArrayList<>(peers);
    }

    /**
     * Records that the session envelope {@code messageId} from {@code peer} was opened (a second time is a no-op).
     * An ordinary queued write: it commits in the same transaction as the writes submitted before it, or a later one.
     * A message's envelope is recorded with the message instead ({@link Messages#insertOpenedAsync}).
     */
    public CompletableFuture<Void> openedAsync(String peer, String messageId, Instant at) {
        OpenedEnvelope opened = new OpenedEnvelope(peer, messageId, at);
        return database.writeAsync(session -> {
            recordOpened(session, opened);
            return null;
        });
    }

    static void recordOpened(SqliteSession session, OpenedEnvelope opened) throws SQLException {
        session.update("INSERT INTO session_opened (peer, message_id, opened_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (peer, message_id) DO NOTHING", opened.peer(), opened.messageId(), opened.openedAt());
    }

    /** Whether the session envelope {@code messageId} from {@code peer} was opened already (a replay, if so). */
    public boolean wasOpened(String peer, String messageId) {
        Check.id("peer", peer);
        Check.id("message id", messageId);
        return database.read(session -> session.number(
                "SELECT count(*) FROM session_opened WHERE peer = ? AND message_id = ?", peer, messageId) > 0);
    }

    /** Forgets the opened envelopes recorded before {@code before}; completes with how many. */
    public CompletableFuture<Integer> forgetOpenedBeforeAsync(Instant before) {
        Instant limit = Check.time("before", before);
        return database.writeAsync(session -> session.update("DELETE FROM session_opened WHERE opened_at < ?",
                limit));
    }
}
