package dev.parley.store;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only connections for any thread. In WAL mode readers do not wait for the writer nor it for them, so reads
 * go on while a batch commits. At most {@link #MAX_CONNECTIONS} are opened, on demand; a reader beyond that
 * waits for one to come back. Each read runs in its own transaction, so a read of several statements sees one
 * consistent snapshot.
 */
final class ReadPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadPool.class);
    static final int MAX_CONNECTIONS = 4;

    private final Callable<SqliteSession> opener;
    private final String fileName;
    private final BlockingQueue<SqliteSession> idle = new ArrayBlockingQueue<>(MAX_CONNECTIONS);
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    ReadPool(Callable<SqliteSession> opener, String fileName) {
        this.opener = opener;
        this.fileName = fileName;
    }

    <T> T read(SqlWork<T> work) {
        SqliteSession session = borrow();
        try {
            session.update("BEGIN");
            try {
                return work.run(session);
            } finally {
                session.update("COMMIT");
            }
        } catch (SQLException e) {
            throw new StoreException("reading " + fileName + " failed: " + e.getMessage(), e);
        } finally {
            giveBack(session);
        }
    }

    private SqliteSession borrow() {
        if (closed) {
            throw new StoreException("the store on " + fileName + " is closed");
        }
        SqliteSession session = idle.poll();
        if (session != null) {
            return session;
        }
        if (opened.getAndIncrement() < MAX_CONNECTIONS) {
            try {
                return opener.call();
            } catch (Exception e) {
                opened.decrementAndGet();
                throw e instanceof StoreException s ? s
                        : new StoreException("opening a read connection to " + fileName + " failed", e);
            }
        }
        opened.decrementAndGet();
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to read " + fileName, e);
        }
    }

    private void giveBack(SqliteSession session) {
        if (closed) {
            closeQuietly(session);
        } else {
            idle.add(session);
        }
    }

    @Override
    public void close() {
        closed = true;
        SqliteSession session;
        while ((session = idle.poll()) != null) {
            closeQuietly(session);
        }
    }

    private void closeQuietly(SqliteSession session) {
        try {
            session.close();
        } catch (SQLException e) {
            log.warn("closing a read connection to {} failed", fileName, e);
        }
    }
}
