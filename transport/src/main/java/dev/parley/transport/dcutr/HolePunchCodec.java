package dev.parley.transport.dcutr;

import com.google.protobuf.ByteString;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * DCUtR messages on the wire: CONNECT and SYNC, each a varint-length-prefixed protobuf.
 * <pre>
 *   +---------------+---------------------------------------------+
 *   | varint length | HolePunch {type, ObsAddrs: binary multiaddrs}|
 *   | 1-2 bytes     | length bytes, at most 4096                  |
 *   +---------------+---------------------------------------------+
 * </pre>
 */
final class HolePunchCodec {
    /** The spec's limit ("SHOULD refuse ... larger than 4 KiB"); js-libp2p's too. */
    static final int MAX_MESSAGE = 4096;

    private HolePunchCodec() {
    }

    static void write(HolePunch.Type type, List<Multiaddr> addresses, OutputStream out) throws IOException {
        HolePunch.Builder message = HolePunch.newBuilder().setType(type);
        addresses.forEach(address -> message.addObsAddrs(ByteString.copyFrom(address.bytes())));
        LengthPrefixed.write(message.build(), MAX_MESSAGE, out, "DCUtR", DcutrProtocolException::new);
        out.flush();
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static HolePunch read(InputStream in, HolePunch.Type expected) throws IOException {
        return read(in, MemoryScope.uncounted(), expected);
    }

    /**
     * Reads one message, its buffer reserved from {@code memory}, which must be of type {@code expected}: the
     * exchange's order is fixed.
     */
    static HolePunch read(InputStream in, MemoryScope memory, HolePunch.Type expected) throws IOException {
        HolePunch message = LengthPrefixed.read(in, memory, HolePunch.parser(), MAX_MESSAGE, "DCUtR",
                DcutrProtocolException::new);
        if (!message.hasType() || message.getType() != expected) {
            throw new DcutrProtocolException("expected a DCUtR " + expected + ", got "
                    + (message.hasType() ? message.getType() : "a message of " + message.getSerializedSize()
                    + " bytes without a known type"));
        }
        return message;
    }
}
