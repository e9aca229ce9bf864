package dev.parley.transport.memory;

import java.time.Duration;

/**
 * One level of a {@link MemoryBudget}: the node, a peer, a connection or a stream. A reservation counts at this
 * scope and at every scope above it, and succeeds only if none of them would exceed its limit; what is reserved
 * is released the same way. A buffer reserves before it is allocated and releases once it is dropped.
 *
 * <p>Bulk reservations (a buffer growing past its first few kilobytes) may fill only seven eighths of each limit;
 * the last eighth is kept for essential ones (a stream's first small buffer), so a peer filling a scope with bulk
 * data still leaves room for a ping or an identify on the others' connections, as go-yamux's reservation
 * priorities do.
 *
 * <p>Closing a scope releases what it still holds from the scopes above; a buffer of a closed scope released later
 * counts only down to the closed scope, so nothing is released twice. A reservation on a closed scope likewise
 * counts only there and is never refused: a finished stream's data stays readable, uncounted above, and a protocol
 * reading its last messages must not fail for want of a scope that no longer counts.
 */
public final class MemoryScope implements AutoCloseable {
    /** Where a scope sits; each has its own limit in {@link MemoryLimits}. */
    public enum Level { NODE, PEER, CONNECTION, STREAM }

    /** How much of a scope's limit a reservation may use: all of it, or the bulk share. */
    public enum Priority { ESSENTIAL, BULK }

    private final MemoryBudget budget;
    private final MemoryScope parent;
    private final Level level;
    private final String name;
    private final long limit;
    // Locking: budget.lock
    private long reserved;
    // Locking: budget.lock
    private boolean closed;

    MemoryScope(MemoryBudget budget, MemoryScope parent, Level level, String name, long limit) {
        this.budget = budget;
        this.parent = parent;
        this.level = level;
        this.name = name;
        this.limit = limit;
    }

    /**
     * A scope of a budget of its own, without limits: for what no peer's stream carries, such as a connection's
     * negotiation before it has a scope, and for tests and fuzz targets that feed a codec bytes.
     */
    public static MemoryScope uncounted() {
        return Uncounted.SCOPE;
    }

    /**
     * Reserves {@code bytes} here and in every scope above; false, with nothing reserved, if any of them would go
     * over its limit (the refusal is logged, at most once in a while).
     */
    public boolean reserve(long bytes, Priority priority) {
        return budget.reserve(this, bytes, priority);
    }

    /** Whether a bulk reservation of {@code bytes} would succeed now; reserves nothing. */
    public boolean hasRoomFor(long bytes) {
        return budget.hasRoom(this, bytes);
    }

    /** Returns {@code bytes} reserved earlier here. */
    public void release(long bytes) {
        budget.release(this, bytes);
    }

    /** Opens the scope of a stream of this connection. */
    public MemoryScope openStream(String streamName) {
        if (level != Level.CONNECTION) {
            throw new IllegalStateException("streams open within a connection scope, not a " + level + " scope");
        }
        return budget.openChild(this, Level.STREAM, streamName + " of " + name);
    }

    /** How long a stream may hold its buffers while the peer grants no window. */
    public Duration stallTimeout() {
        return budget.limits().stallTimeout();
    }

    public Level level() {
        return level;
    }

    /** Bytes reserved here, including every open scope below. */
    public long reserved() {
        return budget.reserved(this);
    }

    /** Releases what this scope still holds; later releases of its buffers stop here. */
    @Override
    public void close() {
        budget.close(this);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class Uncounted {
        static final MemoryScope SCOPE = MemoryBudget.unlimited().node();
    }

    // ---- state, guarded by the budget's lock ----

    MemoryScope parent() {
        return parent;
    }

    String name() {
        return name;
    }

    long limit() {
        return limit;
    }

    long reservedLocked() {
        return reserved;
    }

    void add(long bytes) {
        reserved += bytes;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
