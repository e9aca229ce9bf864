package dev.parley.app.engine.time;

import java.util.concurrent.locks.Condition;

/**
 * Time for back-off and waiting, in nanoseconds from an arbitrary origin: only differences mean anything, and the
 * wall clock stepping back or forward changes none of them ({@code InstantSource} reads the wall clock, so a
 * back-off measured with it would stretch or vanish with it). The engine uses {@link #SYSTEM}; a test passes a clock
 * of its own that moves only when the test moves it, so back-off runs without sleeping.
 */
public interface MonotonicClock {
    /** {@link System#nanoTime()}, and waits as long in real time. */
    MonotonicClock SYSTEM = new MonotonicClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long awaitNanos(Condition condition, long nanos) throws InterruptedException {
            return condition.awaitNanos(nanos);
        }
    };

    long nanoTime();

    /**
     * Waits on {@code condition}, whose lock the caller holds, until it is signalled or {@code nanos} of this clock's
     * time have passed, as {@link Condition#awaitNanos} does; returns an estimate of the time left, zero or less if
     * none.
     */
    long awaitNanos(Condition condition, long nanos) throws InterruptedException;
}
