package dev.parley.app.engine;

import dev.parley.app.engine.time.TokenBucket;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps every peer within its {@link InboundRate}: one pair of {@link TokenBucket}s per PeerId, made when the peer
 * first sends and forgotten once full again (a full bucket is what a new one would be), so strangers with fresh
 * PeerIds cost only while they send.
 */
final class InboundLimiter {
    /** Above this many peers' buckets, the full ones are forgotten. */
    static final int FORGET_FULL_ABOVE = 256;

    private record Buckets(TokenBucket messages, TokenBucket bytes) {
        boolean full(long now) {
            return messages.full(now) && bytes.full(now);
        }
    }

    private final InboundRate rate;
    private final ReentrantLock lock = new ReentrantLock();
    // Locking: lock
    private final Map<PeerId, Buckets> buckets = new HashMap<>();

    InboundLimiter(InboundRate rate) {
        this.rate = rate;
    }

    /**
     * Charges one message of {@code bytes} payload bytes from {@code peer} at {@code now} ({@link System#nanoTime});
     * returns how long to wait before storing it (zero within the rate).
     */
    Duration charge(PeerId peer, long bytes, long now) {
        if (rate.unlimited()) {
            return Duration.ZERO;
        }
        lock.lock();
        try {
            if (buckets.size() > FORGET_FULL_ABOVE) {
                buckets.values().removeIf(pair -> pair.full(now));
            }
            Buckets pair = buckets.computeIfAbsent(peer, p -> new Buckets(
                    new TokenBucket(rate.messagesPerSecond(), rate.messageBurst(), now),
                    new TokenBucket(rate.bytesPerSecond(), rate.byteBurst(), now)));
            return Duration.ofNanos(Math.max(pair.messages().take(1, now), pair.bytes().take(bytes, now)));
        } finally {
            lock.unlock();
        }
    }

    /** How many peers' buckets are held. */
    int peers() {
        lock.lock();
        try {
            return buckets.size();
        } finally {
            lock.unlock();
        }
    }
}
