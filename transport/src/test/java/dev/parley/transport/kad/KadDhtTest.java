package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.Stream;
import dev.parley.transport.kad.KadNetwork.Node;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.kad.pb.KadProtos.Message.MessageType;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KadDhtTest {
    private static KadNetwork network;
    private static List<Node> servers;

    /**
     * With the spec's k of 20, every node of a 20-node DHT holds every other and stores every record: a
     * lookup would never route. A k of 4 makes lookups cross the DHT as they do in a large one.
     */
    private static final int SMALL_K = 4;

    @BeforeAll
    static void startTwentyHosts() throws IOException {
        KadOptions defaults = KadOptions.defaults();
        network = new KadNetwork(new KadOptions(SMALL_K, defaults.alpha(), defaults.queryTimeout(),
                defaults.providerValidity(), defaults.maxProviderKeys(), defaults.maxProvidersPerKey(),
                defaults.maxAddressesPerPeer()));
        servers = network.startServers(20, 1, new Random(6));
    }

    @AfterAll
    static void stop() {
        network.close();
    }

    @Test
    void everyNodeFindsEveryOtherWithItsListenAddresses() throws IOException {
        Node asker = servers.get(0);
        for (Node target : servers.subList(1, servers.size())) {
            Optional<PeerLookup> found = asker.dht().findPeer(target.host().peerId());
            assertThat(found).as("lookup of %s", target.host().peerId()).isPresent();
            assertThat(found.get().addresses()).containsAll(target.host().listenAddresses());
            assertThat(found.get().hops()).isBetween(1, 20);
        }
    }

    @Test
    void aPeerNotInTheDhtIsNotFound() throws IOException {
        PeerId stranger = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(servers.get(7).dht().findPeer(stranger)).isEmpty();
    }

    @Test
    void providersAreFoundFromTheFarSideOfTheDht() throws IOException {
        Node provider = servers.get(4);
        byte[] key = KadDht.peerKey(provider.host().peerId());
        ProvideReceipt receipt = provider.dht().provide(key);
        assertThat(receipt.storedAt()).hasSize(SMALL_K);

        Node asker = servers.stream().filter(node -> node != provider)
                .filter(node -> !receipt.storedAt().contains(node.host().peerId())).findFirst().orElseThrow();
        ProviderLookup lookup = asker.dht().findProviders(key, 1);
        assertThat(lookup.providers()).containsExactly(
                new ProviderRecord(provider.host().peerId(), provider.host().listenAddresses()));
        assertThat(lookup.hops()).isBetween(1, 20);
    }

    @Test
    void aClientAsksButServesNothingUntilItSwitchesToServer() throws IOException {
        Node client = network.start(KadMode.CLIENT);
        client.dht().bootstrap(List.of(servers.get(3).address()));
        assertThat(client.host().protocols()).doesNotContain(KadDht.PROTOCOL_ID);
        assertThat(client.dht().findPeer(servers.get(12).host().peerId())).isPresent();

        client.dht().setMode(KadMode.SERVER);
        assertThat(client.host().protocols()).contains(KadDht.PROTOCOL_ID);
        assertThat(ask(servers.get(3), client, findNode(servers.get(5).host().peerId())).getCloserPeersCount())
                .isPositive();
    }

    @Test
    void aProviderRecordForAnotherPeerIsIgnored() throws IOException {
        Node server = servers.get(9);
        Node sender = servers.get(10);
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        byte[] key = KadDht.peerKey(someoneElse);
        Message forged = Message.newBuilder().setType(MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(KadCodec.encodePeer(someoneElse, List.of(Multiaddr.parse("/ip4/192.0.2.9/tcp/1"))))
                .build();
        Message own = forged.toBuilder().setProviderPeers(0, KadCodec.encodePeer(sender.host().peerId(),
                sender.host().listenAddresses())).build();
        try (Stream stream = openStream(sender, server)) {
            KadCodec.write(forged, stream.out());
            KadCodec.write(own, stream.out());
            KadCodec.write(getProviders(key), stream.out());
            Message answer = KadCodec.read(stream.in());
            assertThat(answer.getProviderPeersList()).extracting(peer -> PeerId.fromBytes(peer.getId().toByteArray()))
                    .containsExactly(sender.host().peerId());
        }
    }

    @Test
    void hostileInputClosesOnlyThatStreamAndTheNodeKeepsServing() throws IOException {
        Node server = servers.get(2);
        Node attacker = servers.get(8);
        try (Stream oversize = openStream(attacker, server)) {
            Varint.write(KadCodec.MAX_MESSAGE + 1, oversize.out());
            oversize.out().flush();
            assertClosedByRemote(oversize.in());
        }
        try (Stream garbage = openStream(attacker, server)) {
            Varint.write(4, garbage.out());
            garbage.out().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            garbage.out().flush();
            assertClosedByRemote(garbage.in());
        }
        assertThat(attacker.host().connection(server.host().peerId())).isPresent();
        Message answer = ask(attacker, server, findNode(servers.get(15).host().peerId()));
        assertThat(answer.getCloserPeersCount()).isPositive();
    }

    @Test
    void aValueQueryIsRefusedByClosingTheStream() throws IOException {
        Node server = servers.get(1);
        Message getValue = Message.newBuilder().setType(MessageType.GET_VALUE).setKey(ByteString.copyFromUtf8("k"))
                .build();
        assertThatThrownBy(() -> ask(servers.get(11), server, getValue)).isInstanceOf(IOException.class);
    }

    private static void assertClosedByRemote(InputStream in) {
        int read;
        try {
            read = in.read();
        } catch (IOException reset) {
            return;
        }
        assertThat(read).as("the server closes the stream").isEqualTo(-1);
    }

    private static Message ask(Node from, Node to, Message request) throws IOException {
        try (Stream stream = openStream(from, to)) {
            KadCodec.write(request, stream.out());
            stream.closeWrite();
            return KadCodec.read(stream.in());
        }
    }

    private static Stream openStream(Node from, Node to) throws IOException {
        from.host().addressBook().add(to.host().peerId(), to.address());
        return from.host().newStream(to.host().peerId(), KadDht.PROTOCOL_ID);
    }

    private static Message findNode(PeerId target) {
        return Message.newBuilder().setType(MessageType.FIND_NODE).setKey(ByteString.copyFrom(target.bytes())).build();
    }

    private static Message getProviders(byte[] key) {
        return Message.newBuilder().setType(MessageType.GET_PROVIDERS).setKey(ByteString.copyFrom(key)).build();
    }
}
