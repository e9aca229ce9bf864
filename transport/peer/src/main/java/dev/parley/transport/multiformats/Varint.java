package dev.parley.transport.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as multiformats uses them (github.com/multiformats/unsigned-varint): seven bits a
 * byte, least significant group first, high bit set on every byte but the last. The spec caps a varint at
 * nine bytes (63 bits) and forbids non-minimal encodings; both are rejected here, so a hostile length prefix
 * can never be read as a huge number.
 */
public final class Varint {
    /** The spec's practical maximum: 9 bytes, 63 bits. */
    public static final int MAX_BYTES = 9;
    private static final String TOO_LONG = "varint longer than " + MAX_BYTES + " bytes";
    private static final String NON_MINIMAL = "non-minimal varint encoding";

    private Varint() {
    }

    public static int size(long value) {
        checkNonNegative(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        write(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code offset}; returns the number of bytes written. */
    public static int write(long value, byte[] out, int offset) {
        checkNonNegative(value);
        int i = offset;
        while ((value & ~0x7FL) != 0) {
            out[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[i++] = (byte) value;
        return i - offset;
    }

    public static void write(long value, OutputStream out) throws IOException {
        byte[] buf = new byte[MAX_BYTES];
        int n = write(value, buf, 0);
        out.write(buf, 0, n);
    }

    /** Reads one varint from the buffer, advancing its position. */
    public static long read(ByteBuffer in) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("truncated varint after " + i + " bytes");
            }
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (isPadding(b, i)) {
                    throw new IllegalArgumentException(NON_MINIMAL);
                }
                return value;
            }
        }
        throw new IllegalArgumentException(TOO_LONG);
    }

    /**
     * Reads one varint from a stream. Returns -1 if the stream ends before the first byte (a clean end),
     * and throws {@link EOFException} if it ends inside the varint; every malformed varint is an
     * {@link IOException}, so a stream handler's one catch closes the stream.
     */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new EOFException("stream ended inside a varint after " + i + " bytes");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (isPadding(b, i)) {
                    throw new IOException(NON_MINIMAL);
                }
                return value;
            }
        }
        throw new IOException(TOO_LONG);
    }

    /**
     * Reads a varint length prefix and checks it against {@code max}; returns -1 at a clean end of stream.
     */
    public static int readLength(InputStream in, int max) throws IOException {
        long length = read(in);
        if (length > max) {
            throw new IOException("length prefix " + length + " exceeds the limit of " + max + " bytes");
        }
        return (int) length;
    }

    /** A last byte of zero after others only pads the number: a non-minimal encoding. */
    private static boolean isPadding(int lastByte, int index) {
        return lastByte == 0 && index > 0;
    }

    private static void checkNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varints are unsigned, got " + value);
        }
    }
}
