package dev.parley.app.engine.room;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads the rooms start (syncs, pushes, dialling members): one virtual thread a task, named for what it does.
 * The rooms own them: closing interrupts them (their streams and dials end with an exception they log) and waits
 * until every one has ended.
 */
final class RoomTasks implements AutoCloseable {
    /** How long closing waits for the tasks to end once interrupted. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RoomTasks.class);

    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("room-task")
            .factory());

    /** Runs {@code task} on a thread of its own named {@code name}; once closing, nothing is started. */
    void run(String name, Runnable task) {
        try {
            threads.execute(() -> {
                Thread.currentThread().setName(name);
                task.run();
            });
        } catch (RejectedExecutionException e) {
            log.debug("{} not started: the rooms are closed", name);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("room tasks were still running {} after they were interrupted", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
