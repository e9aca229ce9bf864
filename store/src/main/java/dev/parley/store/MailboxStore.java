package dev.parley.store;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A mailbox's durable state in its own SQLite file ({@link MailboxSchema}): the pairing secret, the owners and their
 * keys, revoked capabilities, the opaque envelopes held for each owner and the per-capability day counters that
 * quotas need. Same conventions as the history store: WAL, {@code synchronous=FULL}, one writer thread that commits
 * every waiting write in one transaction, each in its own savepoint; a write returns once its transaction is durable,
 * so the mailbox answers a deposit only after the envelope is on disk. Reads take a pooled read-only connection.
 *
 * <p>Owners are PeerIds as text; capability ids and keys are bytes. The store checks quotas (inside the deposit's
 * transaction, so concurrent deposits cannot both take the last place) but not capabilities' tags: the caller has.
 */
public final class MailboxStore implements AutoCloseable {
    private static final String PAIRING_SECRET = "pairing_secret";
    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();
    /** Digests of taken envelopes remembered per owner (32 bytes each and their keeping). */
    static final long MAX_TAKEN_REMEMBERED = 10_000;

    /** An envelope about to be deleted: its owner's row id, its size, its digest. */
    private record Held(long owner, long size, byte[] digest) {
    }

    private final Path file;
    private final BatchingWriter writer;
    private final ReadPool readers;
    /** Reads hold it shared; a checkpoint that must reach the WAL's end holds it alone ({@link #checkpointAndTruncate}). */
    private final ReentrantReadWriteLock readGate = new ReentrantReadWriteLock(true);
    /** Used inside the writer's transactions only, so on its one thread. */
    private final CapabilityDays capabilityDays = new CapabilityDays();

    private MailboxStore(Path file, BatchingWriter writer, ReadPool readers) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (or creates) the mailbox database at {@code file}. */
    public static MailboxStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        SqliteSession session = Database.openWriter(absolute, MailboxSchema.MIGRATIONS);
        TransactionHook none = TransactionHook.beforeCommit(ignored -> null);
        return new MailboxStore(absolute, new BatchingWriter(session, absolute.toString(), none),
                new ReadPool(() -> Database.openReader(absolute), absolute.toString()));
    }

    public Path file() {
        return file;
    }

    /** The pairing secret, made by {@code create} and kept on the first call. */
    public byte[] pairingSecret(Supplier<byte[]> create) {
        return write(session -> {
            Optional<byte[]> kept = session.first("SELECT value FROM settings WHERE name = ?",
                    row -> row.getBytes(1), PAIRING_SECRET);
            if (kept.isPresent()) {
                return kept.get();
            }
            byte[] secret = create.get();
            session.update("INSERT INTO settings (name, value) VALUES (?, ?)", PAIRING_SECRET, secret);
            return secret;
        });
    }

    /** Replaces the pairing secret: codes given before no longer pair; owners paired stay. */
    public void replacePairingSecret(byte[] secret) {
        write(session -> session.update("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name)"
                + " DO UPDATE SET value = excluded.value", PAIRING_SECRET, secret));
    }

    /** Every owner's key, by owner, in pairing order. */
    public Map<String, byte[]> ownerKeys() {
        return read(session -> {
            Map<String, byte[]> keys = new LinkedHashMap<>();
            session.forEach("SELECT peer, owner_key FROM owners ORDER BY paired_at, peer",
                    row -> keys.put(row.getString(1), row.getBytes(2)));
            return keys;
        });
    }

    /**
     * Pairs {@code owner}: its key if it is paired already (pairing is idempotent), else {@code freshKey}, kept;
     * empty when {@code maxOwners} owners are paired already.
     */
    public Optional<byte[]> pair(String owner, byte[] freshKey, int maxOwners, Instant now) {
        return write(session -> {
            Optional<byte[]> existing = session.first("SELECT owner_key FROM owners WHERE peer = ?",
                    row -> row.getBytes(1), owner);
            if (existing.isPresent()) {
                return existing;
            }
            if (session.number("SELECT count(*) FROM owners") >= maxOwners) {
                return Optional.empty();
            }
            session.update("INSERT INTO owners (peer, owner_key, paired_at) VALUES (?, ?, ?)", owner, freshKey, now);
            return Optional.of(freshKey);
        });
    }

    /** Forgets {@code owner}, its key, its envelopes, revocations and counters; whether it was an owner. */
    public boolean unpair(String owner) {
        boolean unpaired = write(session -> {
            Optional<Long> id = session.first("SELECT id FROM owners WHERE peer = ?", row -> row.getLong(1), owner);
            if (id.isEmpty()) {
                return false;
            }
            session.update("DELETE FROM owners WHERE id = ?", id.get());
            capabilityDays.forget(id.get());
            return true;
        });
        if (unpaired) {
            // Its envelopes leave the WAL too, as a deletion's do (review22b).
            checkpointAndTruncate();
        }
        return unpaired;
    }

    /**
     * Gives {@code owner} a new key, which voids every capability minted with the old one, so the revoked list is
     * cleared too; whether it was an owner.
     */
    public boolean rekey(String owner, byte[] newKey) {
        return write(session -> {
            if (session.update("UPDATE owners SET owner_key = ? WHERE peer = ?", newKey, owner) == 0) {
                return false;
            }
            session.update("DELETE FROM revoked WHERE owner = (SELECT id FROM owners WHERE peer = ?)", owner);
            return true;
        });
    }

    /**
     * Revokes capability ids of {@code owner} (ids revoked already count once); false, changing nothing, when the
     * list would grow beyond {@code maxRevoked}.
     */
    public boolean revoke(String owner, List<byte[]> capIds, int maxRevoked) {
        try {
            return write(session -> {
                for (byte[] capId : capIds) {
                    session.update("INSERT INTO revoked (owner, cap_id) VALUES ((SELECT id FROM owners WHERE peer = ?), ?)"
                            + " ON CONFLICT DO NOTHING", owner, capId);
                }
                if (session.number("SELECT count(*) FROM revoked WHERE owner = (SELECT id FROM owners WHERE peer = ?)", owner) > maxRevoked) {
                    throw new InvalidInputException("revoking " + capIds.size() + " capabilities would keep more than "
                            + maxRevoked + " revoked for " + owner);
                }
                return true;
            });
        } catch (InvalidInputException overTheLimit) {
            return false;
        }
    }

    /**
     * Keeps {@code envelope} for {@code owner} as deposited with capability {@code capId}, checking in this order:
     * the owner is known, the capability is not revoked, the owner does not hold these bytes already (then it is a
     * {@code DUPLICATE}, stored once and not counted again; so are bytes the owner took already, as far as
     * {@link CapabilityDays} remembers), the owner's live totals, the capability's deposits within the retention
     * window. Durable on return.
     */
    public DepositOutcome deposit(String owner, byte[] capId, byte[] envelope, MailboxLimits limits, Instant now) {
        byte[] digest = sha256(envelope);
        long day = now.getEpochSecond() / SECONDS_PER_DAY;
        return write(session -> {
            Optional<long[]> row = session.first("SELECT id, live_count, live_bytes FROM owners WHERE peer = ?",
                    owners -> new long[] {owners.getLong(1), owners.getLong(2), owners.getLong(3)}, owner);
            if (row.isEmpty()) {
                return DepositOutcome.UNKNOWN_OWNER;
            }
            long id = row.get()[0];
            long liveCount = row.get()[1];
            long liveBytes = row.get()[2];
            if (session.first("SELECT 1 FROM revoked WHERE owner = ? AND cap_id = ?", found -> true, id, capId)
                    .isPresent()) {
                return DepositOutcome.REVOKED;
            }
            if (capabilityDays.wasTaken(id, digest)
                    || session.first("SELECT 1 FROM envelopes WHERE owner = ? AND digest = ?", found -> true, id, digest)
                    .isPresent()) {
                return DepositOutcome.DUPLICATE;
            }
            if (liveCount + 1 > limits.ownerMaxEnvelopes() || liveBytes + envelope.length > limits.ownerMaxBytes()) {
                return DepositOutcome.OWNER_FULL;
            }
            long[] deposited = capabilityDays.within(id, capId, day, limits.retentionDays());
            if (deposited[0] + 1 > limits.capabilityMaxEnvelopes()
                    || deposited[1] + envelope.length > limits.capabilityMaxBytes()) {
                return DepositOutcome.CAPABILITY_FULL;
            }
            session.update("INSERT INTO envelopes (owner, digest, deposited_hour, size, envelope) VALUES (?, ?, ?, ?, ?)",
                    id, digest, hour(now).getEpochSecond(), envelope.length, envelope);
            session.update("UPDATE owners SET live_count = live_count + 1, live_bytes = live_bytes + ? WHERE id = ?",
                    (long) envelope.length, id);
            // Counted only now, so a deposit refused or rolled back takes nothing of the capability's quota (a
            // transaction that fails after this point over-counts one deposit until the window passes it).
            capabilityDays.count(id, capId, day, envelope.length, limits.ownerMaxEnvelopes());
            return DepositOutcome.STORED;
        });
    }

    /**
     * The owner's envelopes after {@code afterSeq}, in seq order: at most {@code max} of them and, past the first,
     * at most {@code maxBytes} of envelope bytes.
     */
    public List<MailboxEnvelope> fetch(String owner, long afterSeq, int max, long maxBytes) {
        return read(session -> {
            List<MailboxEnvelope> batch = new ArrayList<>();
            long[] bytes = {0};
            boolean[] full = {false};
            session.forEach("SELECT seq, envelope, deposited_hour FROM envelopes WHERE owner = (SELECT id FROM owners WHERE peer = ?) AND seq > ?"
                    + " ORDER BY seq LIMIT ?", row -> {
                        byte[] envelope = full[0] ? null : row.getBytes(2);
                        if (envelope == null || (!batch.isEmpty() && bytes[0] + envelope.length > maxBytes)) {
                            full[0] = true;
                            return;
                        }
                        bytes[0] += envelope.length;
                        batch.add(new MailboxEnvelope(row.getLong(1), envelope, Instant.ofEpochSecond(row.getLong(3))));
                    }, owner, afterSeq, max);
            return List.copyOf(batch);
        });
    }

    /** Whether {@code owner} holds an envelope after {@code seq}. */
    public boolean holdsAfter(String owner, long seq) {
        return read(session -> session.first("SELECT 1 FROM envelopes"
                + " WHERE owner = (SELECT id FROM owners WHERE peer = ?) AND seq > ? LIMIT 1", row -> true, owner, seq)
                .isPresent());
    }

    /**
     * Deletes those of {@code seqs} that are {@code owner}'s (the owner took them); returns how many went. Their
     * bytes leave the WAL too before this returns, unless a reader holds it (then at the next delete or checkpoint):
     * {@code secure_delete} overwrites freed space in the file, not the WAL frames that held the rows.
     */
    public int delete(String owner, List<Long> seqs, Instant now) {
        long day = now.getEpochSecond() / SECONDS_PER_DAY;
        int deleted = write(session -> {
            int count = 0;
            for (long seq : seqs) {
                Optional<Held> held = session.first("SELECT owner, size, digest FROM envelopes"
                                + " WHERE seq = ? AND owner = (SELECT id FROM owners WHERE peer = ?)",
                        row -> new Held(row.getLong(1), row.getLong(2), row.getBytes(3)), seq, owner);
                if (held.isPresent()) {
                    session.update("DELETE FROM envelopes WHERE seq = ?", seq);
                    session.update("UPDATE owners SET live_count = live_count - 1, live_bytes = live_bytes - ?"
                            + " WHERE id = ?", held.get().size(), held.get().owner());
                    capabilityDays.taken(held.get().owner(), held.get().digest(), day, MAX_TAKEN_REMEMBERED);
                    count++;
                }
            }
            return count;
        });
        if (deleted > 0) {
            checkpointAndTruncate();
        }
        return deleted;
    }

    /** What the mailbox holds for {@code owner}; empty when it is not an owner. */
    public Optional<MailboxOwnerStatus> status(String owner) {
        return read(session -> session.first("SELECT live_count, live_bytes,"
                        + " (SELECT min(deposited_hour) FROM envelopes WHERE owner = id),"
                        + " (SELECT count(*) FROM revoked WHERE owner = id) FROM owners WHERE peer = ?",
                row -> {
                    long oldest = row.getLong(3);
                    boolean empty = row.wasNull();
                    return new MailboxOwnerStatus(row.getLong(1), row.getLong(2),
                            empty ? Optional.empty() : Optional.of(Instant.ofEpochSecond(oldest)), row.getInt(4));
                }, owner));
    }

    /**
     * Deletes every envelope deposited more than {@code retention} before {@code now} (by its hour) and the
     * capability counters of days outside the window; returns how many envelopes went.
     */
    public int expire(Instant now, Duration retention) {
        // An envelope's hour is rounded down: one of hour H was deposited before H + 1 h, so it is past the retention
        // for sure only once H + 1 h + retention is; it goes within the hour after (review22a: it went up to an hour
        // early when its hour was compared as its time).
        long cutoffHour = now.minus(retention).minus(Duration.ofHours(1)).getEpochSecond();
        long today = now.getEpochSecond() / SECONDS_PER_DAY;
        int gone = write(session -> {
            int expired = session.update("DELETE FROM envelopes WHERE deposited_hour <= ?", cutoffHour);
            if (expired > 0) {
                session.update("UPDATE owners SET"
                        + " live_count = (SELECT count(*) FROM envelopes WHERE owner = id),"
                        + " live_bytes = (SELECT total(size) FROM envelopes WHERE owner = id)");
            }
            capabilityDays.expire(today, (int) retention.toDays());
            return expired;
        });
        if (gone > 0) {
            // Expired envelopes leave the WAL too, as a deletion's do (review22b).
            checkpointAndTruncate();
        }
        return gone;
    }

    /** How many envelope rows the file holds: what the tests and the benchmark look at. */
    public long envelopeRows() {
        return read(session -> session.number("SELECT count(*) FROM envelopes"));
    }

    /** How many capabilities the in-memory counters hold, read on the writer's thread, which owns them. */
    int capabilitiesCounted() {
        return write(session -> capabilityDays.capabilitiesCounted());
    }

    static Instant hour(Instant time) {
        return time.truncatedTo(ChronoUnit.HOURS);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private <T> T write(SqlWork<T> work) {
        return Database.await(writer.submit(work));
    }

    private <T> T read(SqlWork<T> work) {
        readGate.readLock().lock();
        try {
            return readers.read(work);
        } finally {
            readGate.readLock().unlock();
        }
    }

    /**
     * Checkpoints and truncates the WAL with no read of this store under way: a TRUNCATE checkpoint waits for every
     * reader, and owners fetching one after another left it always one to wait for, until the busy timeout gave up
     * and the taken envelope stayed in the WAL (seen once in CI). The gate is fair: the reads that start meanwhile
     * wait, a fetch's read is short.
     */
    private void checkpointAndTruncate() {
        readGate.writeLock().lock();
        try {
            Database.checkpointAndTruncate(file);
        } finally {
            readGate.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
    }
}
