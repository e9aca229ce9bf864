package dev.parley.transport.noise;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The reading side of a {@link SecureChannel}: decrypts each frame in place in the {@link FrameReader}'s buffer
 * and hands the plaintext out from there. A frame that fails authentication ends the stream for good: every
 * later read repeats the failure, and the raw input is closed.
 */
final class DecryptingInputStream extends InputStream {
    private final FrameReader frames;
    private final CipherState cipher;
    /** Decrypted bytes not yet read lie in the frame buffer at [position, limit). */
    private int position;
    private int limit;
    private IOException failure;

    DecryptingInputStream(FrameReader frames, CipherState cipher) {
        this.frames = frames;
        this.cipher = cipher;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return frames.buffer()[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(frames.buffer(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }

    /** Decrypts frames until plaintext is at hand (frames may be empty); false at a clean end of stream. */
    private boolean fill() throws IOException {
        if (failure != null) {
            throw new IOException("Noise channel already failed: " + failure.getMessage(), failure);
        }
        while (position == limit) {
            int length = frames.next();
            if (length < 0) {
                return false;
            }
            if (length < NoiseFrame.TAG_SIZE) {
                throw fail("Noise frame of " + length + " bytes is shorter than its " + NoiseFrame.TAG_SIZE
                        + "-byte authentication tag", null);
            }
            byte[] buffer = frames.buffer();
            int offset = frames.offset();
            try {
                limit = offset + cipher.decrypt(null, buffer, offset, length, buffer, offset);
            } catch (AEADBadTagException e) {
                throw fail("Noise frame of " + length + " bytes failed authentication: the ciphertext was"
                        + " altered or the peer is out of step", e);
            }
            position = offset;
        }
        return true;
    }

    private IOException fail(String message, Exception cause) {
        failure = new IOException(message, cause);
        try {
            frames.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }
}
