package dev.parley.transport.kad;

import com.google.protobuf.ByteString;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHT messages on the wire: each an unsigned-varint-length-prefixed protobuf. A stream may carry several
 * requests, each answered before the next is read.
 * <pre>
 *   +----------------+----------------------------+----------------+----------------------------+
 *   | varint length  | Message protobuf           | varint length  | Message protobuf           | ...
 *   | 1-4 bytes      | length bytes, at most 4 MiB |                |                            |
 *   +----------------+----------------------------+----------------+----------------------------+
 * </pre>
 */
final class KadCodec {
    /**
     * The largest message js-libp2p's kad-dht reads and so may send (its length-prefixed decoder's default,
     * 4 MiB; go-libp2p's limit is the same). An answer of 20 closer peers and many providers, each with up to
     * {@link KadOptions#maxAddressesPerPeer()} addresses, stays far below it.
     */
    static final int MAX_MESSAGE = 4 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(KadCodec.class);

    private KadCodec() {
    }

    static void write(Message message, OutputStream out) throws IOException {
        LengthPrefixed.write(message, MAX_MESSAGE, out, "DHT", KadProtocolException::new);
        out.flush();
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static Message read(InputStream in) throws IOException {
        return read(in, MemoryScope.uncounted());
    }

    /** Reads one message, its buffer reserved from {@code memory}; the stream must not end before it. */
    static Message read(InputStream in, MemoryScope memory) throws IOException {
        return requireType(LengthPrefixed.read(in, memory, Message.parser(), MAX_MESSAGE, "DHT",
                KadProtocolException::new));
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static Optional<Message> readOrEnd(InputStream in) throws IOException {
        return readOrEnd(in, MemoryScope.uncounted());
    }

    /**
     * Reads one message, its buffer reserved from {@code memory}, or nothing if the stream ends cleanly before its
     * first byte.
     */
    static Optional<Message> readOrEnd(InputStream in, MemoryScope memory) throws IOException {
        Optional<Message> message = LengthPrefixed.readOrEnd(in, memory, Message.parser(), MAX_MESSAGE, "DHT",
                KadProtocolException::new);
        if (message.isPresent()) {
            requireType(message.get());
        }
        return message;
    }

    private static Message requireType(Message message) throws KadProtocolException {
        if (!message.hasType()) {
            throw new KadProtocolException("DHT message of " + message.getSerializedSize()
                    + " bytes without a known type");
        }
        return message;
    }

    static Message.Peer encodePeer(PeerId id, List<Multiaddr> addresses) {
        Message.Peer.Builder peer = Message.Peer.newBuilder().setId(ByteString.copyFrom(id.bytes()));
        addresses.forEach(address -> peer.addAddrs(ByteString.copyFrom(address.withoutPeerId().bytes())));
        return peer.build();
    }

    /**
     * Decodes a peer, keeping at most {@code maxAddresses} of its addresses. Addresses we cannot parse (a
     * transport we do not know) are skipped, not fatal: other implementations list transports Parley lacks.
     */
    static KadPeer decodePeer(Message.Peer peer, int maxAddresses) throws KadProtocolException {
        if (!peer.hasId()) {
            throw new KadProtocolException("DHT peer entry without an id");
        }
        PeerId id;
        try {
            id = PeerId.fromBytes(peer.getId().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new KadProtocolException("DHT peer id of " + peer.getId().size() + " bytes: " + e.getMessage());
        }
        List<Multiaddr> addresses = new ArrayList<>();
        for (ByteString bytes : peer.getAddrsList()) {
            if (addresses.size() >= maxAddresses) {
                break;
            }
            try {
                addresses.add(Multiaddr.fromBytes(bytes.toByteArray()).withoutPeerId());
            } catch (IllegalArgumentException e) {
                log.debug("skipping an address of {}: {}", id, e.getMessage());
            }
        }
        return new KadPeer(id, addresses);
    }
}
