package dev.parley.transport.multistream;

import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The multistream-select message codec. Every message is a varint length prefix followed by that many
 * bytes, the last of which is {@code '\n'}:
 * <pre>
 * +----------------+---------------------------+------+
 * | varint length  | UTF-8 text (length-1 B)   | '\n' |
 * +----------------+---------------------------+------+
 * </pre>
 * An {@code ls} response is one such message whose text is itself a run of messages, one per protocol,
 * followed by the closing newline.
 */
final class MultistreamMessages {
    /** Longest single message: protocol ids are short; go- and js-libp2p cap them near 1 KiB too. */
    static final int MAX_MESSAGE = 1024;
    /** Longest {@code ls} response we read. */
    static final int MAX_LIST = 64 * 1024;

    private MultistreamMessages() {
    }

    /** Appends one encoded message to {@code out}. */
    static void encode(String text, ByteArrayOutputStream out) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Varint.encode(bytes.length));
        out.writeBytes(bytes);
    }

    static byte[] encode(String... texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String text : texts) {
            encode(text, out);
        }
        return out.toByteArray();
    }

    static byte[] encodeList(List<String> protocols) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            encode(protocol, body);
        }
        body.write('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Varint.encode(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static String read(InputStream in) throws IOException {
        return read(in, MemoryScope.uncounted());
    }

    /** Reads one message, its buffer reserved from {@code memory}, and returns its text without the newline. */
    static String read(InputStream in, MemoryScope memory) throws IOException {
        return readBody(in, MAX_MESSAGE, memory, body -> new String(body, 0, body.length - 1, StandardCharsets.UTF_8));
    }

    /** Reads an {@code ls} response from input no peer's stream carries (tests, fuzz targets); see below. */
    static List<String> readList(InputStream in) throws IOException {
        return readList(in, MemoryScope.uncounted());
    }

    /** Reads an {@code ls} response, its buffer reserved from {@code memory}: one message holding one per protocol. */
    static List<String> readList(InputStream in, MemoryScope memory) throws IOException {
        return readBody(in, MAX_LIST, memory, body -> {
            InputStream inner = new ByteArrayInputStream(body, 0, body.length - 1);
            List<String> protocols = new ArrayList<>();
            while (inner.available() > 0) {
                // Within the body already reserved: the inner messages are counted with it.
                protocols.add(read(inner));
            }
            return protocols;
        });
    }

    private static <T> T readBody(InputStream in, int max, MemoryScope memory, LengthPrefixed.Body<T> parse)
            throws IOException {
        int length = Varint.readLength(in, max);
        if (length < 0) {
            throw new EOFException("stream closed during multistream-select negotiation");
        }
        if (length == 0) {
            throw new MultistreamException("empty multistream-select message");
        }
        return LengthPrefixed.readBody(in, length, memory, "multistream-select", MultistreamException::new, body -> {
            if (body.length < length) {
                throw new EOFException("multistream-select message cut off after " + body.length + " of " + length
                        + " bytes");
            }
            if (body[length - 1] != '\n') {
                throw new MultistreamException("multistream-select message does not end with a newline");
            }
            return parse.parse(body);
        });
    }
}
