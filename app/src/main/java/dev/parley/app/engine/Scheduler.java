package dev.parley.app.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one scheduler: periodic work (the rooms' anti-entropy rounds) runs on its daemon thread, named
 * {@value #THREAD_NAME}. The engine creates it and closes it, which cancels what is scheduled and returns once the
 * thread has ended, not only once its work has.
 */
final class Scheduler implements AutoCloseable {
    static final String THREAD_NAME = "engine-scheduler";
    /** How long closing waits for a task that is running to finish. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = Thread.ofPlatform().daemon().name(THREAD_NAME).unstarted(task);
        threads.add(thread);
        return thread;
    });

    ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            for (Thread thread : threads) {
                if (!thread.join(CLOSE_WAIT)) {
                    log.warn("{} still runs {} after closing", thread.getName(), CLOSE_WAIT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
