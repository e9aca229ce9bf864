package dev.parley.transport.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.LengthPrefixed;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
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
        int size = message.getSerializedSize();
        if (size > MAX_MESSAGE) {
            throw new KadProtocolException("DHT message of " + size + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        Varint.write(size, out);
        message.writeTo(out);
        out.flush();
    }

    /** Reads one message from input no peer's stream carries (tests, fuzz targets); see below. */
    static Message read(InputStream in) throws IOException {
        return read(in, MemoryScope.uncounted());
    }

    /** Reads one message, its buffer reserved from {@code memory}; the stream must not end before it. */
    static Message read(InputStream in, MemoryScope memory) throws IOException {
        return readOrEnd(in, memory).orElseThrow(() -> new EOFException("stream closed before a DHT message"));
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
        long length = Varint.read(in);
        if (length < 0) {
            return Optional.empty();
        }
        if (length > MAX_MESSAGE) {
            throw new KadProtocolException("DHT message of " + length + " bytes exceeds the limit of " + MAX_MESSAGE);
        }
        Message message = LengthPrefixed.readBody(in, (int) length, memory, "DHT", KadProtocolException::new, bytes -> {
            if (bytes.length < length) {
                throw new EOFException("DHT message cut off after " + bytes.length + " of " + length + " bytes");
            }
            try {
                return Message.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new KadProtocolException("malformed DHT message of " + bytes.length + " bytes: "
                        + e.getMessage());
            }
        });
        if (!message.hasType()) {
            throw new KadProtocolException("DHT message of " + length + " bytes without a known type");
        }
        return Optional.of(message);
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
