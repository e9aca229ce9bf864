package dev.parley.transport.yamux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the frames the reader thread must answer with (ping replies, refusals, window updates for discarded
 * data). The reader must keep reading even when the peer is not reading our output, or two peers
 * could each stall on a full socket, so it only queues here and a virtual thread does the writing. The queue is
 * bounded: a peer that floods us with frames needing an answer while not reading our answers is slowed down
 * (the reader waits) rather than allowed to grow our memory.
 */
final class ControlSender {
    private static final Logger log = LoggerFactory.getLogger(ControlSender.class);
    private static final int MAX_QUEUED = 1024;

    private final FrameWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<FrameHeader> queue = new ArrayDeque<>();
    private boolean draining;

    ControlSender(FrameWriter writer) {
        this.writer = writer;
    }

    /** Queues a frame, waiting while the queue is full. */
    void send(FrameHeader frame) throws InterruptedIOException {
        enqueue(frame, Long.MAX_VALUE);
    }

    /**
     * Queues a frame, waiting while the queue is full, but no longer than {@code maxWait}. A queue that stays full
     * means the peer has stopped reading our connection: the keep-alive ping must then fail by its timeout rather
     * than wait here with everything else.
     */
    void send(FrameHeader frame, Duration maxWait) throws IOException {
        if (!enqueue(frame, maxWait.toNanos())) {
            throw new IOException("yamux control queue stayed full for " + maxWait.toMillis()
                    + " ms: the peer is not reading our connection");
        }
    }

    /** Queues a frame once there is room; false if there was none within {@code maxWaitNanos}. */
    private boolean enqueue(FrameHeader frame, long maxWaitNanos) throws InterruptedIOException {
        lock.lock();
        try {
            long waitNanos = maxWaitNanos;
            while (queue.size() >= MAX_QUEUED) {
                if (waitNanos <= 0) {
                    return false;
                }
                waitNanos = notFull.awaitNanos(waitNanos);
            }
            queue.add(frame);
            if (!draining) {
                draining = true;
                Thread.ofVirtual().name("yamux-control-sender").start(this::drain);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing a yamux " + frame.type() + " frame");
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        while (true) {
            List<FrameHeader> batch;
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    draining = false;
                    return;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                writer.write(batch);
            } catch (IOException e) {
                log.debug("yamux control frames not sent: {}", e.toString());
                discardQueued();
            }
        }
    }

    /** The connection is gone: drop what is queued, and let a reader waiting for room go on to find that out. */
    private void discardQueued() {
        lock.lock();
        try {
            queue.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
