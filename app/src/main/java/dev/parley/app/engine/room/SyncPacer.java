package dev.parley.app.engine.room;

import dev.parley.app.engine.time.MonotonicClock;
import dev.parley.app.engine.time.TokenBucket;
import dev.parley.transport.multiformats.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps what we answer each member's syncs within the {@link SyncPace}: one {@link TokenBucket} per member, made when
 * it first asks and forgotten once full again, so only members that asked lately cost a bucket. An answer asks
 * before each page it reads and each envelope it sends ({@link #mayAnswer}) and is charged for each envelope sent
 * ({@link #charge}): it sends at most one envelope beyond the bucket, and reads nothing once it is empty.
 */
final class SyncPacer {
    /** Above this many members' buckets, the full ones are forgotten. */
    static final int FORGET_FULL_ABOVE = 256;

    private final SyncPace pace;
    private final MonotonicClock elapsed;
    private final ReentrantLock lock = new ReentrantLock();
    // Locking: lock
    private final Map<PeerId, TokenBucket> buckets = new HashMap<>();

    SyncPacer(SyncPace pace, MonotonicClock elapsed) {
        this.pace = pace;
        this.elapsed = elapsed;
    }

    /** Whether {@code member} may be sent anything more now. */
    boolean mayAnswer(PeerId member) {
        lock.lock();
        try {
            long now = elapsed.nanoTime();
            return bucket(member, now).any(now);
        } finally {
            lock.unlock();
        }
    }

    /** Charges {@code member} for an envelope of {@code bytes} sent to it. */
    void charge(PeerId member, int bytes) {
        lock.lock();
        try {
            long now = elapsed.nanoTime();
            bucket(member, now).take(bytes, now);
        } finally {
            lock.unlock();
        }
    }

    private TokenBucket bucket(PeerId member, long now) {
        if (buckets.size() > FORGET_FULL_ABOVE) {
            buckets.values().removeIf(bucket -> bucket.full(now));
        }
        return buckets.computeIfAbsent(member, m -> new TokenBucket(pace.bytesPerSecond(), pace.byteBurst(), now));
    }
}
