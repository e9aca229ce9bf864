package dev.parley.transport.autonat;

import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * AutoNAT messages on the wire: one varint-length-prefixed protobuf each way per stream.
 * <pre>
 *   +---------------+--------------------------------+
 *   | varint length | Message protobuf               |
 *   | 1-2 bytes     | length bytes, at most 8192     |
 *   +---------------+--------------------------------+
 * </pre>
 */
final class AutoNatCodec {
    /**
     * js-libp2p's limit. The largest honest message is a DIAL listing a node's addresses: at most
     * {@link AutoNatService#MAX_ADDRESSES} of at most a few dozen bytes each, far below it.
     */
    static final int MAX_MESSAGE = 8192;

    private AutoNatCodec() {
    }

    static void write(Message message, OutputStream out) throws IOException {
        LengthPrefixed.write(message, MAX_MESSAGE, out, "AutoNAT", AutoNatProtocolException::new);
        out.flush();
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static Message read(InputStream in) throws IOException {
        return read(in, MemoryScope.uncounted());
    }

    /** Reads one message, its buffer reserved from {@code memory}; one without a type is malformed. */
    static Message read(InputStream in, MemoryScope memory) throws IOException {
        Message message = LengthPrefixed.read(in, memory, Message.parser(), MAX_MESSAGE, "AutoNAT",
                AutoNatProtocolException::new);
        if (!message.hasType()) {
            throw new AutoNatProtocolException("AutoNAT message of " + message.getSerializedSize()
                    + " bytes without a known type");
        }
        return message;
    }
}
