package dev.parley.transport.interop;

import static dev.parley.transport.TestProtocols.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.noise.NoiseHandshakeException;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.ping.PingService;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Parley's host against a real js-libp2p 3 node, each protocol in both directions: js dials Parley, and
 * Parley dials js.
 */
class JsInteropTest {
    private static final int MIB = 1024 * 1024;
    private static final String AGENT = "parley/interop-test";
    private static final Duration IDENTIFY_TIMEOUT = Duration.ofSeconds(15);

    private static JsPeer js;
    private static Host parley;
    private static IdentifyService identify;
    private static PingService ping;
    private static Multiaddr parleyAddress;

    @BeforeEach
    void startPeersOnce() throws Exception {
        JsPeer.assumeNodeAvailable();
        if (js == null) {
            js = JsPeer.start();
            parley = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
            identify = new IdentifyService(parley, AGENT);
            ping = new PingService(parley);
            PerfService.enable(parley);
            parley.setHandler(ECHO, TestProtocols::echo);
            parleyAddress = parley.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(parley.peerId());
        }
    }

    /**
     * Each test starts with no connection between the two, so whoever the test says dials, dials. js must
     * have seen the close too, or its next command would pick the dying connection.
     */
    @AfterEach
    void hangUp() throws InterruptedException {
        if (parley == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            // Closed again on every round: js may consider a connection up (it selects the muxer
            // optimistically) before Parley has finished upgrading and registered it.
            parley.connections().forEach(Connection::close);
            assertThat(System.nanoTime()).as("js still connected to Parley 10 s after the hang-up").isLessThan(deadline);
            Thread.sleep(20);
        } while (js.connectedPeers().contains(parley.peerId().toBase58()));
    }

    /** Parley's side of a connection js dialled, once Parley has finished upgrading it. */
    private static Connection awaitConnectionFrom(PeerId peer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (parley.connection(peer).isEmpty()) {
            assertThat(System.nanoTime()).as("Parley has no connection from " + peer + " after 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        return parley.connection(peer).orElseThrow();
    }

    @AfterAll
    static void stopPeers() {
        if (parley != null) {
            parley.close();
        }
        if (js != null) {
            js.close();
        }
    }

    @Nested
    class JsDialsParley {
        @Test
        void connectsOverNoiseAndYamuxToTheRightPeer() {
            JsonNode connection = js.dial(parleyAddress.toString());

            assertThat(connection.path("remotePeer").asText()).isEqualTo(parley.peerId().toBase58());
            assertThat(connection.path("encryption").asText()).isEqualTo("/noise");
            assertThat(connection.path("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
        }

        @Test
        void pings() {
            List<Double> rtts = js.ping(parleyAddress.toString(), 5);

            assertThat(rtts).hasSize(5).allSatisfy(rtt -> assertThat(rtt).isGreaterThanOrEqualTo(0));
        }

        @Test
        void identifiesParley() throws Exception {
            JsonNode info = js.identify(parleyAddress.toString());

            assertThat(info.path("peerId").asText()).isEqualTo(parley.peerId().toBase58());
            assertThat(info.path("publicKey").asText())
                    .isEqualTo(HexFormat.of().formatHex(parley.config().identity().publicKey().marshal()));
            assertThat(info.path("agentVersion").asText()).isEqualTo(AGENT);
            assertThat(info.path("protocolVersion").asText()).isEqualTo(IdentifyService.PROTOCOL_VERSION);
            assertThat(JsPeer.texts(info.path("protocols"))).contains(IdentifyService.PROTOCOL_ID,
                    IdentifyService.PUSH_PROTOCOL_ID, PingService.PROTOCOL_ID, PerfService.PROTOCOL_ID, ECHO);
            assertThat(JsPeer.texts(info.path("listenAddrs"))).contains(parleyAddress.withoutPeerId().toString());
            assertThat(info.path("observedAddr").asText()).startsWith("/ip4/127.0.0.1/tcp/");
        }

        @Test
        void isIdentifiedByParley() throws Exception {
            js.dial(parleyAddress.toString());
            Connection fromJs = awaitConnectionFrom(js.peerId());

            IdentifyInfo info = identify.identify(fromJs);

            assertThat(info.agentVersion()).startsWith("js-libp2p/");
            assertThat(PeerId.fromPublicKey(info.publicKey())).isEqualTo(js.peerId());
            assertThat(info.protocols()).contains(ECHO, PingService.PROTOCOL_ID, "/perf/1.0.0");
            assertThat(info.listenAddresses()).extracting(Multiaddr::toString)
                    .contains(Multiaddr.parse(js.address()).withoutPeerId().toString());
        }

        @Test
        void echoesOneMebibyteOnEachOfTenStreams() {
            JsonNode reply = js.echo(parleyAddress.toString(), MIB, 10);

            assertThat(reply.path("bytes").asLong()).isEqualTo(10L * MIB);
        }

        @Test
        void perfBothWays() {
            JsonNode reply = js.perf(parleyAddress.toString(), 32L * MIB, 32L * MIB);

            assertThat(reply.path("uploadBytes").asLong()).isEqualTo(32L * MIB);
            assertThat(reply.path("downloadBytes").asLong()).isEqualTo(32L * MIB);
        }

        @Test
        void refusesParleyWhenTheAddressNamesAnotherPeer() {
            PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
            String wrong = parleyAddress.withoutPeerId().withPeerId(someoneElse).toString();

            JsonNode reply = js.call(Map.of("cmd", "dial", "addr", wrong));

            assertThat(reply.path("ok").asBoolean()).isFalse();
            assertThat(reply.path("name").asText()).isEqualTo("EncryptionFailedError");
            assertThat(reply.path("error").asText()).contains("does not match", someoneElse.toBase58());
        }
    }

    @Nested
    class ParleyDialsJs {
        private Connection connect() throws Exception {
            return parley.dial(Multiaddr.parse(js.address()));
        }

        @Test
        void connectsToTheRightPeer() throws Exception {
            Connection connection = connect();

            assertThat(connection.remotePeer()).isEqualTo(js.peerId());
            JsonNode seen = js.awaitEvent("connection:open",
                    event -> event.path("remoteAddr").asText().startsWith(connection.localAddress() + "/"),
                    Duration.ofSeconds(10));
            assertThat(seen.path("remotePeer").asText()).isEqualTo(parley.peerId().toBase58());
            assertThat(seen.path("direction").asText()).isEqualTo("inbound");
        }

        @Test
        void pings() throws Exception {
            List<Duration> rtts = ping.ping(connect(), 5);

            assertThat(rtts).hasSize(5).allSatisfy(rtt -> assertThat(rtt).isPositive());
        }

        @Test
        void identifiesJs() throws Exception {
            IdentifyInfo info = identify.identify(connect());

            assertThat(info.peer()).isEqualTo(js.peerId());
            assertThat(info.agentVersion()).startsWith("js-libp2p/");
            assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
            assertThat(info.protocols()).contains(IdentifyService.PROTOCOL_ID, PingService.PROTOCOL_ID, ECHO);
            assertThat(info.listenAddresses()).contains(Multiaddr.parse(js.address()).withoutPeerId());
            assertThat(info.observedAddress()).hasValueSatisfying(
                    observed -> assertThat(observed.toString()).startsWith("/ip4/127.0.0.1/tcp/"));
        }

        @Test
        void isIdentifiedByJs() throws Exception {
            connect();

            JsonNode seen = js.awaitEvent("peer:identify",
                    event -> event.path("peerId").asText().equals(parley.peerId().toBase58()),
                    IDENTIFY_TIMEOUT);

            assertThat(seen.path("agentVersion").asText()).isEqualTo(AGENT);
            assertThat(JsPeer.texts(seen.path("protocols"))).contains(PingService.PROTOCOL_ID, ECHO);
            assertThat(JsPeer.texts(seen.path("listenAddrs"))).contains(parleyAddress.withoutPeerId().toString());
        }

        @Test
        void pushesNewProtocolsToJs() throws Exception {
            connect();
            js.awaitEvent("peer:identify", event -> event.path("peerId").asText().equals(parley.peerId().toBase58()),
                    IDENTIFY_TIMEOUT);
            String pushed = "/parley-test/pushed/" + System.nanoTime();

            parley.setHandler(pushed, TestProtocols::echo);
            try {
                JsonNode seen = js.awaitEvent("peer:identify",
                        event -> JsPeer.texts(event.path("protocols")).contains(pushed), IDENTIFY_TIMEOUT);
                assertThat(seen.path("peerId").asText()).isEqualTo(parley.peerId().toBase58());
            } finally {
                parley.removeHandler(pushed);
            }
        }

        @Test
        void echoesOneMebibyte() throws Exception {
            byte[] data = new byte[MIB];
            new Random(3).nextBytes(data);

            assertThat(TestProtocols.echoOver(connect(), data)).isEqualTo(data);
        }

        @Test
        void perfBothWays() throws Exception {
            PerfResult result = PerfService.run(connect(), 32L * MIB, 32L * MIB);

            assertThat(result.uploadBytes()).isEqualTo(32L * MIB);
            assertThat(result.downloadBytes()).isEqualTo(32L * MIB);
        }

        @Test
        void aThousandConcurrentStreams() throws Exception {
            List<Boolean> echoed = TestProtocols.echoOnConcurrentStreams(connect(), 1000, Duration.ofSeconds(120));

            assertThat(echoed).as("echo matches").hasSize(1000).containsOnly(true);
        }

        @Test
        void refusesJsWhenTheAddressNamesAnotherPeer() {
            PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
            Multiaddr wrong = Multiaddr.parse(js.address()).withoutPeerId().withPeerId(someoneElse);

            assertThatThrownBy(() -> parley.dial(wrong))
                    .isInstanceOf(NoiseHandshakeException.class)
                    .hasMessageContaining(someoneElse.toBase58());
        }
    }
}
