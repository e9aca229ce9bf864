package dev.parley.transport.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.mdns.MdnsMessages.Self;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.FuzzSeeds;
import java.util.List;

/**
 * Fuzz target for an mDNS packet as {@code MdnsDiscovery} handles one: it decodes or is a
 * {@link DnsFormatException}; a decoded message encodes again (or is refused as too large with an
 * {@link IllegalArgumentException}, since a decoded message may have used name compression the encoder
 * cannot reproduce) and decodes back to itself; the peers a response announces and the query a responder
 * answers are read without an exception. Corpus in {@code MdnsFuzzTestInputs/<method>/};
 * transport/README.md, Fuzzing.
 */
class MdnsFuzzTest {
    private static final Self SELF = new Self("abcdefghijklmnopqrstuvwxyz012345",
            PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey()));

    @FuzzTest
    void packet(byte[] data) throws DnsFormatException {
        DnsMessage message;
        try {
            message = DnsCodec.decode(data);
        } catch (DnsFormatException refused) {
            return;
        }
        MdnsMessages.read(message, false);
        MdnsMessages.read(message, true);
        MdnsMessages.asked(message, SELF, 120);
        byte[] encoded;
        try {
            encoded = DnsCodec.encode(message);
        } catch (IllegalArgumentException tooLarge) {
            return;
        }
        assertThat(DnsCodec.decode(encoded)).isEqualTo(message);
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        List<Multiaddr> addresses = List.of(Multiaddr.parse("/ip4/10.200.0.2/tcp/4001"),
                Multiaddr.parse("/ip6/fe80::1/tcp/4001"));
        FuzzSeeds.of(MdnsFuzzTest.class, "packet").add(DnsCodec.encode(MdnsMessages.query(SELF, 120)))
                .add(DnsCodec.encode(MdnsMessages.response(SELF, addresses, 120, true)))
                .add(DnsCodec.encode(MdnsMessages.goodbye(SELF)))
                .add(java.util.HexFormat.of().parseHex("000000000001000000000000045f703270045f756470056c6f63616c00000c0001"));
    }
}
