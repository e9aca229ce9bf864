package dev.parley.transport.noise;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes {@link NoiseFrame}s from a raw stream. It reads as much as the stream offers into one buffer, so a run
 * of small frames costs one read call, and it hands each frame out in place so the caller can decrypt it there.
 * The buffer grows to hold two whole frames when a large frame arrives, and goes back to a small one whenever
 * everything received has been handed out: an idle connection waits on a few bytes, not on 128 KiB
 * (transport/README.md, "Memory and deadlines"). The same reader serves the handshake and then the channel, so
 * bytes the peer sends right behind its last handshake message are not lost.
 */
final class FrameReader implements Closeable {
    private final InputStream in;
    /** What an idle connection waits with; enough for a run of small frames. */
    static final int IDLE_CAPACITY = 2 * 1024;
    private static final int BUSY_CAPACITY = 2 * NoiseFrame.MAX_FRAME_SIZE;

    private byte[] buffer = new byte[IDLE_CAPACITY];
    /** Received bytes not yet handed out lie in [start, end). */
    private int start;
    private int end;
    private int frameOffset;

    FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame; its message is then at {@link #buffer()} from {@link #offset()} until the next
     * call, and may be overwritten in place.
     *
     * @return the message length, or -1 if the stream ended cleanly between two frames
     * @throws EOFException if the stream ended inside a frame
     */
    int next() throws IOException {
        if (start == end && buffer.length > IDLE_CAPACITY) {
            // Everything received was handed out, and the last frame is no longer the caller's to read.
            buffer = new byte[IDLE_CAPACITY];
            start = 0;
            end = 0;
        }
        if (!fill(NoiseFrame.HEADER_SIZE)) {
            if (start == end) {
                return -1;
            }
            throw new EOFException("Noise frame truncated: the stream ended inside its 2-byte length");
        }
        int length = ((buffer[start] & 0xFF) << 8) | (buffer[start + 1] & 0xFF);
        if (!fill(NoiseFrame.HEADER_SIZE + length)) {
            throw new EOFException("Noise frame truncated: its header announces " + length
                    + " bytes, the stream ended after " + (end - start - NoiseFrame.HEADER_SIZE));
        }
        frameOffset = start + NoiseFrame.HEADER_SIZE;
        start = frameOffset + length;
        return length;
    }

    byte[] buffer() {
        return buffer;
    }

    int offset() {
        return frameOffset;
    }

    /** Reads until {@code needed} bytes are buffered from {@code start}; false if the stream ends first. */
    private boolean fill(int needed) throws IOException {
        if (end - start >= needed) {
            return true;
        }
        if (buffer.length - start < needed) {
            byte[] target = needed > buffer.length ? new byte[BUSY_CAPACITY] : buffer;
            System.arraycopy(buffer, start, target, 0, end - start);
            buffer = target;
            end -= start;
            start = 0;
        }
        while (end - start < needed) {
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
