package dev.parley.transport.relay;

import static dev.parley.transport.TestProtocols.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Java relay and Java peers over real loopback sockets. */
class RelayTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private Host newHost() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        closing.add(host);
        host.setHandler(ECHO, TestProtocols::echo);
        return host;
    }

    /** A relay host listening on loopback; returns its address ending in /p2p/. */
    private Multiaddr startRelay(Host relay, RelayLimits limits, RelayPolicy policy) throws IOException {
        closing.add(RelayService.start(relay, limits, policy));
        return relay.listen(LOOPBACK).withPeerId(relay.peerId());
    }

    private RelayTransport client(Host host) {
        RelayTransport transport = RelayTransport.install(host, false);
        closing.add(transport.reservations());
        return transport;
    }

    private static byte[] echo(Connection connection, byte[] data) throws IOException {
        try (Stream stream = connection.newStream(ECHO)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    stream.out().write(data);
                    stream.out().flush();
                    stream.closeWrite();
                } catch (IOException e) {
                    stream.reset();
                }
            });
            byte[] back = stream.in().readAllBytes();
            writer.join();
            return back;
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
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

    @Test
    void peerReachedThroughItsReservationEchoesBothWaysOnRelayedConnections() throws Exception {
        Host relay = newHost();
        Multiaddr relayAddress = startRelay(relay, RelayLimits.defaults(), RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
        Host listener = newHost();
        RelayTransport listenerTransport = client(listener);
        Host dialler = newHost();
        client(dialler);

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
        byte[] data = "through the relay and back".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThat(echo(outbound, data)).isEqualTo(data);

        await("the listener sees the relayed connection", () -> listener.connection(dialler.peerId()).isPresent());
        Connection inbound = listener.connection(dialler.peerId()).orElseThrow();
        assertThat(inbound.isRelayed()).isTrue();
        assertThat(inbound.remoteAddress()).isEqualTo(circuit);
        assertThat(echo(inbound, data)).isEqualTo(data);

        outbound.close();
        await("the listener's side closes too", () -> !inbound.isOpen());
    }

    @Test
    void dataLimitCutsTheCircuit() throws Exception {
        Host relay = newHost();
        CircuitLimit small = new CircuitLimit(Duration.ofMinutes(1), 32 * 1024);
        Multiaddr relayAddress = startRelay(relay, RelayLimits.defaults().withCircuit(small), RelayPolicy.uniform(small));
        Host listener = newHost();
        client(listener);
        Host dialler = newHost();
        client(dialler);
        listener.listen(relayAddress.encapsulate(CIRCUIT));

        Connection outbound = dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId()));
        byte[] small8k = new byte[8 * 1024];
        assertThat(echo(outbound, small8k)).isEqualTo(small8k);
        byte[] large = new byte[256 * 1024];
        new Random(1).nextBytes(large);
        byte[] back;
        try {
            back = echo(outbound, large);
        } catch (IOException cut) {
            back = new byte[0];
        }
        assertThat(back.length).isLessThan(large.length);
        await("the cut circuit closes the relayed connection", () -> !outbound.isOpen());
        await("the relay counts no circuit", () -> relayService().circuitCount() == 0);
    }

    private RelayService relayService() {
        return closing.stream().filter(RelayService.class::isInstance).map(RelayService.class::cast).findFirst()
                .orElseThrow();
    }

    @Test
    void reservationsBeyondTheLimitAreRefusedAndSoAreCircuitsBeyondThePerPeerLimit() throws Exception {
        Host relay = newHost();
        RelayLimits limits = new RelayLimits(1, 8, Duration.ofHours(1), 10, 1, RelayLimits.DEFAULT_CIRCUIT);
        Multiaddr relayAddress = startRelay(relay, limits, RelayPolicy.uniform(limits.circuit()));
        Host first = newHost();
        client(first);
        first.listen(relayAddress.encapsulate(CIRCUIT));
        Host second = newHost();
        client(second);

        assertThatThrownBy(() -> second.listen(relayAddress.encapsulate(CIRCUIT)))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.RESERVATION_REFUSED));
        first.listen(relayAddress.encapsulate(CIRCUIT));
        assertThat(relayService().reservationCount()).isEqualTo(1);

        Multiaddr toFirst = relayAddress.encapsulate(CIRCUIT).withPeerId(first.peerId());
        Connection circuit = second.dial(toFirst);
        assertThat(circuit.isRelayed()).isTrue();
        Host third = newHost();
        client(third);
        assertThatThrownBy(() -> third.dial(toFirst))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.RESOURCE_LIMIT_EXCEEDED));
    }

    @Test
    void connectToAPeerWithoutReservationGetsNoReservation() throws Exception {
        Host relay = newHost();
        Multiaddr relayAddress = startRelay(relay, RelayLimits.defaults(), RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
        Host unreserved = newHost();
        unreserved.dial(relayAddress);
        Host dialler = newHost();
        client(dialler);
        assertThatThrownBy(() -> dialler.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(unreserved.peerId())))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.NO_RESERVATION));
    }

    @Test
    void policyGivesContactsTheirOwnLimitAndRefusesStrangers() throws Exception {
        Host relay = newHost();
        Host contact = newHost();
        RelayTransport contactTransport = client(contact);
        CircuitLimit generous = new CircuitLimit(Duration.ofHours(1), 64L << 20);
        RelayPolicy policy = peer -> peer.equals(contact.peerId()) ? Optional.of(generous) : Optional.empty();
        Multiaddr relayAddress = startRelay(relay, RelayLimits.defaults(), policy);

        contact.listen(relayAddress.encapsulate(CIRCUIT));
        assertThat(contactTransport.reservations().reservation(relay.peerId()).orElseThrow().limit())
                .isEqualTo(generous);
        Host stranger = newHost();
        client(stranger);
        assertThatThrownBy(() -> stranger.listen(relayAddress.encapsulate(CIRCUIT)))
                .isInstanceOfSatisfying(RelayRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(Status.PERMISSION_DENIED));

        Connection toContact = stranger.dial(relayAddress.encapsulate(CIRCUIT).withPeerId(contact.peerId()));
        byte[] beyondTheDefault = new byte[300 * 1024];
        assertThat(echo(toContact, beyondTheDefault)).isEqualTo(beyondTheDefault);
    }

    @Test
    void hostileHopAndStopInputClosesOnlyThatStream() throws Exception {
        Host relay = newHost();
        Multiaddr relayAddress = startRelay(relay, RelayLimits.defaults(), RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
        Host peer = newHost();
        client(peer);
        peer.listen(relayAddress.encapsulate(CIRCUIT));
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
        Connection fromRelay = relay.connection(peer.peerId()).orElseThrow();
        try (Stream stop = fromRelay.newStream(RelayService.STOP)) {
            stop.out().write(new byte[] {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            stop.out().flush();
            assertThat(RelayCodec.readStop(stop.in()).getStatus()).isEqualTo(Status.MALFORMED_MESSAGE);
        }
        try (Stream stop = fromRelay.newStream(RelayService.STOP)) {
            RelayCodec.write(StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
                    .setPeer(RelayCodec.peer(peer.peerId())).build(), stop.out());
            assertThat(RelayCodec.readStop(stop.in()).getStatus()).isEqualTo(Status.OK);
        }

        assertThat(toRelay.isOpen()).isTrue();
        assertThat(Reservations.reserveOnce(peer, relayAddress).relay()).isEqualTo(relay.peerId());
    }

    @Test
    void stopFromARelayWithoutOurReservationIsRefusedUnlessAnyRelayIsAccepted() throws Exception {
        Host strangerRelay = newHost();
        Multiaddr strangerAddress = startRelay(strangerRelay, RelayLimits.defaults(),
                RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
        Host strict = newHost();
        client(strict);
        strict.dial(strangerAddress);
        try (Stream stop = strangerRelay.connection(strict.peerId()).orElseThrow().newStream(RelayService.STOP)) {
            RelayCodec.write(StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
                    .setPeer(RelayCodec.peer(strangerRelay.peerId())).build(), stop.out());
            assertThat(RelayCodec.readStop(stop.in()).getStatus()).isEqualTo(Status.PERMISSION_DENIED);
        }
    }

    @Test
    void reservationIsRefreshedBeforeExpiryAndRemadeAfterTheRelayDropsUs() throws Exception {
        Host relay = newHost();
        RelayLimits shortLived = new RelayLimits(10, 10, Duration.ofSeconds(2), 10, 10, RelayLimits.DEFAULT_CIRCUIT);
        Multiaddr relayAddress = startRelay(relay, shortLived, RelayPolicy.uniform(shortLived.circuit()));
        Host peer = newHost();
        RelayTransport transport = client(peer);
        AtomicInteger changes = new AtomicInteger();
        transport.reservations().onChange(changes::incrementAndGet);
        peer.listen(relayAddress.encapsulate(CIRCUIT));
        Instant firstExpiry = transport.reservations().reservation(relay.peerId()).orElseThrow().expiration();

        await("the reservation is refreshed", () -> transport.reservations().reservation(relay.peerId())
                .map(r -> r.expiration().isAfter(firstExpiry)).orElse(false));
        Thread.sleep(2500);
        assertThat(relayService().reservationCount()).isEqualTo(1);
        assertThat(transport.reservations().relayAddresses()).containsExactly(relayAddress.encapsulate(CIRCUIT));

        relay.connection(peer.peerId()).orElseThrow().close();
        await("the peer reconnects and reserves again", () -> relay.connection(peer.peerId()).isPresent()
                && relayService().reservationCount() == 1);
        await("the reservation is back", () -> transport.reservations().reservation(relay.peerId()).isPresent());
        assertThat(changes.get()).isGreaterThanOrEqualTo(3);
    }
}
