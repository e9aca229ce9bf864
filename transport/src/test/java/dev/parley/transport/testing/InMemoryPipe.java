package dev.parley.transport.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two in-memory ends joined like the ends of a socket: what one writes, the other reads. Each direction buffers
 * at most {@value #CAPACITY} bytes, so a writer blocks while its reader lags, as on a socket. Unlike
 * {@link java.io.PipedInputStream} it does not care which threads read or write, and blocked calls give way to
 * interruption.
 *
 * <p>Closing an end's {@code out} gives the other end's {@code in} end of stream once the buffer drains.
 * Closing an end's {@code in} makes its own blocked and later reads fail, and the other end's writes too, like
 * a reset connection.
 */
public final class InMemoryPipe implements AutoCloseable {
    /** Enough for a few full frames of any protocol under test, little enough that backpressure shows. */
    private static final int CAPACITY = 256 * 1024;

    /**
     * One end: the raw streams a protocol runs over. Tests may build an end around a wrapped stream, to record or
     * tamper with what goes on the wire.
     */
    public record End(InputStream in, OutputStream out) {
        public void close() {
            try {
                in.close();
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final End dialer;
    private final End listener;

    private InMemoryPipe() {
        Direction toListener = new Direction();
        Direction toDialer = new Direction();
        dialer = new End(toDialer.source, toListener.sink);
        listener = new End(toListener.source, toDialer.sink);
    }

    public static InMemoryPipe open() {
        return new InMemoryPipe();
    }

    public End dialer() {
        return dialer;
    }

    public End listener() {
        return listener;
    }

    /** Cuts both directions, as a dropped connection would. */
    @Override
    public void close() {
        dialer.close();
        listener.close();
    }

    /** One direction: a bounded ring buffer that {@link #sink} fills and {@link #source} drains. */
    private static final class Direction {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        private final byte[] ring = new byte[CAPACITY];
        private int head;
        private int size;
        private boolean sinkClosed;
        private boolean sourceClosed;
        final InputStream source = new Source();
        final OutputStream sink = new Sink();

        private void closeSide(boolean sourceSide) {
            lock.lock();
            try {
                if (sourceSide) {
                    sourceClosed = true;
                } else {
                    sinkClosed = true;
                }
                notEmpty.signalAll();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits for a signal; an interrupted wait fails as an interrupted blocking read or write would. */
        private static void await(Condition condition) throws InterruptedIOException {
            try {
                condition.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }

        private final class Source extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                lock.lock();
                try {
                    while (size == 0 && !sinkClosed && !sourceClosed) {
                        await(notEmpty);
                    }
                    // A closed socket refuses reads even with bytes still buffered; so does this.
                    if (sourceClosed) {
                        throw new IOException("pipe closed");
                    }
                    if (size == 0) {
                        return -1;
                    }
                    int n = Math.min(len, size);
                    int first = Math.min(n, ring.length - head);
                    System.arraycopy(ring, head, b, off, first);
                    System.arraycopy(ring, 0, b, off + first, n - first);
                    head = (head + n) % ring.length;
                    size -= n;
                    notFull.signalAll();
                    return n;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                closeSide(true);
            }
        }

        private final class Sink extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                lock.lock();
                try {
                    int offset = off;
                    int remaining = len;
                    while (remaining > 0) {
                        while (size == ring.length && !sourceClosed && !sinkClosed) {
                            await(notFull);
                        }
                        if (sourceClosed || sinkClosed) {
                            throw new IOException("pipe closed");
                        }
                        int tail = (head + size) % ring.length;
                        int n = Math.min(remaining, Math.min(ring.length - size, ring.length - tail));
                        System.arraycopy(b, offset, ring, tail, n);
                        size += n;
                        offset += n;
                        remaining -= n;
                        notEmpty.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                closeSide(false);
            }
        }
    }
}
