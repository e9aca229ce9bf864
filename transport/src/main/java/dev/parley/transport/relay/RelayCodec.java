package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Peer;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
        byte[] bytes = message.toByteArray();
        if (bytes.length > MAX_MESSAGE) {
            throw new RelayProtocolException("relay message of " + bytes.length + " bytes exceeds the limit of "
                    + MAX_MESSAGE);
        }
        Varint.write(bytes.length, out);
        out.write(bytes);
        out.flush();
    }

    static HopMessage readHop(InputStream in) throws IOException {
        return read(in, "hop", HopMessage.parser(), HopMessage::hasType);
    }

    static StopMessage readStop(InputStream in) throws IOException {
        return read(in, "stop", StopMessage.parser(), StopMessage::hasType);
    }

    /** Reads one message of {@code kind}; one without a type we know is malformed. */
    private static <M extends MessageLite> M read(InputStream in, String kind, Parser<M> parser, Predicate<M> typed)
            throws IOException {
        byte[] bytes = readFrame(in, kind);
        M message;
        try {
            message = parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new RelayProtocolException("malformed " + kind + " message of " + bytes.length + " bytes: "
                    + e.getMessage());
        }
        if (!typed.test(message)) {
            throw new RelayProtocolException(kind + " message of " + bytes.length + " bytes without a known type");
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

    private static byte[] readFrame(InputStream in, String kind) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            throw new EOFException("stream closed before a " + kind + " message");
        }
        if (length > MAX_MESSAGE) {
            throw new RelayProtocolException(kind + " message of " + length + " bytes exceeds the limit of "
                    + MAX_MESSAGE);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException(kind + " message cut off after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }
}
