package dev.parley.transport.framing;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Protobuf messages each preceded by its length as an unsigned varint, as most libp2p protocols and Parley's own
 * frame them. Protocols read and write them here, so that the limit, the memory budget and the end of a stream are
 * handled alike everywhere. Reads take exactly one message's bytes, so a stream may carry something else after it.
 * Writes do not flush, so that a caller may send several messages in one flush.
 * <pre>
 *   +---------------+----------------------------------+
 *   | varint length | protobuf message, length bytes   |
 *   +---------------+----------------------------------+
 * </pre>
 * Each protocol names its limit and the exception type its violations get. A message read from a peer's stream is
 * counted in the stream's memory scope while it is buffered.
 */
public final class LengthPrefixed {
    /** Messages up to this size reserve as essential; larger ones as bulk. */
    private static final int ESSENTIAL_MESSAGE = 4 * 1024;

    private LengthPrefixed() {
    }

    /**
     * Writes {@code message} after its length, in one write and without flushing; one over {@code max} bytes is
     * refused with a {@code violation}.
     */
    public static void write(MessageLite message, int max, OutputStream out, String kind,
                             Function<String, ? extends IOException> violation) throws IOException {
        int length = message.getSerializedSize();
        if (length > max) {
            throw violation.apply(kind + " message of " + length + " bytes exceeds the limit of " + max);
        }
        byte[] prefix = Varint.encode(length);
        byte[] framed = Arrays.copyOf(prefix, prefix.length + length);
        message.writeTo(CodedOutputStream.newInstance(framed, prefix.length, length));
        out.write(framed);
    }

    /**
     * Reads one message into a buffer reserved from {@code memory} (see {@link #readBody}). A length over
     * {@code max}, a reservation refused or bytes that do not parse are a {@code violation}; a stream that ends
     * first, an {@link EOFException}.
     */
    public static <M> M read(InputStream in, MemoryScope memory, Parser<M> parser, int max, String kind,
                             Function<String, ? extends IOException> violation) throws IOException {
        return readOrEnd(in, memory, parser, max, kind, violation)
                .orElseThrow(() -> new EOFException("stream closed before a " + kind + " message"));
    }

    /**
     * Reads one message as {@link #read} does, or nothing if the stream ends cleanly before the message's first
     * byte: the peer has said all it had to. A stream that ends inside the message is an {@link EOFException}.
     */
    public static <M> Optional<M> readOrEnd(InputStream in, MemoryScope memory, Parser<M> parser, int max,
                                            String kind, Function<String, ? extends IOException> violation)
            throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            return Optional.empty();
        }
        if (length > max) {
            throw violation.apply(kind + " message of " + length + " bytes exceeds the limit of " + max);
        }
        return Optional.of(readBody(in, (int) length, memory, kind, violation, bytes -> {
            if (bytes.length < length) {
                throw new EOFException(kind + " message cut off after " + bytes.length + " of " + length + " bytes");
            }
            try {
                return parser.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw violation.apply("malformed " + kind + " message of " + bytes.length + " bytes: "
                        + e.getMessage());
            }
        }));
    }

    /** Turns a message's bytes into what the protocol makes of them. */
    @FunctionalInterface
    public interface Body<T> {
        /** @param bytes the message, shorter than its length only if the stream ended first */
        T parse(byte[] bytes) throws IOException;
    }

    /**
     * Reads a message body of {@code length} bytes, already checked against its protocol's limit, and parses it.
     * The buffer is reserved from {@code memory} (the stream's scope) before it is allocated, and released once
     * {@code body} has parsed it; a message of up to 4 KiB is an essential reservation, as a stream's first receive
     * buffer is, so negotiation, identify and pings go on while bulk data fills the budget. A refused reservation
     * is a {@code violation}, which resets only that stream; the budget logs the refusal.
     */
    public static <T> T readBody(InputStream in, int length, MemoryScope memory, String kind,
                                 Function<String, ? extends IOException> violation, Body<T> body) throws IOException {
        MemoryScope.Priority priority = length <= ESSENTIAL_MESSAGE
                ? MemoryScope.Priority.ESSENTIAL : MemoryScope.Priority.BULK;
        if (!memory.reserve(length, priority)) {
            throw violation.apply(kind + " message of " + length + " bytes refused by the memory budget of " + memory);
        }
        try {
            return body.parse(in.readNBytes(length));
        } finally {
            memory.release(length);
        }
    }
}
