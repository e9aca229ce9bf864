package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine does off its callers' and its connections' threads, and whether the engine is closing: work
 * that fails because the engine closed under it is logged quietly, and requests made after closing are refused.
 * The engine owns the executor and shuts it down.
 */
final class Background {
    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final ExecutorService virtualThreads;
    private final AtomicBoolean closed = new AtomicBoolean();

    Background(ExecutorService virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    /** Runs {@code task} on a virtual thread; a failure is logged (quietly once the engine is closing). */
    void run(String what, Runnable task) {
        try {
            virtualThreads.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (isClosed()) {
                        log.debug("{} stopped by closing: {}", what, e.toString());
                    } else {
                        log.warn("{} failed", what, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("{} not started: the engine is closed", what);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void checkOpen() throws EngineException {
        if (isClosed()) {
            throw new EngineException("the engine is closed");
        }
    }

    /** Marks the engine closing; returns whether this call did, so that closing happens once. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }
}
