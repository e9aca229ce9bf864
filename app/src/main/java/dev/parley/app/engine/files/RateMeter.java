package dev.parley.app.engine.files;

import java.util.function.LongSupplier;

/** Bytes a second over the last few seconds, for "time left": a rate since the start would hide a stall. */
final class RateMeter {
    private static final long WINDOW_NANOS = 3_000_000_000L;

    private final LongSupplier nanoTime;
    private long windowStart;
    private long bytesInWindow;
    private double lastRate;

    RateMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    synchronized void add(long bytes) {
        long now = nanoTime.getAsLong();
        bytesInWindow += bytes;
        if (now - windowStart >= WINDOW_NANOS) {
            lastRate = bytesInWindow * 1e9 / (now - windowStart);
            windowStart = now;
            bytesInWindow = 0;
        }
    }

    synchronized double bytesPerSecond() {
        long elapsed = nanoTime.getAsLong() - windowStart;
        if (lastRate == 0 && elapsed > 0) {
            return bytesInWindow * 1e9 / elapsed;
        }
        return lastRate;
    }
}
