package dev.parley.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's only writer: one thread owns the write connection and drains a queue of writes, running every write
 * that is waiting in one transaction with one commit. With {@code synchronous=FULL} a commit costs an fsync, so a
 * burst of N writes from many threads costs a handful of fsyncs instead of N. Each write runs in its own
 * savepoint: one that fails is rolled back alone and fails only its caller. A caller's future completes only after
 * the commit that carried its write returned, so a completed write survives a crash or power loss.
 *
 * <p>The queue is bounded: when the disk cannot keep up, submitting blocks (backpressure) instead of filling the
 * heap.
 */
final class BatchingWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchingWriter.class);
    static final int QUEUE_CAPACITY = 4_096;
    /** Most writes one transaction carries, so the first caller in a long burst is not kept waiting long. */
    static final int MAX_BATCH = 1_024;

    /** A write and its caller's future, completed only once the transaction carrying the write committed. */
    private record Task<T>(SqlWork<T> work, CompletableFuture<T> result) {
        /** Runs the write; returns what completes the future with its value, for after the commit. */
        Runnable run(SqliteSession session) throws SQLException {
            T value = work.run(session);
            return () -> result.complete(value);
        }

        Runnable fail(Throwable failure) {
            return () -> result.completeExceptionally(failure);
        }
    }

    private static final Task<Void> STOP = new Task<>(session -> null, new CompletableFuture<>());

    private final SqliteSession session;
    private final String fileName;
    private final TransactionHook hook;
    private final BlockingQueue<Task<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Submitters hold it shared, close() exclusively: no write is queued after the stop marker. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private boolean closed;

    /**
     * @param hook runs last in every transaction (it brings derived state, the search index, up to date, and writes
     *             staged sessions), then hears whether the transaction committed or was rolled back
     */
    BatchingWriter(SqliteSession session, String fileName, TransactionHook hook) {
        this.session = session;
        this.fileName = fileName;
        this.hook = hook;
        this.thread = Thread.ofPlatform().name("parley-store-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues a write; the future completes after the transaction carrying it committed, or with its failure. */
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        closing.readLock().lock();
        try {
            if (closed) {
                throw new StoreException("the store on " + fileName + " is closed");
            }
            queue.put(new Task<>(work, result));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while queueing a write to " + fileName, e);
        } finally {
            closing.readLock().unlock();
        }
        return result;
    }

    StoreStats stats() {
        return new StoreStats(commits.get(), writes.get(), largestBatch.get());
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
                batch.subList(stop, batch.size()).clear();
                stopping = true;
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            batch.clear();
        }
    }

    private void runBatch(List<Task<?>> batch) {
        List<Runnable> outcomes = new ArrayList<>(batch.size());
        boolean committed = false;
        try {
            session.update("BEGIN IMMEDIATE");
            for (Task<?> task : batch) {
                outcomes.add(runInSavepoint(task));
            }
            hook.beforeCommit(session);
            session.update("COMMIT");
            committed = true;
            commits.incrementAndGet();
        } catch (Throwable failure) {
            // The transaction as a whole failed (disk full, I/O error): nothing of it is on disk.
            rollbackQuietly();
            hook.rolledBack();
            log.warn("a transaction of {} writes to {} failed", batch.size(), fileName, failure);
            outcomes.clear();
            // One exception per caller: each caller's thread adds to the exception it throws.
            batch.forEach(task -> outcomes.add(task.fail(
                    new StoreException("writing to " + fileName + " failed: " + failure.getMessage(), failure))));
        }
        if (committed) {
            // Before the callers hear of it: whoever sees their future complete sees the hook's state after commit.
            hook.committed();
        }
        writes.addAndGet(batch.size());
        largestBatch.accumulateAndGet(batch.size(), Math::max);
        // Callers' continuations must not run on (and stall) the writer thread.
        Thread.startVirtualThread(() -> outcomes.forEach(Runnable::run));
    }

    private Runnable runInSavepoint(Task<?> task) throws SQLException {
        session.update("SAVEPOINT write");
        try {
            Runnable succeeded = task.run(session);
            session.update("RELEASE write");
            return succeeded;
        } catch (Exception failure) {
            session.update("ROLLBACK TO write");
            session.update("RELEASE write");
            return task.fail(failure instanceof StoreException ? failure
                    : new StoreException("writing to " + fileName + " failed: " + failure.getMessage(), failure));
        }
    }

    private void rollbackQuietly() {
        try {
            session.execute("ROLLBACK");
        } catch (SQLException e) {
            log.debug("rollback on {} found no transaction to roll back", fileName, e);
        }
    }

    /** Finishes every write queued so far, then stops the thread and closes the connection. */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        boolean interrupted = false;
        boolean stopQueued = false;
        while (!stopQueued || thread.isAlive()) {
            try {
                if (!stopQueued) {
                    queue.put(STOP);
                    stopQueued = true;
                }
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            session.close();
        } catch (SQLException e) {
            log.warn("closing the write connection to {} failed", fileName, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
