package dev.parley.app.engine.threads;

import dev.parley.app.engine.api.EngineException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every thread the engine starts, and whether the engine is closing. Three kinds:
 * <ul>
 *   <li><b>tasks</b>: one virtual thread each, named for what it does ("chat-link PEER", "room-sync PEER", …), for
 *   work that blocks on the network or the store: links, syncs, lookups, the steps of a send;</li>
 *   <li><b>crypto</b>: a pool of one platform thread per core ({@value #CRYPTO_THREAD_PREFIX}N), for sealing and
 *   opening envelopes, which is CPU work that more threads would only slow down;</li>
 *   <li><b>the scheduler</b>: one platform thread ({@value #SCHEDULER_THREAD}) for periodic work, the rooms'
 *   anti-entropy rounds.</li>
 * </ul>
 * Closing refuses new work, interrupts the tasks and the scheduler (streams and dials end with an exception their
 * tasks log quietly), lets the crypto pool finish what is queued, and returns once every one of these threads has
 * ended, or {@link #CLOSE_WAIT} has passed for each kind.
 *
 * <p>Each of these threads names its node in the log's {@value #NODE_LOG_KEY} key, so that the lines of many engines
 * in one process (tests, benchmarks) tell whose they are.
 */
public final class EngineThreads implements Tasks, AutoCloseable {
    public static final String SCHEDULER_THREAD = "engine-scheduler";
    public static final String CRYPTO_THREAD_PREFIX = "engine-crypto-";
    /** The name of the threads {@link #tasks()} runs futures' steps on. */
    public static final String TASK_THREAD = "engine-task";
    /** How long closing waits for each kind of thread to end once interrupted. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** The key of the logging context that names the node a thread works for. */
    public static final String NODE_LOG_KEY = "node";
    private static final Logger log = LoggerFactory.getLogger(EngineThreads.class);

    private final String node;
    /** Guards {@link #closing} against a task starting while {@link #close} collects the running ones. */
    private final Object starting = new Object();
    private volatile boolean closing;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Executor tasks = task -> {
        if (!launch(unstarted(TASK_THREAD, task))) {
            throw new RejectedExecutionException("the engine is closed");
        }
    };
    private final ExecutorService crypto;
    /** The scheduler's thread, which {@link #close} joins: its executor's termination comes before the thread's end. */
    private final List<Thread> schedulerThreads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    /** @param node how the log names the node these threads work for */
    public EngineThreads(String node) {
        this.node = node;
        ThreadFactory cryptoThreads = Thread.ofPlatform().daemon().name(CRYPTO_THREAD_PREFIX, 0).factory();
        this.crypto = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                task -> cryptoThreads.newThread(naming(task)));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = Thread.ofPlatform().daemon().name(SCHEDULER_THREAD).unstarted(naming(task));
            schedulerThreads.add(thread);
            return thread;
        });
    }

    /** {@code task}, naming this node in the log of the thread it runs on. */
    private Runnable naming(Runnable task) {
        return () -> {
            MDC.put(NODE_LOG_KEY, node);
            task.run();
        };
    }

    /**
     * Runs {@code task} on a virtual thread named {@code name}, which is returned: its owner may interrupt it and
     * join it. A task that fails is logged, quietly if closing made it fail. Once the engine is closing, nothing
     * starts: the thread comes back unstarted, and joining it returns at once.
     */
    @Override
    public Thread start(String name, Runnable task) {
        Thread thread = unstarted(name, task);
        if (!launch(thread)) {
            log.debug("{} not started: the engine is closed", name);
        }
        return thread;
    }

    /** An executor for futures' steps, each on a task of its own; it refuses work once the engine is closing. */
    public Executor tasks() {
        return tasks;
    }

    /** The CPU pool that seals and opens envelopes. */
    public Executor crypto() {
        return crypto;
    }

    /** The scheduler periodic work runs on. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public boolean isClosing() {
        return closing;
    }

    /** Refuses a user's request once the engine is closing. */
    public void checkOpen() throws EngineException {
        if (isClosing()) {
            throw new EngineException("the engine is closed");
        }
    }

    /**
     * Marks the engine closing, so that its parts stop taking work while they close; returns whether this call
     * did, so that closing happens once.
     */
    public boolean beginClosing() {
        synchronized (starting) {
            boolean first = !closing;
            closing = true;
            return first;
        }
    }

    /** Stops the scheduler, the tasks and the crypto pool, and waits for each one's threads to end. */
    @Override
    public void close() {
        beginClosing();
        scheduler.shutdownNow();
        running.forEach(Thread::interrupt);
        // Not interrupted: what is queued finishes, so no future a task waits on is left without a result.
        crypto.shutdown();
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (Thread thread : schedulerThreads) {
                joinUntil(thread, deadline);
            }
            deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (Thread thread : running) {
                joinUntil(thread, deadline);
            }
            if (!crypto.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the crypto pool was still working {} after closing", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread unstarted(String name, Runnable task) {
        return Thread.ofVirtual().name(name).unstarted(() -> {
            MDC.put(NODE_LOG_KEY, node);
            try {
                task.run();
            } catch (RuntimeException e) {
                if (isClosing()) {
                    log.debug("{} stopped by closing: {}", name, e.toString());
                } else {
                    log.warn("{} failed", name, e);
                }
            } finally {
                running.remove(Thread.currentThread());
            }
        });
    }

    /** Starts {@code thread} unless the engine is closing; whether it did. */
    private boolean launch(Thread thread) {
        synchronized (starting) {
            if (closing) {
                return false;
            }
            running.add(thread);
            thread.start();
            return true;
        }
    }

    private static void joinUntil(Thread thread, long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (!thread.join(Duration.ofNanos(Math.max(left, 1)))) {
            Exception where = new Exception("stack of " + thread.getName());
            where.setStackTrace(thread.getStackTrace());
            log.warn("{} still runs {} after the engine closed", thread.getName(), CLOSE_WAIT, where);
        }
    }
}
