package dev.parley.transport.yamux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory connection with bounded buffering: the writer blocks while the buffer is full,
 * as on a socket. Closing the sink gives the reader end of stream after the buffer drains; closing the source
 * makes the writer fail, like a reset connection.
 */
final class InMemoryPipe {
    /** One side of a duplex connection. */
    record End(InputStream in, OutputStream out) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int size;
    private boolean sinkClosed;
    private boolean sourceClosed;

    InMemoryPipe(int capacity) {
        ring = new byte[capacity];
    }

    /** Two ends wired to each other: what one writes, the other reads. */
    static End[] duplex(int capacity) {
        InMemoryPipe aToB = new InMemoryPipe(capacity);
        InMemoryPipe bToA = new InMemoryPipe(capacity);
        return new End[] {new End(bToA.new Source(), aToB.new Sink()), new End(aToB.new Source(), bToA.new Sink())};
    }

    private void closeEnd(boolean source) {
        lock.lock();
        try {
            if (source) {
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
                while (size == 0) {
                    if (sourceClosed) {
                        throw new IOException("pipe closed");
                    }
                    if (sinkClosed) {
                        return -1;
                    }
                    notEmpty.await();
                }
                int n = Math.min(len, size);
                int first = Math.min(n, ring.length - head);
                System.arraycopy(ring, head, b, off, first);
                System.arraycopy(ring, 0, b, off + first, n - first);
                head = (head + n) % ring.length;
                size -= n;
                notFull.signalAll();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeEnd(true);
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
                        notFull.await();
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeEnd(false);
        }
    }
}
