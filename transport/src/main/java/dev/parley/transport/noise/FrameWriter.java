package dev.parley.transport.noise;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes {@link NoiseFrame}s onto a raw stream. It owns one frame-sized buffer; the channel encrypts straight
 * into it and sends header and message with a single write.
 */
final class FrameWriter implements Closeable {
    private final OutputStream out;
    private final byte[] frame = new byte[NoiseFrame.MAX_FRAME_SIZE];

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    /** The frame buffer; the next message goes at {@link NoiseFrame#HEADER_SIZE}. */
    byte[] buffer() {
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
        System.arraycopy(message, 0, frame, NoiseFrame.HEADER_SIZE, message.length);
        send(message.length);
        out.flush();
    }

    void flush() throws IOException {
        out.flush();
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
