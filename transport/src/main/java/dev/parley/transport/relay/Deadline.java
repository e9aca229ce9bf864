package dev.parley.transport.relay;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once a time has passed, unless closed first: ends a circuit at its duration limit, however busy
 * it is (waiting for a peer's message needs none: that is a read deadline on the stream). A sleeping virtual
 * thread, so the relay needs no executor to shut down.
 */
final class Deadline implements AutoCloseable {
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Thread sleeper;

    private Deadline(Duration after, Runnable action) {
        this.sleeper = Thread.ofVirtual().name("relay-deadline").start(() -> {
            try {
                Thread.sleep(after);
            } catch (InterruptedException cancelled) {
                return;
            }
            if (settled.compareAndSet(false, true)) {
                action.run();
            }
        });
    }

    static Deadline after(Duration after, Runnable action) {
        return new Deadline(after, action);
    }

    @Override
    public void close() {
        if (settled.compareAndSet(false, true)) {
            sleeper.interrupt();
        }
    }
}
