package dev.parley.app.engine.time;

/**
 * A token bucket: it fills at {@code perSecond} tokens a second up to {@code burst}, and starts full. Taking never
 * fails: the bucket may go into debt, and {@link #take} answers how long until the debt is paid, which is how long
 * the taker should wait. Time is a parameter ({@link System#nanoTime} values), so the bucket is a function of the
 * calls made and their times. Not thread-safe: its owner locks.
 */
public final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long at;

    public TokenBucket(double perSecond, double burst, long now) {
        if (!(perSecond > 0) || !(burst > 0) || Double.isInfinite(perSecond) || Double.isInfinite(burst)) {
            throw new IllegalArgumentException("a bucket needs a finite rate and burst above 0, not " + perSecond
                    + " a second and " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.at = now;
    }

    /** Takes {@code amount} tokens at {@code now}; returns the nanoseconds until the bucket is out of debt (0: not in it). */
    public long take(double amount, long now) {
        refill(now);
        tokens -= amount;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    /** Whether the bucket is full at {@code now}, so that forgetting it changes nothing. */
    public boolean full(long now) {
        refill(now);
        return tokens >= burst;
    }

    /** Whether there is anything left to take at {@code now}: the bucket holds more than nothing and owes nothing. */
    public boolean any(long now) {
        refill(now);
        return tokens > 0;
    }

    private void refill(long now) {
        if (now - at > 0) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
        }
    }
}
