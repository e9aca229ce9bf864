package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Direction;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DCUtR between Parley and js-libp2p over a connection through a Java relay on loopback.
 *
 * <p>js-libp2p's DCUtR service dials only public addresses, so on loopback it decodes the other side's CONNECT
 * and stops there: those tests check what it decoded. The whole exchange up to a direct connection runs with js's
 * message codec driven by hand ({@code dcutr:exchange}) against Parley as A.
 */
class DcutrInteropTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final DcutrConfig ON_LOOPBACK = new DcutrConfig(Duration.ofSeconds(2), 3, Duration.ofMillis(300),
            true);
    private static final byte[] DATA = {1, 2, 3, 4};

    private final List<AutoCloseable> started = new ArrayList<>();
    private Multiaddr relay;

    private record Peer(Host host, DcutrService dcutr, Multiaddr tcpAddress) {
    }

    @BeforeEach
    void startRelay() throws IOException {
        JsPeer.assumeNodeAvailable();
        Host relayHost = host();
        new IdentifyService(relayHost, "dcutr-interop-relay");
        started.add(RelayService.start(relayHost, RelayLimits.defaults()));
        relay = relayHost.listen(LOOPBACK).withPeerId(relayHost.peerId());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    private Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        started.add(host);
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        return host;
    }

    private Peer peer() throws IOException {
        Host host = host();
        RelayTransport.install(host, false);
        DcutrService dcutr = new DcutrService(host, new IdentifyService(host, "dcutr-interop"), ON_LOOPBACK);
        return new Peer(host, dcutr, host.listen(LOOPBACK));
    }

    private JsPeer js(String... options) {
        JsPeer peer = JsPeer.start(List.of(options), ProcessLauncher.LOCAL);
        started.add(peer);
        return peer;
    }

    /** js reserving on our relay, so that a Java peer can dial it through the relay. */
    private JsPeer jsBehindRelay(String... flags) {
        List<String> options = new ArrayList<>(List.of("--listen", LOOPBACK.toString(),
                "--listen", relay.encapsulate(CIRCUIT).toString()));
        options.addAll(List.of(flags));
        JsPeer peer = js(options.toArray(String[]::new));
        peer.callOk(Map.of("cmd", "relay:circuitAddrs"));
        return peer;
    }

    private Multiaddr circuitTo(PeerId peer) {
        return relay.encapsulate(CIRCUIT).withPeerId(peer);
    }

    /** Waits until js's DCUtR service has decoded {@code count} CONNECTs; returns their addresses. */
    private static List<List<String>> connectsDecodedBy(JsPeer js, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            JsonNode connects = js.callOk(Map.of("cmd", "dcutr:received")).get("connects");
            if (connects.size() >= count) {
                List<List<String>> addresses = new ArrayList<>();
                connects.forEach(connect -> addresses.add(JsPeer.texts(connect.get("addrs"))));
                return addresses;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("js decoded " + connects.size() + " DCUtR CONNECTs in 20 s, not " + count);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void jsCodecAsBExchangesWithJavaAndJavaAsADialsItDirectly() throws Exception {
        JsPeer jsB = jsBehindRelay();
        Peer javaA = peer();
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        javaA.dcutr().onResult(outcome::complete);
        Connection relayed = javaA.host().dial(circuitTo(jsB.peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        JsonNode exchange = jsB.callOk(Map.of("cmd", "dcutr:exchange", "peerId", javaA.host().peerId().toString()));

        assertThat(exchange.get("type").asText()).isEqualTo("CONNECT");
        assertThat(JsPeer.texts(exchange.get("addrs"))).as("A's CONNECT as js decoded it")
                .contains(javaA.tcpAddress().toString());
        HolePunchResult result = outcome.get(20, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.peer()).isEqualTo(jsB.peerId());
        Connection direct = javaA.host().connection(jsB.peerId()).orElseThrow();
        assertThat(direct.isRelayed()).isFalse();
        assertThat(direct.direction()).as("A is the client").isEqualTo(Direction.OUTBOUND);
        assertThat(javaA.dcutr().isHolePunched(direct)).isTrue();
        JsonNode opened = jsB.awaitEvent("connection:open",
                event -> event.path("remotePeer").asText().equals(javaA.host().peerId().toString())
                        && !event.path("remoteAddr").asText().contains("/p2p-circuit"),
                Duration.ofSeconds(10));
        assertThat(opened.path("direction").asText()).isEqualTo("inbound");
        assertThat(TestProtocols.echoOver(direct, DATA)).containsExactly(DATA);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (relayed.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(relayed.isOpen()).as("the relayed connection closed after its grace").isFalse();
    }

    @Test
    void jsDcutrAsBDecodesTheConnectJavaAsAAnswersWith() throws Exception {
        JsPeer jsB = jsBehindRelay("--dcutr");
        Peer javaA = peer();

        Connection relayed = javaA.host().dial(circuitTo(jsB.peerId()));

        List<List<String>> decoded = connectsDecodedBy(jsB, 3);
        assertThat(decoded).as("js's three attempts, each answered by Java's CONNECT")
                .allSatisfy(addresses -> assertThat(addresses).contains(javaA.tcpAddress().toString()));
        assertThat(relayed.isOpen()).isTrue();
        assertThat(TestProtocols.echoOver(relayed, DATA)).containsExactly(DATA);
    }

    @Test
    void javaBSendsAConnectJsDcutrAsADecodesThenGivesUpAfterThreeAttemptsOnTheRelay() throws Exception {
        Peer javaB = peer();
        javaB.host().listen(relay.encapsulate(CIRCUIT));
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        javaB.dcutr().onResult(outcome::complete);
        // js listens on WebSocket only: with a TCP address to dial, B would reverse the connection instead
        JsPeer jsA = js("--dcutr", "--listen", "/ip4/127.0.0.1/tcp/0/ws");

        JsonNode echoed = jsA.callOk(Map.of("cmd", "relay:echo", "addr", circuitTo(javaB.host().peerId()).toString(),
                "bytes", 100));
        assertThat(echoed.get("limited").asBoolean()).isTrue();

        HolePunchResult result = outcome.get(30, TimeUnit.SECONDS);
        assertThat(result.success()).as("js dials only public addresses").isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(connectsDecodedBy(jsA, 3)).as("each of B's CONNECTs as js decoded it")
                .allSatisfy(addresses -> assertThat(addresses).contains(javaB.tcpAddress().toString()));
        Connection relayed = javaB.host().connection(jsA.peerId()).orElseThrow();
        assertThat(relayed.isRelayed()).isTrue();
        assertThat(TestProtocols.echoOver(relayed, DATA)).containsExactly(DATA);
    }
}
