package dev.parley.app.engine.time;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock: timestamps that follow the wall clock but never go backwards and always come after
 * every timestamp seen from peers, so a conversation sorts the same on every device (ties broken by message id).
 *
 * <pre>
 * timestamp   63        16 15       0
 *             | unix ms  | counter  |     one long: 48 bits of milliseconds, then a 16-bit counter
 * </pre>
 *
 * Within one millisecond, or while the wall clock stands behind the last timestamp (it was stepped back, or a
 * peer's clock runs ahead), the counter goes up; a counter overflow carries into the milliseconds, which keeps
 * the order. A peer's timestamp more than {@link #MAX_AHEAD} ahead of our wall clock is not taken in, so one
 * peer with a wrong clock cannot drag ours into the future. Thread-safe.
 */
public final class HybridClock {
    /** How far ahead of our wall clock a peer's timestamp may be and still advance the clock. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(1);

    private static final int COUNTER_BITS = 16;

    private final LongSupplier wallMillis;
    private final AtomicLong last = new AtomicLong();

    /** A clock whose physical part is {@code wall}'s. */
    public HybridClock(InstantSource wall) {
        this(wall::millis);
    }

    HybridClock(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    /** A timestamp for a message sent now: later than every timestamp this clock gave out or took in. */
    public long now() {
        long wall = wallMillis.getAsLong() << COUNTER_BITS;
        return last.updateAndGet(previous -> Math.max(previous + 1, wall));
    }

    /**
     * Takes in a peer's timestamp, so that our next one comes after it.
     *
     * @return false, leaving the clock alone, if the timestamp is negative or more than {@link #MAX_AHEAD} ahead
     */
    public boolean observe(long remote) {
        if (remote < 0 || millis(remote) - wallMillis.getAsLong() > MAX_AHEAD.toMillis()) {
            return false;
        }
        last.accumulateAndGet(remote, Math::max);
        return true;
    }

    /** The first timestamp of the unix millisecond {@code unixMillis}. */
    public static long at(long unixMillis) {
        return unixMillis << COUNTER_BITS;
    }

    /** The unix milliseconds of a timestamp. */
    public static long millis(long timestamp) {
        return timestamp >>> COUNTER_BITS;
    }
}
