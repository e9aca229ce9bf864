package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the multiformats decoders: each either decodes or throws the exception its Javadoc names
 * ({@link IllegalArgumentException}, or {@link IOException} when reading a stream); anything else fails the
 * run. What decodes must encode back to the same value. Seeds and the corpus sit in
 * {@code MultiformatsFuzzTestInputs/<method>/}; the peer module's README says how to fuzz longer.
 */
class MultiformatsFuzzTest {

    @FuzzTest
    void varint(byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long fromBuffer;
        try {
            fromBuffer = Varint.read(buffer);
        } catch (IllegalArgumentException malformed) {
            fromBuffer = -2;
        }
        long fromStream;
        try {
            fromStream = Varint.read(new ByteArrayInputStream(data));
        } catch (IOException malformed) {
            fromStream = -2;
        }
        if (fromBuffer >= 0) {
            assertThat(fromStream).isEqualTo(fromBuffer);
            assertThat(Varint.encode(fromBuffer)).isEqualTo(Arrays.copyOf(data, buffer.position()));
        }
    }

    @FuzzTest
    void multiaddrBytes(byte[] data) {
        Multiaddr address;
        try {
            address = Multiaddr.fromBytes(data);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        assertThat(address.bytes()).isEqualTo(data);
        assertThat(Multiaddr.parse(address.toString())).isEqualTo(address);
        exerciseAccessors(address);
    }

    @FuzzTest
    void multiaddrText(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Multiaddr address;
        try {
            address = Multiaddr.parse(text);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        assertThat(Multiaddr.fromBytes(address.bytes())).isEqualTo(address);
        assertThat(Multiaddr.parse(address.toString())).isEqualTo(address);
        exerciseAccessors(address);
    }

    @FuzzTest
    void peerIdBytes(byte[] data) {
        PeerId peer;
        try {
            peer = PeerId.fromBytes(data);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        assertThat(peer.bytes()).isEqualTo(data);
        assertThat(PeerId.parse(peer.toBase58())).isEqualTo(peer);
        assertThat(PeerId.parse(peer.toCidString())).isEqualTo(peer);
    }

    @FuzzTest
    void peerIdText(byte[] data) {
        PeerId peer;
        try {
            peer = PeerId.parse(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            return;
        }
        assertThat(PeerId.fromBytes(peer.bytes())).isEqualTo(peer);
        assertThat(PeerId.parse(peer.toBase58())).isEqualTo(peer);
    }

    @FuzzTest
    void multibase(byte[] data) {
        try {
            Multibase.decode(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            // the documented refusal
        }
    }

    /** The accessors peers' addresses meet after decoding: none may throw on an address that decoded. */
    private static void exerciseAccessors(Multiaddr address) {
        address.isLoopback();
        address.isPrivate();
        address.isCircuit();
        address.isDnsaddr();
        address.ip();
        address.withoutPeerId();
        if (address.isTcp()) {
            address.toSocketAddress();
        }
        address.peerId();
    }

    /** Writes the seeds from the production encoders; run from transport/peer/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());
        PeerId hashed = PeerId.fromBytes(Multihash.sha256(new byte[64]).bytes());
        FuzzSeeds varints = FuzzSeeds.of(MultiformatsFuzzTest.class, "varint");
        for (long value : new long[] {0, 1, 127, 128, 300, 16384, 1L << 35, Long.MAX_VALUE}) {
            varints.add(Varint.encode(value));
        }
        varints.add(new byte[] {(byte) 0x80, 0}).add(new byte[] {(byte) 0xff, (byte) 0xff});
        List<String> addresses = List.of("/ip4/192.0.2.42/tcp/443/p2p/" + peer, "/ip6/::1/tcp/4001",
                "/dns4/parley.test/tcp/443/wss", "/dnsaddr/bootstrap.x.invalid/p2p/" + hashed,
                "/ip4/203.0.113.7/tcp/4001/p2p/" + hashed + "/p2p-circuit/p2p/" + peer,
                "/ip4/198.51.100.1/udp/4001/quic-v1/webtransport", "/ip6/fe80::1/tcp/0/ws", "/");
        FuzzSeeds binary = FuzzSeeds.of(MultiformatsFuzzTest.class, "multiaddrBytes");
        FuzzSeeds text = FuzzSeeds.of(MultiformatsFuzzTest.class, "multiaddrText");
        for (String address : addresses) {
            binary.add(Multiaddr.parse(address).bytes());
            text.add(address);
        }
        FuzzSeeds.of(MultiformatsFuzzTest.class, "peerIdBytes").add(peer.bytes()).add(hashed.bytes());
        FuzzSeeds.of(MultiformatsFuzzTest.class, "peerIdText").add(peer.toBase58()).add(peer.toCidString())
                .add(hashed.toBase58()).add(hashed.toCidString());
        FuzzSeeds.of(MultiformatsFuzzTest.class, "multibase").add(Multibase.BASE58BTC.encode(peer.bytes()))
                .add(Multibase.BASE32.encode(peer.bytes())).add(Multibase.BASE64URL.encode(peer.bytes()));
    }
}
