package dev.parley.transport.yamux;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from the secure channel. Only the session's reader thread uses it, so its buffers are reused
 * without locking; a DATA payload is read straight into its stream's buffer with {@link #readPayload}.
 */
final class FrameReader {
    private final InputStream in;
    private final byte[] header = new byte[FrameHeader.LENGTH];
    private final byte[] discard = new byte[16 * 1024];

    FrameReader(InputStream in) {
        this.in = in;
    }

    /** The next header, or null when the channel ended cleanly between frames. */
    FrameHeader next() throws IOException {
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) {
            return null;
        }
        if (n < header.length) {
            throw new EOFException("connection closed after " + n + " of " + header.length + " yamux header bytes");
        }
        return FrameHeader.decode(header, 0);
    }

    void readPayload(byte[] dst, int offset, int length) throws IOException {
        int n = in.readNBytes(dst, offset, length);
        if (n < length) {
            throw new EOFException("connection closed after " + n + " of " + length + " yamux payload bytes");
        }
    }

    /** Consumes a payload nobody will read: data for a stream that is reset, refused or gone. */
    void skipPayload(long length) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int chunk = (int) Math.min(remaining, discard.length);
            readPayload(discard, 0, chunk);
            remaining -= chunk;
        }
    }
}
