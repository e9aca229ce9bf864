package dev.parley.transport.yamux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a stream's flow control: how many bytes the peer still lets us send. Writers take credit
 * before each DATA frame and wait while there is none, so a peer that never reads holds our writer, not our
 * memory. A writer waits at most the stall timeout: a peer that grants no window for that long has stopped
 * reading, and the stream is reset so its handler and buffers are freed (transport/README.md, "Memory and
 * deadlines"). Window updates from the peer add credit; a total beyond the configured maximum is a protocol error.
 */
final class SendWindow {
    private final long streamId;
    private final long maxWindow;
    private final Duration stallTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();

    private long credit = YamuxConfig.SPEC_INITIAL_WINDOW;
    private boolean closed;
    private IOException failure;

    SendWindow(long streamId, long maxWindow, Duration stallTimeout) {
        this.streamId = streamId;
        this.maxWindow = maxWindow;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Takes between 1 and {@code wanted} bytes of credit, waiting while there is none.
     *
     * @throws YamuxStreamException if the peer granted none within the stall timeout
     */
    int acquire(int wanted) throws IOException {
        lock.lock();
        try {
            long remaining = stallTimeout.toNanos();
            while (credit == 0 && failure == null && !closed) {
                if (remaining <= 0) {
                    throw new YamuxStreamException("stream " + streamId + " was reset: the peer granted no send"
                            + " window for " + stallTimeout.toMillis() + " ms");
                }
                remaining = available.awaitNanos(remaining);
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (closed) {
                throw new IOException("stream " + streamId + " is closed for writing");
            }
            int n = (int) Math.min(credit, wanted);
            credit -= n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for send window on yamux stream " + streamId);
        } finally {
            lock.unlock();
        }
    }

    void grant(long delta) throws YamuxProtocolException {
        lock.lock();
        try {
            long raised = credit + delta;
            if (raised > maxWindow) {
                throw new YamuxProtocolException("window update of " + delta + " bytes on stream " + streamId
                        + " raises its send window to " + raised + " bytes, above the maximum of " + maxWindow);
            }
            credit = raised;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops further writes; returns true if this call closed a window that was open and healthy. */
    boolean close() {
        lock.lock();
        try {
            boolean wasOpen = !closed && failure == null;
            closed = true;
            available.signalAll();
            return wasOpen;
        } finally {
            lock.unlock();
        }
    }

    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long credit() {
        lock.lock();
        try {
            return credit;
        } finally {
            lock.unlock();
        }
    }
}
