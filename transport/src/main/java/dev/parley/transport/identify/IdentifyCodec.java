package dev.parley.transport.identify;

import com.google.protobuf.ByteString;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.keys.PublicKey;
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
 * Identify messages on the wire: each a varint-length-prefixed protobuf. A sender may split its message in
 * several (js-libp2p and go-libp2p read up to ten until the stream ends), so the reader merges them.
 */
final class IdentifyCodec {
    private static final Logger log = LoggerFactory.getLogger(IdentifyCodec.class);
    /** go-libp2p's and js-libp2p's limit per message. */
    static final int MAX_MESSAGE = 8 * 1024;
    static final int MAX_MESSAGES = 10;

    private IdentifyCodec() {
    }

    static void write(Identify message, OutputStream out) throws IOException {
        byte[] bytes = message.toByteArray();
        Varint.write(bytes.length, out);
        out.write(bytes);
        out.flush();
    }

    /** Reads messages from input no peer's stream carries (tests, fuzz targets); see below. */
    static Identify read(InputStream in) throws IOException {
        return read(in, MemoryScope.uncounted());
    }

    /**
     * Reads messages until the stream ends and merges them, later fields overriding earlier ones; each message's
     * buffer is reserved from {@code memory} while it is read and merged.
     */
    static Identify read(InputStream in, MemoryScope memory) throws IOException {
        Identify.Builder merged = Identify.newBuilder();
        int count = 0;
        while (count < MAX_MESSAGES) {
            int length = Varint.readLength(in, MAX_MESSAGE);
            if (length < 0) {
                break;
            }
            LengthPrefixed.readBody(in, length, memory, "identify", IOException::new, bytes -> {
                if (bytes.length < length) {
                    throw new EOFException("identify message cut off after " + bytes.length + " of " + length
                            + " bytes");
                }
                return merged.mergeFrom(bytes);
            });
            count++;
        }
        if (count == 0) {
            throw new EOFException("identify stream closed without a message");
        }
        return merged.build();
    }

    /** Checks a received message against the authenticated peer and turns it into an {@link IdentifyInfo}. */
    static IdentifyInfo decode(Identify message, PeerId authenticated) throws IOException {
        PublicKey key;
        try {
            key = message.hasPublicKey()
                    ? PublicKey.unmarshal(message.getPublicKey().toByteArray())
                    : authenticated.publicKey();
        } catch (InvalidKeyException e) {
            throw new IOException("identify from " + authenticated + ": " + e.getMessage(), e);
        }
        if (!PeerId.fromPublicKey(key).equals(authenticated)) {
            throw new IOException("identify from " + authenticated + " carries the key of another peer, "
                    + PeerId.fromPublicKey(key));
        }
        return new IdentifyInfo(authenticated, key, message.getProtocolVersion(), message.getAgentVersion(),
                parseAddresses(message.getListenAddrsList(), authenticated),
                message.hasObservedAddr() ? parseAddress(message.getObservedAddr(), authenticated) : Optional.empty(),
                message.getProtocolsList());
    }

    /** Addresses of kinds we cannot parse are skipped: one odd address must not spoil the rest. */
    private static List<Multiaddr> parseAddresses(List<ByteString> raw, PeerId from) {
        List<Multiaddr> parsed = new ArrayList<>();
        for (ByteString bytes : raw) {
            parseAddress(bytes, from).ifPresent(parsed::add);
        }
        return parsed;
    }

    private static Optional<Multiaddr> parseAddress(ByteString bytes, PeerId from) {
        try {
            return Optional.of(Multiaddr.fromBytes(bytes.toByteArray()));
        } catch (IllegalArgumentException e) {
            log.debug("skipping an address from {}: {}", from, e.getMessage());
            return Optional.empty();
        }
    }
}
