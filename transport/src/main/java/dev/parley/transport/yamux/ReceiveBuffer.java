package dev.parley.transport.yamux;

import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
 * <p>The bytes live in a ring allocated when data arrives, grown to the largest amount actually buffered (never
 * beyond the window) and dropped as soon as the application has read it all, so an idle stream holds no buffer.
 * Every byte of the ring is reserved from the stream's {@link MemoryScope} first: when the budget refuses, the
 * payload is skipped and the stream fails ({@link YamuxStreamException}), and the window only grows while the
 * budget has room (transport/README.md, "Memory and deadlines"). The reader thread fills the free part of the ring
 * without holding the lock (only it ever enlarges the ring), so an application reading the same stream is not
 * held up by network reads.
 */
final class ReceiveBuffer {
    /** The first ring of a stream; reserving it is essential, anything larger is bulk. */
    static final int MIN_CAPACITY = 4 * 1024;
    private static final int RTTS_PER_EPOCH = 4;
    private static final byte[] NO_RING = new byte[0];

    private final long streamId;
    private final long windowLimit;
    private final LongSupplier rttNanos;
    private final MemoryScope memory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();

    /** Reserved from {@link #memory} for its whole length while allocated. */
    private byte[] ring = NO_RING;
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
    private long readDeadlineNanos;
    private boolean hasReadDeadline;

    ReceiveBuffer(long streamId, long windowLimit, LongSupplier rttNanos, MemoryScope memory) {
        this.streamId = streamId;
        this.windowLimit = windowLimit;
        this.rttNanos = rttNanos;
        this.memory = memory;
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
     *
     * @throws YamuxStreamException if the memory budget refused room for the payload: it was skipped, and the
     *                              stream has failed and must be reset
     */
    long receive(FrameReader reader, long length) throws IOException {
        byte[] target;
        int tail;
        YamuxStreamException refused = null;
        lock.lock();
        try {
            if (length > credit) {
                throw new YamuxProtocolException("data frame of " + length + " bytes on stream " + streamId
                        + " exceeds its receive window of " + credit + " bytes");
            }
            credit -= length;
            filling = (int) length;
            if (keepsData() && !ensureCapacity(size + (int) length)) {
                refused = new YamuxStreamException("stream " + streamId + " was reset: the memory budget has no room"
                        + " for " + (size + length) + " buffered bytes");
                fail(refused);
            }
            if (!keepsData()) {
                target = null;
                tail = 0;
            } else {
                target = ring;
                tail = wrap(head + size);
            }
        } finally {
            lock.unlock();
        }
        if (target == null) {
            reader.skipPayload(length);
            long delta = commit(0);
            if (refused != null) {
                throw refused;
            }
            return delta;
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
                awaitReadable();
            }
            int n = Math.min(len, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = wrap(head + n);
            size -= n;
            if (size == 0 && filling == 0) {
                dropRing();
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading yamux stream " + streamId);
        } finally {
            lock.unlock();
        }
    }

    /** Reads wait at most until {@code timeout} from now, then fail; null for no deadline. */
    void setReadDeadline(Duration timeout) {
        lock.lock();
        try {
            hasReadDeadline = timeout != null;
            readDeadlineNanos = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            readable.signalAll();
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
            dropRing();
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
            long grown = Math.max(window, Math.min(window * 2, windowLimit));
            // A larger window lets the peer make us buffer more: only while the budget could take it.
            if (memory.hasRoomFor(grown - ring.length)) {
                window = grown;
            }
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
        dropRing();
        readable.signalAll();
    }

    private void awaitReadable() throws InterruptedException, SocketTimeoutException {
        if (!hasReadDeadline) {
            readable.await();
            return;
        }
        long remaining = readDeadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no data on yamux stream " + streamId + " before its read deadline");
        }
        readable.awaitNanos(remaining);
    }

    /** Makes room for {@code needed} buffered bytes, reserving the growth first; false if the budget refused. */
    private boolean ensureCapacity(int needed) {
        assert lock.isHeldByCurrentThread();
        if (needed <= ring.length) {
            return true;
        }
        // The credit check keeps needed within the window, so the ring never outgrows the window.
        long grown = Math.max((long) ring.length * 2, MIN_CAPACITY);
        int capacity = (int) Math.max(needed, Math.min(grown, window));
        MemoryScope.Priority priority = capacity <= MIN_CAPACITY
                ? MemoryScope.Priority.ESSENTIAL : MemoryScope.Priority.BULK;
        if (!memory.reserve(capacity - ring.length, priority)) {
            return false;
        }
        byte[] bigger = new byte[capacity];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, first);
        System.arraycopy(ring, 0, bigger, first, size - first);
        ring = bigger;
        head = 0;
        return true;
    }

    /** Lets the ring go and gives its reservation back; the next data allocates a new one. */
    private void dropRing() {
        assert lock.isHeldByCurrentThread();
        if (ring.length > 0) {
            memory.release(ring.length);
            ring = NO_RING;
            head = 0;
        }
    }

    private int wrap(int index) {
        return index >= ring.length ? index - ring.length : index;
    }
}
