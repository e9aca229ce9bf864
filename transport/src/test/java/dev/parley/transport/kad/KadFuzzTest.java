package dev.parley.transport.kad;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Fuzz target for a Kademlia DHT message and the peers it lists: the message reads or is an
 * {@link IOException} ({@link KadProtocolException} when malformed), each closer or provider peer decodes or is
 * a {@link KadProtocolException}. Corpus in {@code KadFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class KadFuzzTest {
    private static final int MAX_ADDRESSES = 16;

    @FuzzTest
    void message(byte[] data) {
        Message message;
        try {
            message = KadCodec.read(new ByteArrayInputStream(data));
        } catch (IOException refused) {
            return;
        }
        for (Message.Peer peer : message.getCloserPeersList()) {
            decode(peer);
        }
        for (Message.Peer peer : message.getProviderPeersList()) {
            decode(peer);
        }
    }

    private static void decode(Message.Peer peer) {
        try {
            KadCodec.decodePeer(peer, MAX_ADDRESSES);
        } catch (KadProtocolException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());
        Message.Peer listed = KadCodec.encodePeer(peer, List.of(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001"),
                Multiaddr.parse("/dns4/parley.test/tcp/443/wss")));
        Message findNode = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFrom(peer.bytes())).build();
        Message closer = Message.newBuilder().setType(Message.MessageType.FIND_NODE).addCloserPeers(listed).build();
        Message providers = Message.newBuilder().setType(Message.MessageType.GET_PROVIDERS)
                .setKey(ByteString.copyFrom(new byte[34])).addProviderPeers(listed).addCloserPeers(listed).build();
        Message ping = Message.newBuilder().setType(Message.MessageType.PING).build();
        FuzzSeeds seeds = FuzzSeeds.of(KadFuzzTest.class, "message");
        for (Message message : List.of(findNode, closer, providers, ping)) {
            java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
            KadCodec.write(message, framed);
            seeds.add(framed.toByteArray());
        }
    }
}
