package dev.parley.transport.dcutr;

import static dev.parley.transport.dcutr.DcutrTestPeers.CIRCUIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Direction;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.DcutrTestPeers.Peer;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DCUtR between Parley and js-libp2p (@libp2p/dcutr) over a Java relay on loopback.
 *
 * <p>js dials only addresses it calls public, and every IP address on one machine is private to it; a DNS name is
 * public to it, so a Java peer that js must dial advertises {@code /dns4/localhost} (resolved from /etc/hosts by
 * Node's TCP connect, nothing leaves loopback). js's B first dials any public address A advertises (connection
 * reversal) and then sends no DCUtR message at all, so the full exchange with js as B is one where A offers only
 * loopback addresses and js gives up after A's CONNECT.
 */
class DcutrInteropTest {
    private final DcutrTestPeers peers = new DcutrTestPeers();
    private Multiaddr circuitAddress;

    @BeforeEach
    void requireNode() {
        JsPeer.assumeNodeAvailable();
    }

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    /** A js peer with DCUtR, listening on loopback TCP and reserved on a Java relay at {@link #circuitAddress}. */
    private JsPeer jsReservingOnAJavaRelay() throws IOException {
        circuitAddress = peers.relay().encapsulate(CIRCUIT);
        JsPeer js = peers.js("--dcutr", "--listen", "/ip4/127.0.0.1/tcp/0", "--listen", circuitAddress.toString());
        js.callOk(Map.of("cmd", "relay:circuitAddrs"));
        return js;
    }

    private static void advertiseLocalhostName(Peer peer) {
        int port = peer.host().listenAddresses().getFirst().toSocketAddress().getPort();
        peer.host().addExternalAddress(Multiaddr.parse("/dns4/localhost/tcp/" + port));
    }

    private static List<JsonNode> jsConnectionsTo(JsPeer js, Peer peer) {
        return StreamSupport.stream(js.connections().spliterator(), false)
                .filter(c -> c.get("remotePeer").asText().equals(peer.host().peerId().toString()))
                .toList();
    }

    private static boolean jsHasDirectConnectionTo(JsPeer js, Peer peer) {
        return jsConnectionsTo(js, peer).stream()
                .anyMatch(connection -> !connection.get("remoteAddr").asText().contains("/p2p-circuit"));
    }

    @Test
    void jsDialsJavaThroughTheRelayAndAnswersJavasConnectAndSyncByDiallingIt() throws Exception {
        Multiaddr relay = peers.relay();
        Peer javaB = peers.peer(true);
        advertiseLocalhostName(javaB);
        Multiaddr circuit = relay.encapsulate(CIRCUIT);
        javaB.host().listen(circuit);
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        javaB.dcutr().onResult(outcome::complete);
        // js listens on WebSocket only: nothing for Java to reverse to or to punch (TCP), so a direct connection
        // can only be js's answer to our SYNC
        JsPeer jsA = peers.js("--dcutr", "--listen", "/ip4/127.0.0.1/tcp/0/ws");

        jsA.dial(circuit.withPeerId(javaB.host().peerId()).toString());

        HolePunchResult result = outcome.get(30, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).as("one CONNECT/SYNC exchange").isEqualTo(1);
        assertThat(result.peer()).isEqualTo(jsA.peerId());
        Connection direct = javaB.host().connection(jsA.peerId()).orElseThrow();
        assertThat(direct.isRelayed()).isFalse();
        assertThat(direct.direction()).as("js dialled us after SYNC").isEqualTo(Direction.INBOUND);
        assertThat(javaB.dcutr().isHolePunched(direct)).isTrue();
        assertThat(TestProtocols.echoOver(direct, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        DcutrTestPeers.await("js sees the direct connection", () -> jsHasDirectConnectionTo(jsA, javaB));
        DcutrTestPeers.await("the relayed connection closed", () -> jsConnectionsTo(jsA, javaB).size() == 1);
    }

    @Test
    void javaDialsJsThroughTheRelayAndJsReversesToJavasPublicLookingAddress() throws Exception {
        JsPeer jsB = jsReservingOnAJavaRelay();
        Peer javaA = peers.peer(true);
        advertiseLocalhostName(javaA);
        BlockingQueue<HolePunchResult> results = new LinkedBlockingQueue<>();
        javaA.dcutr().onResult(results::add);

        Connection relayed = javaA.host().dial(circuitAddress.withPeerId(jsB.peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        DcutrTestPeers.await("js dials our advertised address directly",
                () -> javaA.host().connection(jsB.peerId()).filter(c -> !c.isRelayed()).isPresent());
        assertThat(javaA.host().connection(jsB.peerId()).orElseThrow().direction()).isEqualTo(Direction.INBOUND);
        DcutrTestPeers.await("js closes the relayed connection", () -> !relayed.isOpen());
        assertThat(results).as("connection reversal sends no DCUtR message").isEmpty();
    }

    @Test
    void jsAsBSendsConnectTakesJavasAnswerAndGivesUpOnLoopbackAddressesThreeTimes() throws Exception {
        JsPeer jsB = jsReservingOnAJavaRelay();
        Peer javaA = peers.peer(true);
        BlockingQueue<HolePunchResult> results = new LinkedBlockingQueue<>();
        javaA.dcutr().onResult(results::add);

        Connection relayed = javaA.host().dial(circuitAddress.withPeerId(jsB.peerId()));

        for (int exchange = 1; exchange <= 3; exchange++) {
            HolePunchResult result = results.poll(30, TimeUnit.SECONDS);
            assertThat(result).as("exchange %d answered", exchange).isNotNull();
            assertThat(result.peer()).isEqualTo(jsB.peerId());
            assertThat(result.success()).as("js sends no SYNC to an A without a public address").isFalse();
        }
        assertThat(results.poll(1, TimeUnit.SECONDS)).as("js retries twice, no more").isNull();
        assertThat(relayed.isOpen()).isTrue();
        assertThat(javaA.host().connection(jsB.peerId()).map(Connection::isRelayed)).contains(true);
        assertThat(TestProtocols.echoOver(relayed, new byte[] {9, 8, 7})).containsExactly(9, 8, 7);
    }
}
