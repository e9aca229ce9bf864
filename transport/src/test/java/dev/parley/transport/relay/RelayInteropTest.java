package dev.parley.transport.relay;

import static dev.parley.transport.relay.RelayTestPeers.CIRCUIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.pb.CircuitProtos.ReservationVoucher;
import dev.parley.transport.spi.CircuitLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Circuit relay v2 between Parley and js-libp2p, each as relay, reserving peer and dialler. */
class RelayInteropTest {
    private static final byte[] DATA = "relayed between js and Parley;".repeat(100).getBytes(StandardCharsets.UTF_8);

    private final RelayTestPeers peers = new RelayTestPeers();

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    @BeforeEach
    void requireNode() {
        JsPeer.assumeNodeAvailable();
    }

    @Test
    void javaPeersMeetThroughAJsRelay() throws Exception {
        JsPeer relay = peers.js("--relay-server");
        Multiaddr relayAddress = Multiaddr.parse(relay.address());
        Host listener = peers.host();
        RelayTransport listenerTransport = peers.client(listener);
        Host dialler = peers.clientHost();

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
        assertThat(outbound.relayLimit()).as("our dialler read the limit in js's hop STATUS")
                .contains(reservation.limit());
        assertThat(TestProtocols.echoOver(outbound, DATA)).isEqualTo(DATA);
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(inbound.relayLimit()).as("our target read the limit in js's stop CONNECT")
                .contains(reservation.limit());
        assertThat(TestProtocols.echoOver(inbound, DATA)).isEqualTo(DATA);
    }

    @Test
    void jsPeerReservesOnAJavaRelayAndAJavaPeerDialsIt() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay);
        JsPeer target = peers.js("--listen", relayAddress.encapsulate(CIRCUIT).toString());
        List<String> circuitAddrs = JsPeer.texts(target.callOk(Map.of("cmd", "relay:circuitAddrs")).get("addrs"));
        Multiaddr expected = relayAddress.encapsulate(CIRCUIT).withPeerId(target.peerId());
        assertThat(circuitAddrs).contains(expected.toString());
        assertThat(peers.relayService().reservationCount()).isEqualTo(1);

        Host dialler = peers.clientHost();
        Connection outbound = dialler.dial(expected);
        assertThat(outbound.isRelayed()).isTrue();
        assertThat(TestProtocols.echoOver(outbound, DATA)).isEqualTo(DATA);
    }

    @Test
    void jsPeerDialsAJavaPeerThroughAJavaRelay() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay);
        Host listener = peers.reservingHost(relayAddress);
        JsPeer dialler = peers.js();

        Multiaddr circuit = relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId());
        JsonNode echoed = dialler.callOk(Map.of("cmd", "relay:echo", "addr", circuit.toString(), "bytes", 5000));
        assertThat(echoed.get("bytes").asInt()).isEqualTo(5000);
        assertThat(echoed.get("remoteAddr").asText()).contains("/p2p-circuit");
        assertThat(echoed.get("limited").asBoolean()).isTrue();
        assertThat(echoed.get("bytesLeft").asLong()).as("js read our 128 KiB limit from the hop STATUS")
                .isBetween(100L * 1024, 128L * 1024);
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(TestProtocols.echoOver(inbound, DATA)).isEqualTo(DATA);
    }

    @Test
    void jsOpensOurVoucherAndChecksItsSignature() throws Exception {
        JsPeer js = peers.js();
        Ed25519PrivateKey relayKey = Ed25519PrivateKey.generate();
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        Voucher voucher = new Voucher(relay, js.peerId(), Instant.ofEpochSecond(1_900_000_000L));

        JsonNode opened = js.callOk(Map.of("cmd", "relay:openVoucher",
                "envelope", HexFormat.of().formatHex(voucher.seal(relayKey))));
        assertThat(opened.get("signer").asText()).isEqualTo(relay.toString());
        assertThat(opened.get("payloadType").asText()).isEqualTo("0302");
        ReservationVoucher payload = ReservationVoucher.parseFrom(HexFormat.of().parseHex(opened.get("payload").asText()));
        assertThat(PeerId.fromBytes(payload.getRelay().toByteArray())).isEqualTo(relay);
        assertThat(PeerId.fromBytes(payload.getPeer().toByteArray())).isEqualTo(js.peerId());
        assertThat(payload.getExpiration()).isEqualTo(1_900_000_000L);

        byte[] forged = SignedEnvelope.seal(relayKey, "libp2p-peer-record", Voucher.PAYLOAD_TYPE, new byte[] {8, 1});
        assertThat(js.call(Map.of("cmd", "relay:openVoucher", "envelope", HexFormat.of().formatHex(forged)))
                .get("ok").asBoolean()).as("js refuses a signature made for another domain").isFalse();
    }
}
