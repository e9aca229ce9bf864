package dev.parley.transport.relay;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once a time has passed, unless closed first: bounds how long a peer may keep a relay
 * stream waiting. A sleeping virtual thread, so neither relays nor clients need an executor to shut down.
 */
final class Deadline implements AutoCloseable {
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Thread sleeper;
    private volatile boolean fired;

    private Deadline(Duration after, Runnable action) {
        this.sleeper = Thread.ofVirtual().name("relay-deadline").start(() -> {
            try {
                Thread.sleep(after);
            } catch (InterruptedException cancelled) {
                return;
            }
            if (settled.compareAndSet(false, true)) {
                fired = true;
                action.run();
            }
        });
    }

    static Deadline after(Duration after, Runnable action) {
        return new Deadline(after, action);
    }

    /** Whether the time passed before {@link #close()}, so the action ran (or is running). */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        if (settled.compareAndSet(false, true)) {
            sleeper.interrupt();
        }
    }
}
