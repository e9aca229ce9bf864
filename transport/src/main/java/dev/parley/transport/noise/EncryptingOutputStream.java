package dev.parley.transport.noise;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The writing side of a {@link SecureChannel}: buffers plaintext in the {@link FrameWriter}'s frame, encrypts
 * it in place and sends one frame when 65519 bytes are buffered or on {@link #flush()}. Not thread-safe: the
 * caller serialises writes. Once a frame could not be sent the stream refuses further writes, since the
 * peer's nonce would no longer match ours.
 */
final class EncryptingOutputStream extends OutputStream {
    private static final int BODY = NoiseFrame.HEADER_SIZE;

    private final FrameWriter frames;
    private final CipherState cipher;
    /** Plaintext bytes buffered at {@code frame[BODY...]}. */
    private int count;
    private IOException failure;

    EncryptingOutputStream(FrameWriter frames, CipherState cipher) {
        this.frames = frames;
        this.cipher = cipher;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == NoiseFrame.MAX_PLAINTEXT_SIZE) {
            sendBuffered();
        }
        frames.buffer(BODY + count + 1)[BODY + count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == 0 && len >= NoiseFrame.MAX_PLAINTEXT_SIZE) {
                // A whole frame's worth: encrypt straight from the caller's array, skipping the copy.
                seal(b, off, NoiseFrame.MAX_PLAINTEXT_SIZE);
                off += NoiseFrame.MAX_PLAINTEXT_SIZE;
                len -= NoiseFrame.MAX_PLAINTEXT_SIZE;
                continue;
            }
            int n = Math.min(len, NoiseFrame.MAX_PLAINTEXT_SIZE - count);
            System.arraycopy(b, off, frames.buffer(BODY + count + n), BODY + count, n);
            count += n;
            off += n;
            len -= n;
            if (count == NoiseFrame.MAX_PLAINTEXT_SIZE) {
                sendBuffered();
            }
        }
    }

    /** Sends the buffered plaintext, if any, as one frame and flushes the raw stream. */
    @Override
    public void flush() throws IOException {
        if (count > 0) {
            sendBuffered();
        }
        frames.flush();
    }

    /** Flushes, then closes the raw output. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            frames.close();
        }
    }

    private void sendBuffered() throws IOException {
        int length = count;
        count = 0;
        seal(frames.buffer(BODY + length + NoiseFrame.TAG_SIZE), BODY, length);
    }

    private void seal(byte[] plaintext, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException("Noise channel output already failed: " + failure.getMessage(), failure);
        }
        try {
            byte[] frame = frames.buffer(BODY + len + NoiseFrame.TAG_SIZE);
            frames.send(cipher.encrypt(null, plaintext, off, len, frame, BODY));
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
