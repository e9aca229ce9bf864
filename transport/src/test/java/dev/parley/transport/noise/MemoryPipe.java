package dev.parley.transport.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-way in-memory byte pipe with a bounded ring buffer, standing in for one direction of a socket. Unlike
 * {@link java.io.PipedInputStream} it does not care which threads read or write. Closing the sink ends the
 * stream for the reader once drained; closing the source makes blocked and later reads and writes fail.
 */
final class MemoryPipe {
    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private int head;
    private int size;
    private boolean sinkClosed;
    private boolean sourceClosed;

    private final InputStream source = new InputStream() {
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
                    readable.awaitUninterruptibly();
                }
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
                writable.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                sourceClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    };

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                while (len > 0) {
                    while (size == ring.length && !sourceClosed && !sinkClosed) {
                        writable.awaitUninterruptibly();
                    }
                    if (sourceClosed || sinkClosed) {
                        throw new IOException("pipe closed");
                    }
                    int n = Math.min(len, ring.length - size);
                    int tail = (head + size) % ring.length;
                    int first = Math.min(n, ring.length - tail);
                    System.arraycopy(b, off, ring, tail, first);
                    System.arraycopy(b, off + first, ring, 0, n - first);
                    size += n;
                    off += n;
                    len -= n;
                    readable.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                sinkClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    };

    MemoryPipe(int capacity) {
        ring = new byte[capacity];
    }

    InputStream source() {
        return source;
    }

    OutputStream sink() {
        return sink;
    }
}
