package dev.parley.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Session records waiting in memory for the writer's next transaction ({@link Sessions#stage}). The writer runs
 * {@link #beforeCommit} last in every transaction, which writes every record staged so far; only once the COMMIT
 * returned does {@link #committed} take them out of memory, and only those still staged as they were written (a
 * newer record for the same peer, staged meanwhile, stays for the next transaction). A transaction rolled back
 * leaves everything staged.
 */
final class StagedSessions implements TransactionHook {
    /**
     * A record as staged: compared by identity, so only this very staging is taken out after its commit. Encoded when
     * first needed (by the transaction that writes it, as a rule), so that a burst that stages a record per message
     * encodes one per commit.
     */
    private static final class Staged {
        private final Supplier<byte[]> encoder;
        final Instant at;
        private volatile byte[] record;

        Staged(Supplier<byte[]> encoder, Instant at) {
            this.encoder = encoder;
            this.at = at;
        }

        /** The record; encoded once, whichever thread asks first (encoding the same snapshot gives the same bytes). */
        byte[] record() {
            byte[] encoded = record;
            if (encoded == null) {
                encoded = encoder.get().clone();
                record = encoded;
            }
            return encoded;
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Staged> staged = new ConcurrentHashMap<>();
    /** What the running transaction wrote. Confined to the writer thread, which runs all three hook methods. */
    private final Map<String, Staged> writtenInTransaction = new HashMap<>();
    /** Stagers hold it shared, {@link #close} exclusively: nothing is staged after the last transaction. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    // Locking: closing
    private boolean closed;

    StagedSessions(Clock clock) {
        this.clock = clock;
    }

    /** @param record encodes the record: it reads an immutable snapshot, as it may run on any thread, later */
    void stage(String peer, Supplier<byte[]> record) {
        Staged staging = new Staged(record, clock.instant());
        closing.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("the store is closed: the session with " + peer + " cannot be kept");
            }
            staged.put(peer, staging);
        } finally {
            closing.readLock().unlock();
        }
    }

    Optional<byte[]> get(String peer) {
        Staged staging = staged.get(peer);
        return staging == null ? Optional.empty() : Optional.of(staging.record().clone());
    }

    void forget(String peer) {
        staged.remove(peer);
    }

    Set<String> peers() {
        return new TreeSet<>(staged.keySet());
    }

    boolean isEmpty() {
        return staged.isEmpty();
    }

    /** Refuses further records; those still staged go with the store's last transaction. */
    void close() {
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
    }

    @Override
    public void beforeCommit(SqliteSession session) throws SQLException {
        for (Map.Entry<String, Staged> entry : staged.entrySet()) {
            Staged staging = entry.getValue();
            session.update("""
                    INSERT INTO sessions (peer, record, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (peer) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at""",
                    entry.getKey(), staging.record(), staging.at);
            writtenInTransaction.put(entry.getKey(), staging);
        }
    }

    @Override
    public void committed() {
        writtenInTransaction.forEach(staged::remove);
        writtenInTransaction.clear();
    }

    @Override
    public void rolledBack() {
        writtenInTransaction.clear();
    }
}
