package dev.parley.app.engine.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * The machine's monotonic clock, which a test can move ahead at once: what waits on it in real time still waits,
 * and whatever compares readings of it sees the time the test skipped as passed.
 */
public final class SteppingClock implements MonotonicClock {
    private final AtomicLong aheadNanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return System.nanoTime() + aheadNanos.get();
    }

    @Override
    public long awaitNanos(Condition condition, long nanos) throws InterruptedException {
        return condition.awaitNanos(nanos);
    }

    public void step(Duration by) {
        aheadNanos.addAndGet(by.toNanos());
    }
}
