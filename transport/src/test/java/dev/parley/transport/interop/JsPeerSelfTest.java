package dev.parley.transport.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two js peers talking to each other through the harness. This proves the harness and the js side of
 * the echo and perf protocols (written for these tests, not taken from js-libp2p) before any Java peer
 * is involved: when an interop test fails, the fault is then on the Java side.
 */
class JsPeerSelfTest {
    private static final int MIB = 1024 * 1024;
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    private static JsPeer dialer;
    private static JsPeer listener;

    /** Per test rather than per class, so that each skipped test shows why in the report. */
    @BeforeEach
    void startPeersOnce() {
        JsPeer.assumeNodeAvailable();
        if (dialer == null) {
            dialer = JsPeer.start();
            listener = JsPeer.start();
        }
    }

    @AfterAll
    static void stopPeers() {
        for (JsPeer peer : new JsPeer[] {dialer, listener}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    @Test
    void dialConnectsOverNoiseAndYamuxAndBothSidesSeeTheConnection() {
        JsonNode connection = dialer.dial(listener.address());

        assertThat(connection.path("remotePeer").asText()).isEqualTo(listener.peerId().toBase58());
        assertThat(connection.path("encryption").asText()).isEqualTo("/noise");
        assertThat(connection.path("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
        assertThat(connection.path("direction").asText()).isEqualTo("outbound");
        listener.awaitEvent("connection:open",
                event -> event.path("remotePeer").asText().equals(dialer.peerId().toBase58())
                        && event.path("direction").asText().equals("inbound"),
                EVENT_TIMEOUT);
    }

    @Test
    void pingReturnsOneRoundTripPerPing() {
        assertThat(dialer.ping(listener.address(), 5)).hasSize(5).allSatisfy(rtt -> assertThat(rtt).isNotNegative());
    }

    @Test
    void pingOnOneStreamReturnsFractionalRoundTrips() {
        JsonNode reply = dialer.callOk(Map.of("cmd", "ping", "addr", listener.address(), "count", 20, "sameStream", true));

        assertThat(reply.path("rtts")).hasSize(20).allSatisfy(rtt -> assertThat(rtt.asDouble()).isPositive());
    }

    @Test
    void identifyReportsTheListenersKeyProtocolsAndAddresses() throws Exception {
        JsonNode identify = dialer.identify(listener.address());

        PeerId fromKey = PeerId.fromPublicKey(
                Ed25519PublicKey.unmarshal(HexFormat.of().parseHex(identify.path("publicKey").asText())));
        assertThat(fromKey).isEqualTo(listener.peerId());
        assertThat(identify.path("peerId").asText()).isEqualTo(listener.peerId().toBase58());
        assertThat(JsPeer.texts(identify.path("protocols"))).contains(
                "/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0", JsPeer.ECHO_PROTOCOL);
        String listenAddr = listener.address().substring(0, listener.address().indexOf("/p2p/"));
        assertThat(JsPeer.texts(identify.path("listenAddrs"))).containsExactly(listenAddr);
        assertThat(JsPeer.texts(identify.path("signedPeerRecord").path("addrs"))).containsExactly(listenAddr);
        assertThat(identify.path("observedAddr").asText()).startsWith("/ip4/127.0.0.1/tcp/");
        assertThat(identify.path("agentVersion").asText()).startsWith("js-libp2p/3.");
        assertThat(identify.path("protocolVersion").asText()).isEqualTo("ipfs/0.1.0");
    }

    @Test
    void echoReturnsEveryByteOfOneMebibyteOnTenStreams() {
        JsonNode reply = dialer.echo(listener.address(), MIB, 10);

        assertThat(reply.path("streams").asInt()).isEqualTo(10);
        assertThat(reply.path("bytes").asLong()).isEqualTo(10L * MIB);
    }

    @Test
    void echoRunsOneThousandStreamsAtOnceOnOneConnection() {
        JsonNode reply = dialer.echo(listener.address(), 64 * 1024, 1000);

        assertThat(reply.path("bytes").asLong()).isEqualTo(1000L * 64 * 1024);
    }

    @Test
    void perfMovesSixteenMebibytesEachWay() {
        JsonNode reply = dialer.perf(listener.address(), 16L * MIB, 16L * MIB);

        assertThat(reply.path("uploadBytes").asLong()).isEqualTo(16L * MIB);
        assertThat(reply.path("downloadBytes").asLong()).isEqualTo(16L * MIB);
        assertThat(reply.path("seconds").asDouble()).isPositive();
    }

    @Test
    void perfWithNothingToMoveStillCompletes() {
        JsonNode reply = dialer.perf(listener.address(), 0, 0);

        assertThat(reply.path("downloadBytes").asLong()).isZero();
    }

    @Test
    void commandsRunConcurrentlyAndEachGetsItsOwnReply() {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> replies = IntStream.rangeClosed(1, 8)
                    .mapToObj(streams -> threads.submit(() -> dialer.echo(listener.address(), 1000 * streams, streams)))
                    .toList();

            for (int streams = 1; streams <= replies.size(); streams++) {
                assertThat(replies.get(streams - 1)).succeedsWithin(JsPeer.CALL_TIMEOUT)
                        .extracting(reply -> reply.path("bytes").asLong())
                        .isEqualTo(1000L * streams * streams);
            }
        }
    }

    @Test
    void unsupportedProtocolComesBackAsTheJsErrorName() {
        JsonNode reply = dialer.call(Map.of(
                "cmd", "echo", "addr", listener.address(), "bytes", 1, "protocol", "/parley-test/absent/1.0.0"));

        assertThat(reply.path("ok").asBoolean()).isFalse();
        assertThat(reply.path("name").asText()).isEqualTo("UnsupportedProtocolError");
    }

    @Test
    void refusedDialComesBackWithTheSocketErrorCode() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> dialer.dial("/ip4/127.0.0.1/tcp/" + closedPort))
                .isInstanceOfSatisfying(JsCommandException.class,
                        refused -> assertThat(refused.code()).isEqualTo("ECONNREFUSED"));
    }

    @Test
    void hangupClosesTheConnection() {
        JsPeer peer = JsPeer.start();
        try (peer) {
            dialer.dial(peer.address());

            dialer.hangup(peer.address());

            assertThat(StreamSupport.stream(dialer.connections().spliterator(), false)
                    .map(connection -> connection.path("remotePeer").asText()))
                    .doesNotContain(peer.peerId().toBase58());
            peer.awaitEvent("connection:close",
                    event -> event.path("remotePeer").asText().equals(dialer.peerId().toBase58()), EVENT_TIMEOUT);
        }
    }

    @Test
    void fixedKeyFromJavaGivesTheSamePeerIdInJs() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();

        JsPeer peer = JsPeer.start(key.marshal());
        try (peer) {
            assertThat(peer.peerId()).isEqualTo(PeerId.fromPublicKey(key.publicKey()));
            assertThat(peer.address()).endsWith("/p2p/" + peer.peerId().toBase58());
        }
        assertThat(peer.isAlive()).isFalse();
    }

    @Test
    void peerThatCannotStartReportsWhyFromItsStderr() {
        assertThatThrownBy(() -> JsPeer.start(new byte[] {8, 1, 18, 3, 1, 2, 3}))
                .isInstanceOf(JsPeerException.class)
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("peer failed to start");
    }

    @Test
    void unknownCommandIsRefusedWithoutHarmingThePeer() {
        assertThatThrownBy(() -> dialer.callOk(Map.of("cmd", "fly")))
                .isInstanceOfSatisfying(JsCommandException.class,
                        refused -> assertThat(refused.error()).contains("unknown command \"fly\""));
        assertThat(dialer.connections().isArray()).isTrue();
    }
}
