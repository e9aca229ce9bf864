package dev.parley.transport.identify;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for what an identify stream carries: the messages are read and merged, then checked against the
 * authenticated peer; either step may refuse with an {@link IOException}, nothing else. Corpus in
 * {@code IdentifyFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class IdentifyFuzzTest {
    /** The peer the corpus's valid messages come from (seed 0). */
    static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());

    @FuzzTest
    void identify(byte[] data) {
        try {
            Identify message = IdentifyCodec.read(new ByteArrayInputStream(data));
            IdentifyCodec.decode(message, PEER);
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        Identify full = Identify.newBuilder().setProtocolVersion("ipfs/0.1.0").setAgentVersion("parley/0.1.0")
                .setPublicKey(ByteString.copyFrom(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey().marshal()))
                .addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001").bytes())).addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/ws").bytes()))
                .setObservedAddr(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001").bytes())).addProtocols("/ipfs/ping/1.0.0").addProtocols("/parley/chat/1.0.0")
                .build();
        FuzzSeeds seeds = FuzzSeeds.of(IdentifyFuzzTest.class, "identify").addLengthPrefixed(full.toByteArray())
                .addLengthPrefixed(full.toBuilder().clearPublicKey().build().toByteArray());
        java.io.ByteArrayOutputStream split = new java.io.ByteArrayOutputStream();
        IdentifyCodec.write(full.toBuilder().clearListenAddrs().build(), split);
        IdentifyCodec.write(Identify.newBuilder().addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/ws").bytes())).build(), split);
        seeds.add(split.toByteArray());
    }
}
