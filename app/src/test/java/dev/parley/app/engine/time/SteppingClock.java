package dev.parley.app.engine.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * The machine's monotonic clock, which a test can move ahead at once: what waits on it in real time still waits,
 * and whatever compares readings of it sees the time the test skipped as passed. A test that compares intervals to
 * the nanosecond can {@link #hold} it, so that only its steps move it.
 */
public final class SteppingClock implements MonotonicClock {
    private final AtomicLong aheadNanos = new AtomicLong();
    /** The machine's reading when {@link #hold} stopped the clock, or null while it runs. */
    private volatile Long heldAt;

    @Override
    public long nanoTime() {
        Long held = heldAt;
        return (held != null ? held : System.nanoTime()) + aheadNanos.get();
    }

    /**
     * Stops the machine's time in this clock: from now on only {@link #step} moves it. A busy machine can then take
     * as long as it likes between two readings without the interval changing.
     */
    public synchronized void hold() {
        heldAt = System.nanoTime();
    }

    /** Lets the machine's time run in this clock again, from the reading it held (it never goes back). */
    public synchronized void release() {
        long held = heldAt;
        aheadNanos.addAndGet(held - System.nanoTime());
        heldAt = null;
    }

    @Override
    public long awaitNanos(Condition condition, long nanos) throws InterruptedException {
        return condition.awaitNanos(nanos);
    }

    public void step(Duration by) {
        aheadNanos.addAndGet(by.toNanos());
    }
}
