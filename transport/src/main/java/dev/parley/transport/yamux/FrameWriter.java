package dev.parley.transport.yamux;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes frames to the secure channel, one writer at a time. The channel buffers until flush, so each call
 * flushes once: a DATA frame (header and payload) or a batch of header-only frames leaves as one unit.
 * A write failure means the connection is gone; it is reported to the session before being rethrown. Once the
 * session ends, nothing more is written but its go-away, which is then the last frame on the wire.
 */
final class FrameWriter {
    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final Consumer<IOException> onFailure;
    private final byte[] header = new byte[FrameHeader.LENGTH];
    private volatile boolean ended;

    FrameWriter(OutputStream out, Consumer<IOException> onFailure) {
        this.out = out;
        this.onFailure = onFailure;
    }

    /** Writes a frame without payload. */
    void write(FrameHeader frame) throws IOException {
        write(List.of(frame));
    }

    /** Writes frames without payload and flushes once. */
    void write(List<FrameHeader> frames) throws IOException {
        writeAndFlush(() -> {
            for (FrameHeader frame : frames) {
                writeHeader(frame);
            }
        });
    }

    /** Writes a DATA frame whose payload is {@code frame.length()} bytes of {@code payload} from {@code offset}. */
    void writeData(FrameHeader frame, byte[] payload, int offset) throws IOException {
        writeAndFlush(() -> {
            writeHeader(frame);
            out.write(payload, offset, (int) frame.length());
        });
    }

    /** Refuses every later frame; a frame being written still completes. */
    void end() {
        ended = true;
    }

    /** Writes the session's go-away, after whatever is being written and before nothing else. */
    void writeLast(FrameHeader goAway) throws IOException {
        lock.lock();
        try {
            ended = true;
            writeHeader(goAway);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    private void writeAndFlush(FrameOutput frames) throws IOException {
        lock.lock();
        try {
            checkNotEnded();
            frames.write();
            out.flush();
        } catch (IOException e) {
            onFailure.accept(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void writeHeader(FrameHeader frame) throws IOException {
        frame.encode(header, 0);
        out.write(header);
    }

    private void checkNotEnded() throws IOException {
        if (ended) {
            throw new IOException("yamux session is closed");
        }
    }

    @FunctionalInterface
    private interface FrameOutput {
        void write() throws IOException;
    }
}
