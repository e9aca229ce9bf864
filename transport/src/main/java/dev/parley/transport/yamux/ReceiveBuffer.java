package dev.parley.transport.yamux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The receiving half of a stream: the bytes the peer sent that the application has not read yet, and the
 * receive window that bounds them.
 *
 * <p>Window accounting: {@code window = credit + filling + buffered + consumed-but-not-yet-granted}, where
 * credit is what the peer may still send and filling is a payload being read in right now. A DATA frame larger
 * than the credit is a protocol error, so the buffer can never hold more than the window. As the application
 * reads, the consumed bytes are granted back in one window update once they reach half the window. If that
 * half was used up within four round trips, the sender was waiting on us rather than on the network, and the
 * window doubles (up to its limit), as go-yamux and js-libp2p-yamux do.
 *
 * <p>The bytes live in a ring that grows to the largest amount actually buffered, never beyond the window. The
 * reader thread fills the free part of the ring without holding the lock (only it ever enlarges the ring), so
 * an application reading the same stream is not held up by network reads.
 */
final class ReceiveBuffer {
    private static final int MIN_CAPACITY = 16 * 1024;
    private static final int RTTS_PER_EPOCH = 4;

    private final long streamId;
    private final long windowLimit;
    private final LongSupplier rttNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();

    private byte[] ring = new byte[0];
    private int head;
    private int size;
    private int filling;
    private long window = YamuxConfig.SPEC_INITIAL_WINDOW;
    private long credit = YamuxConfig.SPEC_INITIAL_WINDOW;
    private long epochStart = System.nanoTime();
    private boolean finished;
    private boolean readClosed;
    private IOException failure;
    private int peakBuffered;

    ReceiveBuffer(long streamId, long windowLimit, LongSupplier rttNanos) {
        this.streamId = streamId;
        this.windowLimit = windowLimit;
        this.rttNanos = rttNanos;
    }

    /** Raises the window from the spec's initial size to {@code target}; returns the increment to announce. */
    long openWindow(long target) {
        lock.lock();
        try {
            long delta = Math.max(0, target - window);
            window += delta;
            credit += delta;
            return delta;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads a DATA payload of {@code length} bytes into the buffer (reader thread only). Returns a window
     * increment to send now, non-zero only when the application closed its reading side and the data was
     * dropped.
     */
    long receive(FrameReader reader, long length) throws IOException {
        byte[] target;
        int tail;
        lock.lock();
        try {
            if (length > credit) {
                throw new YamuxProtocolException("data frame of " + length + " bytes on stream " + streamId
                        + " exceeds its receive window of " + credit + " bytes");
            }
            credit -= length;
            filling = (int) length;
            if (!keepsData()) {
                target = null;
                tail = 0;
            } else {
                ensureCapacity(size + (int) length);
                target = ring;
                tail = wrap(head + size);
            }
        } finally {
            lock.unlock();
        }
        if (target == null) {
            reader.skipPayload(length);
            return commit(0);
        }
        int first = (int) Math.min(length, target.length - tail);
        reader.readPayload(target, tail, first);
        reader.readPayload(target, 0, (int) length - first);
        return commit((int) length);
    }

    /** Blocks until data, end of stream (-1) or failure. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == 0) {
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                if (readClosed) {
                    throw new IOException("stream " + streamId + " is closed for reading");
                }
                if (finished) {
                    return -1;
                }
                readable.await();
            }
            int n = Math.min(len, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = wrap(head + n);
            size -= n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading yamux stream " + streamId);
        } finally {
            lock.unlock();
        }
    }

    int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The window increment to send after the application read, or 0 while too little was consumed. */
    long windowUpdate() {
        lock.lock();
        try {
            return takeWindowUpdate();
        } finally {
            lock.unlock();
        }
    }

    /** The peer half-closed: readers get the rest of the buffer, then end of stream. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The stream was reset: buffered data is dropped and readers fail with {@code cause}. */
    void reset(IOException cause) {
        lock.lock();
        try {
            fail(cause);
        } finally {
            lock.unlock();
        }
    }

    /** The session ended: a stream the peer had finished stays readable to its end; any other fails. */
    void sessionEnded(IOException cause) {
        lock.lock();
        try {
            if (!finished) {
                fail(cause);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The application stopped reading: drop what is buffered and what still arrives. Returns the increment that
     * hands the whole window back, so a peer still writing is not left blocked; 0 if the peer sends no more.
     */
    long closeRead() {
        lock.lock();
        try {
            readClosed = true;
            head = 0;
            size = 0;
            readable.signalAll();
            if (finished || failure != null) {
                return 0;
            }
            // A payload being filled is handed back when it lands (see commit).
            long delta = window - credit - filling;
            credit += delta;
            return delta;
        } finally {
            lock.unlock();
        }
    }

    int peakBuffered() {
        lock.lock();
        try {
            return peakBuffered;
        } finally {
            lock.unlock();
        }
    }

    long window() {
        lock.lock();
        try {
            return window;
        } finally {
            lock.unlock();
        }
    }

    private boolean keepsData() {
        return failure == null && !readClosed && !finished;
    }

    /** Publishes {@code length} bytes written past the buffered ones, unless the stream stopped keeping data. */
    private long commit(int length) {
        lock.lock();
        try {
            filling = 0;
            if (!keepsData()) {
                // Data dropped because the application stopped reading counts as consumed at once.
                return readClosed ? takeWindowUpdate() : 0;
            }
            size += length;
            peakBuffered = Math.max(peakBuffered, size);
            readable.signalAll();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private long takeWindowUpdate() {
        if (finished || failure != null) {
            return 0;
        }
        long consumed = window - credit - filling - size;
        if (consumed < window / 2) {
            return 0;
        }
        long now = System.nanoTime();
        long rtt = rttNanos.getAsLong();
        if (rtt > 0 && now - epochStart < RTTS_PER_EPOCH * rtt) {
            window = Math.max(window, Math.min(window * 2, windowLimit));
        }
        epochStart = now;
        long delta = window - credit - filling - size;
        credit += delta;
        return delta;
    }

    private void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        head = 0;
        size = 0;
        readable.signalAll();
    }

    private void ensureCapacity(int needed) {
        if (needed <= ring.length) {
            return;
        }
        // The credit check keeps needed within the window, so the ring never outgrows the window.
        long grown = Math.max((long) ring.length * 2, MIN_CAPACITY);
        int capacity = (int) Math.max(needed, Math.min(grown, window));
        byte[] bigger = new byte[capacity];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
    }

    private int wrap(int index) {
        return index >= ring.length ? index - ring.length : index;
    }
}
