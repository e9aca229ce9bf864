package dev.parley.transport;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Room for one inbound connection in a host's limits, taken when the connection is accepted (see
 * {@link InboundHandler#admit}). The host gives it back when the connection ends; a listener that drops a
 * connection before handing it over closes it itself. Closing it again changes nothing.
 */
public final class Admission implements AutoCloseable {
    /** Where the connection stands in the count: its handshake under way, upgraded, or gone. */
    enum State { PENDING, CONNECTED, RELEASED }

    /** Null for an admission no host counts (see {@link InboundHandler#unlimited}). */
    private final ResourceManager manager;
    private final Optional<InboundSource> source;
    // Locking: the manager's lock
    private State state = State.PENDING;
    private volatile Future<?> deadline;

    Admission(ResourceManager manager, Optional<InboundSource> source) {
        this.manager = manager;
        this.source = source;
    }

    /** An admission that counts against nothing. */
    static Admission untracked() {
        return new Admission(null, Optional.empty());
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
    void connected() {
        if (manager != null) {
            manager.connected(this);
        }
        cancelDeadline();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.release(this);
        }
        cancelDeadline();
    }

    private void cancelDeadline() {
        Future<?> scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
