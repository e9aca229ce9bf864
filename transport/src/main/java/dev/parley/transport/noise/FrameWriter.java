package dev.parley.transport.noise;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encodes {@link NoiseFrame}s onto a raw stream. It owns one frame buffer; the channel encrypts straight into it
 * and sends header and message with a single write. The buffer grows with what is written and shrinks back after
 * each flush, so an idle connection does not hold a 64 KiB frame (transport/README.md, "Memory and deadlines").
 */
final class FrameWriter implements Closeable {
    private final OutputStream out;
    private static final int IDLE_CAPACITY = 256;

    private byte[] frame = new byte[IDLE_CAPACITY];

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * The frame buffer, with room for at least {@code capacity} bytes (header included) and what it held before;
     * the next message goes at {@link NoiseFrame#HEADER_SIZE}.
     */
    byte[] buffer(int capacity) {
        if (capacity > frame.length) {
            int grown = (int) Math.min(NoiseFrame.MAX_FRAME_SIZE, Math.max(capacity, 2L * frame.length));
            frame = Arrays.copyOf(frame, grown);
        }
        return frame;
    }

    /** Writes the frame whose message of {@code length} bytes already sits in {@link #buffer()}. */
    void send(int length) throws IOException {
        checkLength(length);
        frame[0] = (byte) (length >>> 8);
        frame[1] = (byte) length;
        out.write(frame, 0, NoiseFrame.HEADER_SIZE + length);
    }

    /** Writes one whole message as a frame and flushes: how handshake messages go out. */
    void sendAndFlush(byte[] message) throws IOException {
        checkLength(message.length);
        System.arraycopy(message, 0, buffer(NoiseFrame.HEADER_SIZE + message.length), NoiseFrame.HEADER_SIZE,
                message.length);
        send(message.length);
        out.flush();
    }

    void flush() throws IOException {
        out.flush();
        if (frame.length > IDLE_CAPACITY) {
            frame = new byte[IDLE_CAPACITY];
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void checkLength(int length) {
        if (length < 0 || length > NoiseFrame.MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("Noise message of " + length + " bytes exceeds the "
                    + NoiseFrame.MAX_MESSAGE_SIZE + "-byte frame limit");
        }
    }
}
