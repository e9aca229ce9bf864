package dev.parley.transport.relay;

import static dev.parley.transport.TestProtocols.ECHO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Circuit relay v2 between Parley and js-libp2p, each as relay, reserving peer and dialler. */
class RelayInteropTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final byte[] DATA = "relayed between js and Parley;".repeat(100).getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void requireNode() {
        JsPeer.assumeNodeAvailable();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private Host newHost() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        closing.add(host);
        new IdentifyService(host, "parley-relay-test");
        host.setHandler(ECHO, TestProtocols::echo);
        return host;
    }

    private RelayTransport client(Host host) {
        RelayTransport transport = RelayTransport.install(host, false);
        closing.add(transport.reservations());
        return transport;
    }

    private JsPeer js(String... options) {
        JsPeer peer = JsPeer.start(List.of(options), ProcessLauncher.LOCAL);
        closing.add(peer);
        return peer;
    }

    private Multiaddr javaRelay(Host relay) throws IOException {
        closing.add(RelayService.start(relay, RelayLimits.defaults()));
        return relay.listen(LOOPBACK).withPeerId(relay.peerId());
    }

    private static byte[] echo(Connection connection) throws IOException {
        try (Stream stream = connection.newStream(ECHO)) {
            stream.out().write(DATA);
            stream.out().flush();
            stream.closeWrite();
            return stream.in().readAllBytes();
        }
    }

    @Test
    void javaPeersMeetThroughAJsRelay() throws Exception {
        JsPeer relay = js("--relay-server");
        Multiaddr relayAddress = Multiaddr.parse(relay.address());
        Host listener = newHost();
        RelayTransport listenerTransport = client(listener);
        Host dialler = newHost();
        client(dialler);

        listener.listen(relayAddress.encapsulate(CIRCUIT));
        Reservations.Reservation reservation = listenerTransport.reservations().reservation(relay.peerId()).orElseThrow();
        assertThat(reservation.voucher()).as("js's voucher verifies").hasValueSatisfying(v -> {
            assertThat(v.relay()).isEqualTo(relay.peerId());
            assertThat(v.peer()).isEqualTo(listener.peerId());
        });
        // js-libp2p 4.2.13 writes its two-minute limit in milliseconds into the field the spec counts in
        // seconds (and its client multiplies by 1000 again); we read the wire as the spec says.
        assertThat(reservation.limit()).isEqualTo(new CircuitLimit(Duration.ofSeconds(120_000), 1 << 17));
        assertThat(JsPeer.texts(relay.callOk(Map.of("cmd", "relay:reservations")).get("peers")))
                .containsExactly(listener.peerId().toString());

        Connection outbound = dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId()));
        assertThat(outbound.isRelayed()).isTrue();
        assertThat(echo(outbound)).isEqualTo(DATA);
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(echo(inbound)).isEqualTo(DATA);
    }

    @Test
    void jsPeerReservesOnAJavaRelayAndAJavaPeerDialsIt() throws Exception {
        Host relay = newHost();
        Multiaddr relayAddress = javaRelay(relay);
        JsPeer target = js("--listen", relayAddress.encapsulate(CIRCUIT).toString());
        List<String> circuitAddrs = JsPeer.texts(target.callOk(Map.of("cmd", "relay:circuitAddrs")).get("addrs"));
        Multiaddr expected = relayAddress.encapsulate(CIRCUIT).withPeerId(target.peerId());
        assertThat(circuitAddrs).contains(expected.toString());
        RelayService service = (RelayService) closing.stream().filter(RelayService.class::isInstance).findFirst()
                .orElseThrow();
        assertThat(service.reservationCount()).isEqualTo(1);

        Host dialler = newHost();
        client(dialler);
        Connection outbound = dialler.dial(expected);
        assertThat(outbound.isRelayed()).isTrue();
        assertThat(echo(outbound)).isEqualTo(DATA);
    }

    @Test
    void jsPeerDialsAJavaPeerThroughAJavaRelay() throws Exception {
        Host relay = newHost();
        Multiaddr relayAddress = javaRelay(relay);
        Host listener = newHost();
        client(listener);
        listener.listen(relayAddress.encapsulate(CIRCUIT));
        JsPeer dialler = js();

        Multiaddr circuit = relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId());
        JsonNode echoed = dialler.callOk(Map.of("cmd", "relay:echo", "addr", circuit.toString(), "bytes", 5000));
        assertThat(echoed.get("bytes").asInt()).isEqualTo(5000);
        assertThat(echoed.get("remoteAddr").asText()).contains("/p2p-circuit");
        assertThat(echoed.get("limited").asBoolean()).isTrue();
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(echo(inbound)).isEqualTo(DATA);
    }
}
