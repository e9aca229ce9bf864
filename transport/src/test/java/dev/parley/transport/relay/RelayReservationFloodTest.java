package dev.parley.transport.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.AddressShare;
import dev.parley.transport.Direction;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.InboundLimits;
import dev.parley.transport.PeerStateLimits;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can cost a relay by reserving under ever new ids: no more than the reservation limits. 200
 * fresh PeerIds reserve from one loopback address and 200 from a hundred others in the same /24; the relay grants
 * 8 to the first address and 32 to the subnet, an honest peer from another subnet still reserves and is served
 * throughout, and once the flood leaves the relay holds what it held before (transport/README.md).
 */
class RelayReservationFloodTest {
    private static final int FROM_ONE_ADDRESS = 200;
    private static final int FROM_THE_SUBNET = 200;
    private static final Duration GRACE = Duration.ofMillis(300);

    private final List<Host> hosts = Collections.synchronizedList(new ArrayList<>());
    private final Map<PeerId, CompletableFuture<Void>> forgotten = new ConcurrentHashMap<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    @Test
    void aFloodOfFreshIdsGetsNoMoreThanThePerAddressAndPerSubnetLimitsAndAnHonestPeerStillReserves()
            throws Exception {
        // The connection limits per address would refuse most of the flood at accept (attack/FreshPeerIdFloodTest);
        // here they are opened wide so that the relay's own limits per address and subnet meet all 400.
        ResourceLimits wideOpen = ResourceLimits.defaults().withInbound(InboundLimits.defaults()
                .withLoopback(new AddressShare(64, 64, 1024, 1024)));
        Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(wideOpen)
                .withPeerState(PeerStateLimits.defaults().withGrace(GRACE)));
        hosts.add(relay);
        new PingService(relay);
        RelayLimits limits = RelayLimits.defaults();
        RelayService service = RelayService.start(relay, limits);
        relay.addressBook().onForgotten(peer -> forgotten(peer).complete(null));
        Multiaddr relayAddress = relay.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(relay.peerId());
        int bookBefore = relay.addressBook().size();

        Host early = reserverFrom("127.0.3.1", relayAddress);
        PingService earlyPing = new PingService(early);
        assertThat(reserve(early, relayAddress)).isEqualTo(Status.OK);

        List<Host> flood = Collections.synchronizedList(new ArrayList<>());
        List<Status> fromOne = reserveAll(FROM_ONE_ADDRESS, i -> "127.0.0.1", relayAddress, flood);
        assertThat(earlyPing.ping(early.connection(relay.peerId()).orElseThrow())).isPositive();
        List<Status> fromSubnet = reserveAll(FROM_THE_SUBNET, i -> "127.0.0." + (2 + i / 2), relayAddress, flood);

        assertThat(fromOne).filteredOn(Status.OK::equals).hasSize(limits.maxReservationsPerIp());
        assertThat(fromOne.size() + fromSubnet.size()).isEqualTo(FROM_ONE_ADDRESS + FROM_THE_SUBNET);
        assertThat(fromSubnet).filteredOn(Status.OK::equals)
                .hasSize(limits.maxReservationsPerSubnet() - limits.maxReservationsPerIp());
        assertThat(fromSubnet).filteredOn(status -> status != Status.OK).containsOnly(Status.RESERVATION_REFUSED);
        assertThat(service.reservationCount()).isEqualTo(1 + limits.maxReservationsPerSubnet());

        Host honest = reserverFrom("127.0.1.1", relayAddress);
        assertThat(reserve(honest, relayAddress)).isEqualTo(Status.OK);
        assertThat(earlyPing.ping(early.connection(relay.peerId()).orElseThrow())).isPositive();

        for (Host stranger : flood) {
            stranger.close();
        }
        for (Host stranger : flood) {
            forgotten(stranger.peerId()).get(60, TimeUnit.SECONDS);
        }
        assertThat(service.reservationCount()).isEqualTo(2);
        assertThat(service.circuitCount()).isZero();
        assertThat(relay.addressBook().size()).isEqualTo(bookBefore + 2);
        assertThat(reserve(reserverFrom("127.0.0.1", relayAddress), relayAddress)).isEqualTo(Status.OK);
    }

    private CompletableFuture<Void> forgotten(PeerId peer) {
        return forgotten.computeIfAbsent(peer, p -> new CompletableFuture<>());
    }

    @FunctionalInterface
    private interface AddressOf {
        String of(int stranger);
    }

    /** Has {@code count} fresh ids connect from the addresses given and reserve, 16 at a time; they stay connected. */
    private List<Status> reserveAll(int count, AddressOf from, Multiaddr relayAddress, List<Host> flood)
            throws Exception {
        List<Future<Status>> results = new ArrayList<>();
        Semaphore slots = new Semaphore(16);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String address = from.of(i);
                slots.acquire();
                results.add(threads.submit(() -> {
                    try {
                        Host stranger = reserverFrom(address, relayAddress);
                        flood.add(stranger);
                        return reserve(stranger, relayAddress);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<Status> statuses = new ArrayList<>();
        for (Future<Status> result : results) {
            statuses.add(result.get());
        }
        return statuses;
    }

    /** A host with a fresh id connected to the relay from {@code localIp}, a loopback address. */
    private Host reserverFrom(String localIp, Multiaddr relayAddress) throws IOException {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        hosts.add(host);
        host.upgrade(new TcpTransport().dialFrom(new InetSocketAddress(localIp, 0), relayAddress.withoutPeerId(),
                Duration.ofSeconds(10)), Direction.OUTBOUND, relayAddress.peerId().orElseThrow());
        return host;
    }

    private static Status reserve(Host host, Multiaddr relayAddress) throws IOException {
        try {
            Reservations.reserveOnce(host, relayAddress);
            return Status.OK;
        } catch (RelayRefusedException e) {
            return e.status();
        }
    }
}
