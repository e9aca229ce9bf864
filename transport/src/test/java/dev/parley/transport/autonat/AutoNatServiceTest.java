package dev.parley.transport.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.PeerStateLimits;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.Stream;
import dev.parley.transport.autonat.DialBackResult.Status;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.dns.DnsaddrConfig;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AutoNAT between Java hosts on loopback; servers there must be allowed to dial private addresses. */
class AutoNatServiceTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final AutoNatConfig ON_LOOPBACK = AutoNatConfig.defaults().dialingPrivateAddresses();

    private final List<Host> hosts = new ArrayList<>();

    private record Node(Host host, IdentifyService identify, AutoNatService autonat, Multiaddr address) {
        PeerId peerId() {
            return host.peerId();
        }
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    private Node node(AutoNatConfig config, boolean listen) throws IOException {
        return node(HostConfig.of(Ed25519PrivateKey.generate()), config, listen);
    }

    private Node node(HostConfig hostConfig, AutoNatConfig config, boolean listen) throws IOException {
        Host host = new Host(hostConfig);
        hosts.add(host);
        IdentifyService identify = new IdentifyService(host, "autonat-test");
        AutoNatService autonat = new AutoNatService(host, identify, config);
        return new Node(host, identify, autonat, listen ? host.listen(LOOPBACK).withPeerId(host.peerId()) : null);
    }

    private List<Node> servers(int count, AutoNatConfig config) throws IOException {
        List<Node> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            servers.add(node(config, true));
        }
        return servers;
    }

    private static List<PeerId> connect(Node client, List<Node> servers) throws IOException {
        List<PeerId> ids = new ArrayList<>();
        for (Node server : servers) {
            client.host().dial(server.address());
            ids.add(server.peerId());
        }
        return ids;
    }

    /** A DIAL made by hand, claiming to be {@code claimed} (none if null). */
    private static Message rawDial(Node client, PeerId server, PeerId claimed, Multiaddr... addresses)
            throws IOException {
        Message.PeerInfo.Builder peer = Message.PeerInfo.newBuilder();
        if (claimed != null) {
            peer.setId(ByteString.copyFrom(claimed.bytes()));
        }
        for (Multiaddr address : addresses) {
            peer.addAddrs(ByteString.copyFrom(address.bytes()));
        }
        try (Stream stream = client.host().newStream(server, AutoNatService.PROTOCOL_ID)) {
            AutoNatCodec.write(Message.newBuilder().setType(Message.MessageType.DIAL)
                    .setDial(Message.Dial.newBuilder().setPeer(peer)).build(), stream.out());
            return AutoNatCodec.read(stream.in());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aClientTheServersCanDialBackIsPublic() throws Exception {
        List<Node> servers = servers(3, ON_LOOPBACK);
        Node client = node(ON_LOOPBACK, true);
        List<Reachability> heard = new CopyOnWriteArrayList<>();
        client.autonat().onReachabilityChanged(heard::add);

        assertThat(client.autonat().probe(connect(client, servers))).isEqualTo(Reachability.PUBLIC);

        assertThat(client.autonat().publicAddress()).contains(client.address().withoutPeerId());
        assertThat(heard).containsExactly(Reachability.PUBLIC);
        // a server closes its dial-back before it answers, but our side hears of the close a moment later
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.host().connections().size() > 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.host().connections()).as("the dial-backs were closed; the three requests' remain")
                .hasSize(3);
    }

    @Test
    void aClientNobodyCanDialBackIsPrivate() throws Exception {
        List<Node> servers = servers(3, ON_LOOPBACK);
        Node client = node(ON_LOOPBACK, false);
        Multiaddr unreachable = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort());
        client.host().addExternalAddress(unreachable);
        List<PeerId> serverIds = connect(client, servers);

        DialBackResult one = client.autonat().ask(serverIds.getFirst());
        assertThat(one.status()).isEqualTo(Status.DIAL_ERROR);
        assertThat(one.text()).isNotEmpty();

        assertThat(client.autonat().probe(serverIds)).isEqualTo(Reachability.PRIVATE);
        assertThat(client.autonat().publicAddress()).isEmpty();
    }

    @Test
    void onlyAddressesOnTheRequestersOwnIpAreDialled() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK, false);
        client.host().dial(server.address());
        try (ServerSocket victim = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            victim.setSoTimeout(1_000);
            Multiaddr elsewhere = Multiaddr.parse("/ip4/127.0.0.2/tcp/" + victim.getLocalPort());

            Message answer = rawDial(client, server.peerId(), client.peerId(), elsewhere);

            assertThat(answer.getDialResponse().getStatus()).isEqualTo(Message.ResponseStatus.E_DIAL_REFUSED);
            assertThat(answer.getDialResponse().getStatusText()).isEqualTo("no dialable addresses");
            assertThatThrownBy(victim::accept).as("nobody was aimed at 127.0.0.2")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void privateAddressesAreNotDialledByDefaultAndARefusalIsNoEvidence() throws Exception {
        List<Node> servers = servers(3, AutoNatConfig.defaults());
        Node client = node(ON_LOOPBACK, true);
        List<PeerId> serverIds = connect(client, servers);

        assertThat(client.autonat().ask(serverIds.getFirst()).status()).isEqualTo(Status.DIAL_REFUSED);
        assertThat(client.autonat().probe(serverIds)).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void aPeerIdOtherThanTheConnectionsIsABadRequest() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK, true);
        client.host().dial(server.address());
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

        Message answer = rawDial(client, server.peerId(), someoneElse, client.address().withoutPeerId());

        assertThat(answer.getDialResponse().getStatus()).isEqualTo(Message.ResponseStatus.E_BAD_REQUEST);
        assertThat(answer.getDialResponse().getStatusText()).isEqualTo("the peer id is not that of the connection");
    }

    @Test
    void aDialWithoutAPeerIdIsABadRequest() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK, true);
        client.host().dial(server.address());

        Message answer = rawDial(client, server.peerId(), null, client.address().withoutPeerId());

        assertThat(answer.getDialResponse().getStatus()).isEqualTo(Message.ResponseStatus.E_BAD_REQUEST);
        assertThat(answer.getDialResponse().getStatusText()).isEqualTo("the DIAL names no peer id");
    }

    @Test
    void requestsBeyondThePerMinuteLimitAreRefused() throws Exception {
        AutoNatConfig twoAMinute = ON_LOOPBACK.withRequestsPerMinute(100, 2);
        Node server = node(twoAMinute, true);
        Node client = node(ON_LOOPBACK, true);
        client.host().dial(server.address());

        assertThat(client.autonat().ask(server.peerId()).status()).isEqualTo(Status.OK);
        assertThat(client.autonat().ask(server.peerId()).status()).isEqualTo(Status.OK);
        DialBackResult third = client.autonat().ask(server.peerId());

        assertThat(third.status()).isEqualTo(Status.DIAL_REFUSED);
        assertThat(third.text()).contains("too many requests");
    }

    @Test
    void hostileInputClosesOnlyItsStream() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK, true);
        client.host().dial(server.address());

        try (Stream stream = client.host().newStream(server.peerId(), AutoNatService.PROTOCOL_ID)) {
            Varint.write(1 << 20, stream.out());
            stream.out().flush();
            assertThatThrownBy(() -> {
                if (stream.in().read() < 0) {
                    throw new IOException("closed without an answer");
                }
            }).isInstanceOf(IOException.class);
        }

        assertThat(client.autonat().ask(server.peerId()).status()).isEqualTo(Status.OK);
    }

    @Test
    void aResponseSentToAServerIsABadRequestAndGarbageEndsOnlyItsStream() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK, true);
        Connection connection = client.host().dial(server.address());

        try (Stream stream = client.host().newStream(server.peerId(), AutoNatService.PROTOCOL_ID)) {
            AutoNatCodec.write(Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE)
                    .setDialResponse(Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.OK))
                    .build(), stream.out());
            Message answer = AutoNatCodec.read(stream.in());
            assertThat(answer.getDialResponse().getStatus()).isEqualTo(Message.ResponseStatus.E_BAD_REQUEST);
        }
        try (Stream stream = client.host().newStream(server.peerId(), AutoNatService.PROTOCOL_ID)) {
            stream.out().write(new byte[] {4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            stream.out().flush();
            assertThatThrownBy(() -> AutoNatCodec.read(stream.in())).isInstanceOf(IOException.class);
        }

        assertThat(connection.isOpen()).isTrue();
        assertThat(client.autonat().ask(server.peerId()).status()).isEqualTo(Status.OK);
    }

    @Test
    void probeAsksTheConnectedPeersThatIdentifySaysServeAutoNat() throws Exception {
        List<Node> servers = servers(3, ON_LOOPBACK);
        Host bystander = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        hosts.add(bystander);
        new IdentifyService(bystander, "no-autonat");
        Multiaddr bystanderAddress = bystander.listen(LOOPBACK).withPeerId(bystander.peerId());
        Node client = node(ON_LOOPBACK, true);
        List<PeerId> serverIds = connect(client, servers);
        client.host().dial(bystanderAddress);
        for (PeerId peer : List.of(serverIds.get(0), serverIds.get(1), serverIds.get(2), bystander.peerId())) {
            client.identify().awaitInfo(peer, Duration.ofSeconds(5));
        }

        assertThat(client.autonat().connectedServers()).containsExactlyInAnyOrderElementsOf(serverIds);
        assertThat(client.autonat().probe()).isEqualTo(Reachability.PUBLIC);
        assertThat(client.autonat().publicAddress()).contains(client.address().withoutPeerId());
    }

    @Test
    void aServerClaimingAnAddressWeDidNotAskAboutIsNotBelieved() throws Exception {
        Multiaddr notOurs = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedPort());
        List<Node> liars = servers(3, ON_LOOPBACK);
        for (Node liar : liars) {
            liar.host().setHandler(AutoNatService.PROTOCOL_ID, stream -> {
                AutoNatCodec.read(stream.in());
                AutoNatCodec.write(Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE)
                        .setDialResponse(Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.OK)
                                .setAddr(ByteString.copyFrom(notOurs.bytes())))
                        .build(), stream.out());
            });
        }
        Node client = node(ON_LOOPBACK, true);
        List<PeerId> liarIds = connect(client, liars);

        assertThat(client.autonat().ask(liarIds.getFirst()).status()).as("the answer itself reads as OK")
                .isEqualTo(Status.OK);
        assertThat(client.autonat().probe(liarIds)).isEqualTo(Reachability.UNKNOWN);
        assertThat(client.autonat().publicAddress()).isEmpty();
    }

    @Test
    void aDialBackStillUnderWayAfterTheAnswerHoldsOffTheSamePeersNextRequest() throws Exception {
        HostConfig quickUpgrades = new HostConfig(Ed25519PrivateKey.generate(),
                ResourceLimits.defaults().withUpgradeTimeout(Duration.ofSeconds(2)), Duration.ofSeconds(2),
                DnsaddrConfig.system(), PeerStateLimits.defaults());
        Node server = node(quickUpgrades, ON_LOOPBACK.withDialBackTimeout(Duration.ofMillis(300)), true);
        Node client = node(ON_LOOPBACK, false);
        client.host().dial(server.address());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Multiaddr> silentAddress = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort()));

            DialBackResult first = client.autonat().ask(server.peerId(), silentAddress);
            DialBackResult second = client.autonat().ask(server.peerId(), silentAddress);
            Thread.sleep(2_500);
            DialBackResult third = client.autonat().ask(server.peerId(), silentAddress);

            assertThat(first.status()).isEqualTo(Status.DIAL_ERROR);
            assertThat(first.text()).contains("PT0.3S");
            assertThat(second.status()).isEqualTo(Status.DIAL_REFUSED);
            assertThat(second.text()).contains("already under way");
            assertThat(third.status()).as("the upgrade timed out, ending the first dial-back")
                    .isEqualTo(Status.DIAL_ERROR);
        }
    }

    @Test
    void aProbeRightAfterConnectingAsksAboutWhereTheServersSawUs() throws Exception {
        Node server = node(ON_LOOPBACK, true);
        Node client = node(ON_LOOPBACK.withConfirmations(1), false);

        assertThat(client.autonat().probe(connect(client, List.of(server))))
                .as("the observed address, an outbound port nobody listens on, is all there was to ask about")
                .isEqualTo(Reachability.PRIVATE);
        assertThat(client.autonat().candidateAddresses()).isNotEmpty()
                .allSatisfy(address -> assertThat(address.ip()).contains("127.0.0.1"));
    }
}
