package dev.parley.transport.relay;

import static dev.parley.transport.relay.RelayTestPeers.CIRCUIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Java relay and Java peers over real loopback sockets. */
class RelayTest {

    private final RelayTestPeers peers = new RelayTestPeers();

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Sends a stop CONNECT naming {@code source} as a relay would and returns the status answered. */
    private static Status stopConnect(Connection toPeer, PeerId source) throws IOException {
        try (Stream stop = toPeer.newStream(RelayService.STOP)) {
            RelayCodec.write(StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
                    .setPeer(RelayCodec.peer(source)).build(), stop.out());
            return RelayCodec.readStop(stop.in()).getStatus();
        }
    }

    @Test
    void peerReachedThroughItsReservationEchoesBothWaysOnRelayedConnections() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay);
        Host listener = peers.host();
        RelayTransport listenerTransport = peers.client(listener);
        Host dialler = peers.clientHost();

        Multiaddr listened = listener.listen(relayAddress.encapsulate(CIRCUIT));
        Multiaddr circuit = relayAddress.encapsulate(CIRCUIT);
        assertThat(listened).isEqualTo(circuit);
        assertThat(listener.listenAddresses()).containsExactly(circuit);
        Reservations.Reservation reservation = listenerTransport.reservations().reservation(relay.peerId()).orElseThrow();
        assertThat(reservation.voucher()).hasValueSatisfying(v -> {
            assertThat(v.relay()).isEqualTo(relay.peerId());
            assertThat(v.peer()).isEqualTo(listener.peerId());
            assertThat(v.expiration()).isEqualTo(reservation.expiration());
        });
        assertThat(reservation.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(reservation.limit()).isEqualTo(RelayLimits.DEFAULT_CIRCUIT);

        Connection outbound = dialler.dial(circuit.withPeerId(listener.peerId()));
        assertThat(outbound.remotePeer()).isEqualTo(listener.peerId());
        assertThat(outbound.isRelayed()).isTrue();
        assertThat(outbound.relayLimit()).as("the dialler heard the limit in the hop STATUS")
                .contains(RelayLimits.DEFAULT_CIRCUIT);
        byte[] data = "through the relay and back".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThat(TestProtocols.echoOver(outbound, data)).isEqualTo(data);

        await("the listener sees the relayed connection", () -> listener.connection(dialler.peerId()).isPresent());
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(inbound.remoteAddress()).isEqualTo(circuit);
        assertThat(inbound.relayLimit()).as("the target heard the limit in the stop CONNECT")
                .contains(RelayLimits.DEFAULT_CIRCUIT);
        assertThat(listener.connection(relay.peerId()).orElseThrow().relayLimit()).as("a direct connection")
                .isEmpty();
        assertThat(TestProtocols.echoOver(inbound, data)).isEqualTo(data);

        outbound.close();
        await("the listener's side closes too", () -> !inbound.isOpen());
    }

    @Test
    void dataLimitCutsTheCircuit() throws Exception {
        Host relay = peers.host();
        CircuitLimit small = new CircuitLimit(Duration.ofMinutes(1), 32 * 1024);
        Multiaddr relayAddress = peers.relay(relay, RelayLimits.defaults().withCircuit(small), RelayPolicy.uniform(small));
        Host listener = peers.clientHost();
        Host dialler = peers.clientHost();
        listener.listen(relayAddress.encapsulate(CIRCUIT));

        Connection outbound = dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId()));
        byte[] small8k = new byte[8 * 1024];
        assertThat(TestProtocols.echoOver(outbound, small8k)).isEqualTo(small8k);
        byte[] large = new byte[256 * 1024];
        new Random(1).nextBytes(large);
        byte[] back;
        try {
            back = TestProtocols.echoOver(outbound, large);
        } catch (IOException cut) {
            back = new byte[0];
        }
        assertThat(back.length).isLessThan(large.length);
        await("the cut circuit closes the relayed connection", () -> !outbound.isOpen());
        await("the relay counts no circuit", () -> peers.relayService().circuitCount() == 0);
    }

    @Test
    void reservationsBeyondTheLimitAreRefusedAndSoAreCircuitsBeyondThePerPeerLimit() throws Exception {
        Host relay = peers.host();
        RelayLimits limits = new RelayLimits(1, 8, 8, Duration.ofHours(1), 10, 1, RelayLimits.DEFAULT_CIRCUIT);
        Multiaddr relayAddress = peers.relay(relay, limits, RelayPolicy.uniform(limits.circuit()));
        Host first = peers.reservingHost(relayAddress);
        Host second = peers.clientHost();

        assertThatThrownBy(() -> second.listen(relayAddress.encapsulate(CIRCUIT)))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.RESERVATION_REFUSED));
        first.listen(relayAddress.encapsulate(CIRCUIT));
        assertThat(peers.relayService().reservationCount()).isEqualTo(1);

        Multiaddr toFirst = relayAddress.encapsulate(CIRCUIT).withPeerId(first.peerId());
        Connection circuit = second.dial(toFirst);
        assertThat(circuit.isRelayed()).isTrue();
        Host third = peers.clientHost();
        assertThatThrownBy(() -> third.dial(toFirst))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.RESOURCE_LIMIT_EXCEEDED));
    }

    @Test
    void connectToAPeerWithoutReservationGetsNoReservation() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay);
        Host unreserved = peers.host();
        unreserved.dial(relayAddress);
        Host dialler = peers.clientHost();
        assertThatThrownBy(() -> dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(unreserved.peerId())))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.NO_RESERVATION));
    }

    @Test
    void policyGivesContactsTheirOwnLimitAndRefusesStrangers() throws Exception {
        Host relay = peers.host();
        Host contact = peers.host();
        RelayTransport contactTransport = peers.client(contact);
        CircuitLimit generous = new CircuitLimit(Duration.ofHours(1), 64L << 20);
        RelayPolicy policy = peer -> peer.equals(contact.peerId()) ? Optional.of(generous) : Optional.empty();
        Multiaddr relayAddress = peers.relay(relay, RelayLimits.defaults(), policy);

        contact.listen(relayAddress.encapsulate(CIRCUIT));
        assertThat(contactTransport.reservations().reservation(relay.peerId()).orElseThrow().limit())
                .isEqualTo(generous);
        Host stranger = peers.clientHost();
        assertThatThrownBy(() -> stranger.listen(relayAddress.encapsulate(CIRCUIT)))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.PERMISSION_DENIED));

        Connection toContact = stranger.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(contact.peerId()));
        byte[] beyondTheDefault = new byte[300 * 1024];
        assertThat(TestProtocols.echoOver(toContact, beyondTheDefault)).isEqualTo(beyondTheDefault);
    }

    @Test
    void policyGivesAPairOfPeersTheirOwnCircuitLimitAndBothEndsHearIt() throws Exception {
        Host relay = peers.host();
        Host target = peers.clientHost();
        Host friend = peers.clientHost();
        Host stranger = peers.clientHost();
        CircuitLimit generous = new CircuitLimit(Duration.ofHours(1), 64L << 20);
        RelayPolicy policy = new RelayPolicy() {
            @Override
            public Optional<CircuitLimit> reservationLimit(PeerId peer) {
                return Optional.of(RelayLimits.DEFAULT_CIRCUIT);
            }

            @Override
            public CircuitLimit circuitLimit(PeerId source, PeerId to, CircuitLimit reserved) {
                return source.equals(friend.peerId()) && to.equals(target.peerId()) ? generous : reserved;
            }
        };
        Multiaddr relayAddress = peers.relay(relay, RelayLimits.defaults(), policy);
        target.listen(relayAddress.encapsulate(CIRCUIT));
        Multiaddr toTarget = relayAddress.encapsulate(CIRCUIT).withPeerId(target.peerId());

        Connection fromFriend = friend.dial(toTarget);
        assertThat(fromFriend.relayLimit()).contains(generous);
        await("the target has the friend's circuit", () -> target.connection(friend.peerId()).isPresent());
        assertThat(target.connection(friend.peerId()).orElseThrow().relayLimit()).contains(generous);
        byte[] beyondTheDefault = new byte[300 * 1024];
        assertThat(TestProtocols.echoOver(fromFriend, beyondTheDefault)).isEqualTo(beyondTheDefault);

        Connection fromStranger = stranger.dial(toTarget);
        assertThat(fromStranger.relayLimit()).contains(RelayLimits.DEFAULT_CIRCUIT);
        await("the target has the stranger's circuit", () -> target.connection(stranger.peerId()).isPresent());
        assertThat(target.connection(stranger.peerId()).orElseThrow().relayLimit())
                .contains(RelayLimits.DEFAULT_CIRCUIT);
    }

    @Test
    void aRelayThatNamesNoLimitGivesAnUnlimitedCircuit() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay, RelayLimits.defaults().withCircuit(CircuitLimit.UNLIMITED),
                RelayPolicy.uniform(CircuitLimit.UNLIMITED));
        Host target = peers.reservingHost(relayAddress);
        Host dialler = peers.clientHost();

        Connection outbound = dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(target.peerId()));
        assertThat(outbound.relayLimit()).contains(CircuitLimit.UNLIMITED);
        await("the target has the circuit", () -> target.connection(dialler.peerId()).isPresent());
        assertThat(target.connection(dialler.peerId()).orElseThrow().relayLimit()).contains(CircuitLimit.UNLIMITED);
    }

    @Test
    void hostileHopAndStopInputClosesOnlyThatStream() throws Exception {
        Host relay = peers.host();
        Multiaddr relayAddress = peers.relay(relay);
        Host peer = peers.reservingHost(relayAddress);
        Connection toRelay = peer.connection(relay.peerId()).orElseThrow();

        try (Stream hop = toRelay.newStream(RelayService.HOP)) {
            Varint.write(1 << 20, hop.out());
            hop.out().flush();
            assertThat(RelayCodec.readHop(hop.in()).getStatus()).isEqualTo(Status.MALFORMED_MESSAGE);
        }
        try (Stream hop = toRelay.newStream(RelayService.HOP)) {
            RelayCodec.write(HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK).build(),
                    hop.out());
            assertThat(RelayCodec.readHop(hop.in()).getStatus()).isEqualTo(Status.UNEXPECTED_MESSAGE);
        }
        await("the relay has the connection", () -> relay.connection(peer.peerId()).isPresent());
        Connection fromRelay = relay.connection(peer.peerId()).orElseThrow();
        try (Stream stop = fromRelay.newStream(RelayService.STOP)) {
            stop.out().write(new byte[] {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            stop.out().flush();
            assertThat(RelayCodec.readStop(stop.in()).getStatus()).isEqualTo(Status.MALFORMED_MESSAGE);
        }
        assertThat(stopConnect(fromRelay, peer.peerId())).isEqualTo(Status.OK);

        assertThat(toRelay.isOpen()).isTrue();
        assertThat(Reservations.reserveOnce(peer, relayAddress).relay()).isEqualTo(relay.peerId());
    }

    @Test
    void stopFromARelayWithoutOurReservationIsRefusedUnlessAnyRelayIsAccepted() throws Exception {
        Host strangerRelay = peers.host();
        Multiaddr strangerAddress = peers.relay(strangerRelay, RelayLimits.defaults(),
                RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
        Host strict = peers.clientHost();
        strict.dial(strangerAddress);
        // The dialler has the connection when dial returns; the relay's side may still be finishing its upgrade.
        await("the relay has the connection", () -> strangerRelay.connection(strict.peerId()).isPresent());
        assertThat(stopConnect(strangerRelay.connection(strict.peerId()).orElseThrow(), strangerRelay.peerId()))
                .isEqualTo(Status.PERMISSION_DENIED);
    }

    @Test
    void reservationIsRefreshedBeforeExpiryAndRemadeAfterTheRelayDropsUs() throws Exception {
        Host relay = peers.host();
        RelayLimits shortLived = new RelayLimits(10, 10, 10, Duration.ofSeconds(2), 10, 10, RelayLimits.DEFAULT_CIRCUIT);
        Multiaddr relayAddress = peers.relay(relay, shortLived, RelayPolicy.uniform(shortLived.circuit()));
        Host peer = peers.host();
        RelayTransport transport = peers.client(peer);
        AtomicInteger changes = new AtomicInteger();
        transport.reservations().onChange(changes::incrementAndGet);
        peer.listen(relayAddress.encapsulate(CIRCUIT));
        AtomicInteger addressChanges = new AtomicInteger();
        peer.onListenAddressesChanged(addressChanges::incrementAndGet);
        Instant firstExpiry = transport.reservations().reservation(relay.peerId()).orElseThrow().expiration();

        await("the reservation is refreshed", () -> transport.reservations().reservation(relay.peerId())
                .map(r -> r.expiration().isAfter(firstExpiry)).orElse(false));
        Thread.sleep(2500);
        assertThat(peers.relayService().reservationCount()).isEqualTo(1);
        assertThat(transport.reservations().relayAddresses()).containsExactly(relayAddress.encapsulate(CIRCUIT));

        relay.connection(peer.peerId()).orElseThrow().close();
        await("the peer reconnects and reserves again", () -> relay.connection(peer.peerId()).isPresent()
                && peers.relayService().reservationCount() == 1);
        await("the reservation is back", () -> transport.reservations().reservation(relay.peerId()).isPresent());
        assertThat(changes.get()).isGreaterThanOrEqualTo(3);
        assertThat(addressChanges.get()).as("the host heard its circuit addresses go and come back")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void reservationsFromOneIpBeyondThePerIpLimitAreRefused() throws Exception {
        Host relay = peers.host();
        RelayLimits onePerIp = new RelayLimits(10, 1, 10, Duration.ofHours(1), 10, 10, RelayLimits.DEFAULT_CIRCUIT);
        Multiaddr relayAddress = peers.relay(relay, onePerIp, RelayPolicy.uniform(onePerIp.circuit()));
        peers.reservingHost(relayAddress);
        assertThatThrownBy(() -> peers.reservingHost(relayAddress))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.RESERVATION_REFUSED));
        assertThat(peers.relayService().reservationCount()).isEqualTo(1);
    }
}
