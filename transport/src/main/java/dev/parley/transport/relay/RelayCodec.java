package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Limit;
import dev.parley.transport.relay.pb.CircuitProtos.Peer;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Hop and stop messages on the wire: each a varint-length-prefixed protobuf. Reads take exactly one message's
 * bytes and nothing more, because after the status message the same stream carries the relayed connection.
 * <pre>
 *   +----------------+-----------------------------------+--------------------------------------+
 *   | varint length  | HopMessage / StopMessage protobuf | (after STATUS OK) relayed bytes ...  |
 *   | 1-2 bytes      | length bytes, at most 4096        | Noise handshake, then Yamux frames   |
 *   +----------------+-----------------------------------+--------------------------------------+
 * </pre>
 */
final class RelayCodec {
    /**
     * go-libp2p's circuit v2 limit per message. js-libp2p reads up to 4 MiB, but what it sends stays far below
     * this: the largest message, a reservation, holds the relay's addresses and a voucher of about 150 bytes.
     */
    static final int MAX_MESSAGE = 4096;

    private RelayCodec() {
    }

    static void write(MessageLite message, OutputStream out) throws IOException {
        LengthPrefixed.write(message, MAX_MESSAGE, out, "relay", RelayProtocolException::new);
        out.flush();
    }

    /** Reads a hop message from input no peer's stream carries (tests, fuzz targets). */
    static HopMessage readHop(InputStream in) throws IOException {
        return readHop(in, MemoryScope.uncounted());
    }

    /** Reads a hop message, its buffer reserved from {@code memory}. */
    static HopMessage readHop(InputStream in, MemoryScope memory) throws IOException {
        return read(in, memory, "hop", HopMessage.parser(), HopMessage::hasType);
    }

    /** Reads a stop message from input no peer's stream carries (tests, fuzz targets). */
    static StopMessage readStop(InputStream in) throws IOException {
        return readStop(in, MemoryScope.uncounted());
    }

    /** Reads a stop message, its buffer reserved from {@code memory}. */
    static StopMessage readStop(InputStream in, MemoryScope memory) throws IOException {
        return read(in, memory, "stop", StopMessage.parser(), StopMessage::hasType);
    }

    /** Reads one message of {@code kind}; one without a type we know is malformed. */
    private static <M extends MessageLite> M read(InputStream in, MemoryScope memory, String kind, Parser<M> parser,
                                                  Predicate<M> typed) throws IOException {
        M message = LengthPrefixed.read(in, memory, parser, MAX_MESSAGE, kind, RelayProtocolException::new);
        if (!typed.test(message)) {
            throw new RelayProtocolException(kind + " message of " + message.getSerializedSize()
                    + " bytes without a known type");
        }
        return message;
    }

    /** The peer id a {@link Peer} names. */
    static PeerId peerId(Peer peer) throws RelayProtocolException {
        if (!peer.hasId()) {
            throw new RelayProtocolException("peer without an id");
        }
        try {
            return PeerId.fromBytes(peer.getId().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new RelayProtocolException("peer id of " + peer.getId().size() + " bytes: " + e.getMessage());
        }
    }

    static Peer peer(PeerId id) {
        return Peer.newBuilder().setId(ByteString.copyFrom(id.bytes())).build();
    }

    /** A limit's wire form; absent when nothing is limited, which the spec reads as "no limits". */
    static Optional<Limit> limit(CircuitLimit limit) {
        if (limit.equals(CircuitLimit.UNLIMITED)) {
            return Optional.empty();
        }
        return Optional.of(Limit.newBuilder().setDuration((int) limit.duration().toSeconds())
                .setData(limit.dataBytes()).build());
    }

    /** What a relay's hop STATUS says: the limit of the reservation granted, or of the circuit to the dialler. */
    static CircuitLimit limit(HopMessage status) {
        return status.hasLimit() ? circuitLimit(status.getLimit()) : CircuitLimit.UNLIMITED;
    }

    /** What a relay's stop CONNECT tells the target its circuit may carry. */
    static CircuitLimit limit(StopMessage connect) {
        return connect.hasLimit() ? circuitLimit(connect.getLimit()) : CircuitLimit.UNLIMITED;
    }

    private static CircuitLimit circuitLimit(Limit limit) {
        return new CircuitLimit(Duration.ofSeconds(Integer.toUnsignedLong(limit.getDuration())),
                Math.max(0, limit.getData()));
    }
}
