package dev.parley.transport.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * How much heap remote peers may make this node hold in buffers, at each level of a {@link MemoryBudget}, and how
 * long a stream may hold its buffers while the peer does nothing (transport/README.md, "Memory and deadlines").
 * The levels follow go-libp2p's resource manager: a stream within a connection within a peer within the node.
 *
 * @param nodeBytes       all peers together; the backstop when many identities attack at once
 * @param peerBytes       all connections to one peer
 * @param connectionBytes all streams of one connection
 * @param streamBytes     one stream
 * @param stallTimeout    how long a write may wait for the peer to grant send window before the stream is reset
 *                        and its buffers freed: a peer that stops reading must not hold a handler for ever
 */
public record MemoryLimits(long nodeBytes, long peerBytes, long connectionBytes, long streamBytes,
                           Duration stallTimeout) {
    private static final long MIB = 1024 * 1024;
    /** The node budget's share of the heap: the rest stays for the application and its own data. */
    private static final int HEAP_FRACTION = 4;
    private static final long MIN_NODE_BYTES = 32 * MIB;

    /** No limits: what a session outside a host (tests, tools) gets. */
    public static final MemoryLimits UNLIMITED = new MemoryLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE, Duration.ofSeconds(30));

    public MemoryLimits {
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (streamBytes <= 0 || connectionBytes < streamBytes || peerBytes < connectionBytes
                || nodeBytes < peerBytes) {
            throw new IllegalArgumentException("memory limits must be positive and grow from stream ("
                    + streamBytes + ") to connection (" + connectionBytes + ") to peer (" + peerBytes
                    + ") to node (" + nodeBytes + ")");
        }
        if (!stallTimeout.isPositive()) {
            throw new IllegalArgumentException("stall timeout " + stallTimeout + " must be positive");
        }
    }

    /**
     * go-libp2p's stream (16 MiB) and peer (64 MiB) limits, its later connection limit (32 MiB), and for the node a
     * quarter of this JVM's maximum heap (at least 32 MiB), as go-libp2p gives its system scope a fraction of the
     * machine's memory; 30 s for a stalled write.
     */
    public static MemoryLimits defaults() {
        long node = Math.max(MIN_NODE_BYTES, Runtime.getRuntime().maxMemory() / HEAP_FRACTION);
        long peer = Math.min(64 * MIB, node);
        long connection = Math.min(32 * MIB, peer);
        long stream = Math.min(16 * MIB, connection);
        return new MemoryLimits(node, peer, connection, stream, Duration.ofSeconds(30));
    }

    public MemoryLimits withNodeBytes(long bytes) {
        return new MemoryLimits(bytes, Math.min(peerBytes, bytes), Math.min(connectionBytes, bytes),
                Math.min(streamBytes, bytes), stallTimeout);
    }

    public MemoryLimits withConnectionBytes(long bytes) {
        return new MemoryLimits(nodeBytes, peerBytes, bytes, Math.min(streamBytes, bytes), stallTimeout);
    }

    public MemoryLimits withStallTimeout(Duration timeout) {
        return new MemoryLimits(nodeBytes, peerBytes, connectionBytes, streamBytes, timeout);
    }

    long limit(MemoryScope.Level level) {
        return switch (level) {
            case NODE -> nodeBytes;
            case PEER -> peerBytes;
            case CONNECTION -> connectionBytes;
            case STREAM -> streamBytes;
        };
    }
}
