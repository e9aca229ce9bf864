package dev.parley.transport.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory remote peers may make this node hold, counted in {@link MemoryScope}s: the node, each peer, each
 * connection, each stream (transport/README.md, "Memory and deadlines"). Yamux receive buffers reserve from their
 * stream's scope before they grow; a refusal resets that stream or leaves its window where it is, so one peer is
 * throttled and the others are served.
 *
 * <p>All scopes share one lock: reservations happen when a buffer grows or is dropped, not per byte, so it is
 * taken rarely and held for a few additions.
 */
public final class MemoryBudget {
    private static final Logger log = LoggerFactory.getLogger(MemoryBudget.class);
    /** Refusals come in floods during an attack: one line per interval says how many. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final MemoryLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryScope node;
    // Locking: lock
    private final Map<String, PeerEntry> peers = new HashMap<>();
    // Locking: lock; scopes compare by identity
    private final Map<MemoryScope, String> peerOf = new HashMap<>();
    // Locking: lock
    private long connectionSerial;
    // Locking: lock
    private int connections;
    // Locking: lock
    private int streams;
    // Locking: lock
    private long refusals;
    // Locking: lock
    private long unloggedRefusals;
    // Locking: lock
    private long lastLogNanos;
    // Locking: lock
    private boolean everLogged;

    public MemoryBudget(MemoryLimits limits) {
        this.limits = limits;
        this.node = new MemoryScope(this, null, MemoryScope.Level.NODE, "node", limits.nodeBytes());
    }

    /** A budget without limits, for a session that runs outside a host. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(MemoryLimits.UNLIMITED);
    }

    public MemoryLimits limits() {
        return limits;
    }

    MemoryScope node() {
        return node;
    }

    /** Opens the scope of a new connection to {@code peer}, within that peer's scope. Close it when the connection ends. */
    public MemoryScope openConnection(String peer) {
        lock.lock();
        try {
            PeerEntry entry = peers.get(peer);
            if (entry == null) {
                entry = new PeerEntry(new MemoryScope(this, node, MemoryScope.Level.PEER, "peer " + peer,
                        limits.peerBytes()));
                peers.put(peer, entry);
                peerOf.put(entry.scope, peer);
            }
            entry.connections++;
            connections++;
            return new MemoryScope(this, entry.scope, MemoryScope.Level.CONNECTION,
                    "connection " + ++connectionSerial + " to " + peer, limits.connectionBytes());
        } finally {
            lock.unlock();
        }
    }

    public MemorySnapshot snapshot() {
        lock.lock();
        try {
            return new MemorySnapshot(node.reservedLocked(), peers.size(), connections, streams, refusals);
        } finally {
            lock.unlock();
        }
    }

    // ---- used by MemoryScope ----

    MemoryScope openChild(MemoryScope parent, MemoryScope.Level level, String name) {
        lock.lock();
        try {
            streams++;
            return new MemoryScope(this, parent, level, name, limits.limit(level));
        } finally {
            lock.unlock();
        }
    }

    boolean reserve(MemoryScope scope, long bytes, MemoryScope.Priority priority) {
        checkAmount(bytes);
        lock.lock();
        try {
            if (scope.isClosed()) {
                scope.add(bytes);
                return true;
            }
            MemoryScope full = firstOverLimit(scope, bytes, priority);
            if (full != null) {
                refused(scope, bytes, full, priority);
                return false;
            }
            for (MemoryScope s = scope; s != null; s = s.parent()) {
                s.add(bytes);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean hasRoom(MemoryScope scope, long bytes) {
        checkAmount(bytes);
        lock.lock();
        try {
            return firstOverLimit(scope, bytes, MemoryScope.Priority.BULK) == null;
        } finally {
            lock.unlock();
        }
    }

    void release(MemoryScope scope, long bytes) {
        checkAmount(bytes);
        lock.lock();
        try {
            releaseUpwards(scope, bytes);
        } finally {
            lock.unlock();
        }
    }

    long reserved(MemoryScope scope) {
        lock.lock();
        try {
            return scope.reservedLocked();
        } finally {
            lock.unlock();
        }
    }

    void close(MemoryScope scope) {
        lock.lock();
        try {
            if (scope.isClosed()) {
                return;
            }
            MemoryScope parent = scope.parent();
            if (parent != null) {
                releaseUpwards(parent, scope.reservedLocked());
            }
            scope.markClosed();
            switch (scope.level()) {
                case STREAM -> streams--;
                case CONNECTION -> closeConnection(scope);
                case PEER, NODE -> { }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock ----

    /** The highest scope from {@code scope} up that {@code bytes} more would put over its limit, or null. */
    private MemoryScope firstOverLimit(MemoryScope scope, long bytes, MemoryScope.Priority priority) {
        MemoryScope over = null;
        for (MemoryScope s = scope; s != null; s = s.parent()) {
            long allowed = priority == MemoryScope.Priority.BULK ? s.limit() - s.limit() / 8 : s.limit();
            if (s.isClosed() || s.reservedLocked() > allowed - bytes) {
                over = s;
            }
        }
        return over;
    }

    /** Counts {@code bytes} off {@code scope} and the scopes above it, stopping at a closed one. */
    private static void releaseUpwards(MemoryScope scope, long bytes) {
        for (MemoryScope s = scope; s != null; s = s.parent()) {
            s.add(-bytes);
            if (s.isClosed()) {
                return;
            }
        }
    }

    private void closeConnection(MemoryScope connection) {
        connections--;
        String peer = peerOf.get(connection.parent());
        PeerEntry entry = peers.get(peer);
        if (--entry.connections == 0) {
            entry.scope.markClosed();
            peers.remove(peer);
            peerOf.remove(entry.scope);
        }
    }

    private void refused(MemoryScope scope, long bytes, MemoryScope full, MemoryScope.Priority priority) {
        refusals++;
        long now = System.nanoTime();
        if (everLogged && now - lastLogNanos < LOG_INTERVAL_NANOS) {
            unloggedRefusals++;
            return;
        }
        String others = unloggedRefusals == 0 ? "" : " (" + unloggedRefusals + " more refusals since the last line)";
        log.warn("memory budget refused {} bytes for {}: the {} limit of {} bytes is reached{} ({} reserved there){}",
                bytes, scope, full.level().toString().toLowerCase(), full.limit(),
                priority == MemoryScope.Priority.BULK ? " for bulk buffers" : "", full.reservedLocked(), others);
        everLogged = true;
        lastLogNanos = now;
        unloggedRefusals = 0;
    }

    private static void checkAmount(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve or release a negative amount: " + bytes);
        }
    }

    private static final class PeerEntry {
        final MemoryScope scope;
        // Locking: MemoryBudget.lock
        int connections;

        PeerEntry(MemoryScope scope) {
            this.scope = scope;
        }
    }
}
