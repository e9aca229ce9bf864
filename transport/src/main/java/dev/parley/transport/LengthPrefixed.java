package dev.parley.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * Protobuf messages each preceded by its length as an unsigned varint, as most libp2p protocols frame them. Reads
 * take exactly one message's bytes, so a stream may carry something else after it.
 * <pre>
 *   +---------------+----------------------------------+
 *   | varint length | protobuf message, length bytes   |
 *   +---------------+----------------------------------+
 * </pre>
 * Each protocol names its limit and the exception type its violations get.
 */
public final class LengthPrefixed {
    private LengthPrefixed() {
    }

    /** Writes and flushes {@code message}; one over {@code max} bytes is refused with a {@code violation}. */
    public static void write(MessageLite message, int max, OutputStream out, String kind,
                             Function<String, ? extends IOException> violation) throws IOException {
        byte[] bytes = message.toByteArray();
        if (bytes.length > max) {
            throw violation.apply(kind + " message of " + bytes.length + " bytes exceeds the limit of " + max);
        }
        Varint.write(bytes.length, out);
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one message. A length over {@code max} or bytes that do not parse are a {@code violation}; a stream
     * that ends first, an {@link EOFException}.
     */
    public static <M> M read(InputStream in, Parser<M> parser, int max, String kind,
                             Function<String, ? extends IOException> violation) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            throw new EOFException("stream closed before a " + kind + " message");
        }
        if (length > max) {
            throw violation.apply(kind + " message of " + length + " bytes exceeds the limit of " + max);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException(kind + " message cut off after " + bytes.length + " of " + length + " bytes");
        }
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw violation.apply("malformed " + kind + " message of " + bytes.length + " bytes: " + e.getMessage());
        }
    }
}
