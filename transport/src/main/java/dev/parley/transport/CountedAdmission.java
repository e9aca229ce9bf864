package dev.parley.transport;

import dev.parley.transport.spi.Admission;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * An admission the {@link ResourceManager} counts: where it stands (in its handshake, upgraded, gone) and the
 * deadline of its handshake.
 */
final class CountedAdmission implements Admission {
    /** Where the connection stands in the count: its handshake under way, upgraded, or gone. */
    enum State { PENDING, CONNECTED, RELEASED }

    private final ResourceManager manager;
    private final Optional<InboundSource> source;
    // Locking: the manager's lock
    private State state = State.PENDING;
    private volatile Future<?> deadline;

    CountedAdmission(ResourceManager manager, Optional<InboundSource> source) {
        this.manager = manager;
        this.source = source;
    }

    Optional<InboundSource> source() {
        return source;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    void deadline(Future<?> scheduled) {
        deadline = scheduled;
    }

    /** The handshake is done: the connection leaves the pending count and stays in the connection count. */
    @Override
    public void connected() {
        manager.connected(this);
        cancelDeadline();
    }

    @Override
    public void close() {
        manager.release(this);
        cancelDeadline();
    }

    private void cancelDeadline() {
        Future<?> scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
