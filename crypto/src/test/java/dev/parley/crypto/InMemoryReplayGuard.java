package dev.parley.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last {@code capacity} message ids, in memory; the oldest is forgotten when a new one comes. Thread-safe. The
 * app needs none (its store drops duplicates by message key); the tests open envelopes with it.
 */
final class InMemoryReplayGuard implements ReplayGuard {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<MessageId, Boolean> seen;

    InMemoryReplayGuard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay guard capacity " + capacity + " is below 1");
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public boolean firstSeen(MessageId id) {
        lock.lock();
        try {
            return seen.putIfAbsent(id, Boolean.TRUE) == null;
        } finally {
            lock.unlock();
        }
    }
}
