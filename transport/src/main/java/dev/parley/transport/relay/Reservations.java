package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our reservations on relays: each is made, refreshed before it expires, and made again after the
 * connection to its relay drops (the relay forgets a reservation when its peer disconnects). Their circuit
 * addresses are what others dial to reach us through the relays.
 */
public final class Reservations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reservations.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);
    /** Who keeps a relay we hold a reservation on in the address book. */
    private static final String RELAY_IN_USE = "relay reservation";
    /** The component that turns a relay's address into a circuit address through it. */
    static final Multiaddr CIRCUIT = Multiaddr.of(new Component(Protocol.P2P_CIRCUIT, new byte[0]));

    private final Host host;
    private final Map<PeerId, Keeper> keepers = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * A reservation granted by a relay.
     *
     * @param relayAddresses the relay's addresses, each ending in {@code /p2p/<relay>}
     * @param limit          what each circuit to us may use
     * @param voucher        the relay's signed voucher, if it sent a valid one
     */
    public record Reservation(PeerId relay, Instant expiration, List<Multiaddr> relayAddresses, CircuitLimit limit,
                              Optional<Voucher> voucher) {
        /** The addresses to advertise: {@code <relay address>/p2p/<relay>/p2p-circuit}. */
        public List<Multiaddr> circuitAddresses() {
            return relayAddresses.stream().map(a -> a.encapsulate(CIRCUIT)).toList();
        }
    }

    Reservations(Host host) {
        this.host = host;
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed(Connection connection) {
                Keeper keeper = keepers.get(connection.remotePeer());
                if (keeper != null) {
                    keeper.wake.release();
                }
            }
        });
    }

    /**
     * Reserves on the relay at {@code relayAddress} (ending in {@code /p2p/<relay>}, or just that) and keeps
     * the reservation until {@link #cancel}.
     */
    public Reservation reserve(Multiaddr relayAddress) throws IOException {
        PeerId relay = relayAddress.peerId().orElseThrow(
                () -> new IllegalArgumentException("relay address " + relayAddress + " does not end in /p2p/<relay>"));
        Reservation first = reserveOnce(host, relayAddress);
        Keeper keeper = new Keeper(relayAddress, relay, first);
        // A relay we are reachable through is not forgotten while it is away: the keeper redials it.
        host.addressBook().keep(relay, RELAY_IN_USE);
        Keeper replaced = keepers.put(relay, keeper);
        if (replaced != null) {
            replaced.stop();
        }
        keeper.thread = Thread.ofVirtual().name("relay-reservation " + relay).start(keeper::run);
        changed();
        return first;
    }

    public void cancel(PeerId relay) {
        Keeper keeper = keepers.remove(relay);
        if (keeper != null) {
            host.addressBook().release(relay, RELAY_IN_USE);
            keeper.stop();
            changed();
        }
    }

    /** The current, unexpired reservation on {@code relay}. */
    public Optional<Reservation> reservation(PeerId relay) {
        return Optional.ofNullable(keepers.get(relay)).flatMap(Keeper::valid);
    }

    /** The circuit addresses of all current reservations. */
    public List<Multiaddr> relayAddresses() {
        List<Multiaddr> all = new ArrayList<>();
        for (Keeper keeper : keepers.values()) {
            keeper.valid().ifPresent(r -> all.addAll(r.circuitAddresses()));
        }
        return all;
    }

    /** Hears changes to {@link #relayAddresses()}; called on a reservation's own thread. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void close() {
        keepers.keySet().forEach(this::cancel);
    }

    static Reservation reserveOnce(Host host, Multiaddr relayAddress) throws IOException {
        Connection toRelay = RelayTransport.connectToRelay(host, relayAddress);
        PeerId relay = toRelay.remotePeer();
        HopMessage answer;
        Stream hop = toRelay.newStream(RelayService.HOP);
        try {
            RelayCodec.write(HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build(), hop.out());
            hop.setReadDeadline(host.config().limits().deadlines().relay());
            answer = RelayCodec.readHop(hop.in(), hop.memory());
        } catch (IOException | RuntimeException e) {
            // Reset rather than close: closing would leave the stream open until a silent relay closes its end.
            hop.reset();
            throw e;
        }
        hop.close();
        if (answer.getType() != HopMessage.Type.STATUS) {
            throw new RelayProtocolException("relay " + relay + " answered RESERVE with " + answer.getType());
        }
        if (answer.getStatus() != Status.OK) {
            throw new RelayRefusedException("RESERVE on " + relay, answer.getStatus());
        }
        if (!answer.hasReservation()) {
            throw new RelayProtocolException("relay " + relay + " said OK to RESERVE without a reservation");
        }
        List<Multiaddr> addresses = new ArrayList<>();
        for (ByteString bytes : answer.getReservation().getAddrsList()) {
            try {
                Multiaddr address = Multiaddr.fromBytes(bytes.toByteArray());
                if (!address.isCircuit()) {
                    addresses.add(address.withPeerId(relay));
                }
            } catch (IllegalArgumentException e) {
                log.debug("skipping an address of relay {}: {}", relay, e.getMessage());
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(toRelay.remoteAddress().withPeerId(relay));
        }
        return new Reservation(relay, Instant.ofEpochSecond(answer.getReservation().getExpire()),
                List.copyOf(addresses),
                RelayCodec.limit(answer),
                voucher(answer, relay, host.peerId()));
    }

    /** Vouchers are advisory (the spec), so a bad one is logged and dropped rather than failing the reservation. */
    private static Optional<Voucher> voucher(HopMessage answer, PeerId relay, PeerId us) {
        if (!answer.getReservation().hasVoucher()) {
            return Optional.empty();
        }
        try {
            Voucher voucher = Voucher.open(answer.getReservation().getVoucher().toByteArray());
            if (voucher.relay().equals(relay) && voucher.peer().equals(us)) {
                return Optional.of(voucher);
            }
            log.debug("relay {} sent a voucher for {} at {}", relay, voucher.peer(), voucher.relay());
        } catch (RelayProtocolException e) {
            log.debug("relay {} sent a bad voucher: {}", relay, e.getMessage());
        }
        return Optional.empty();
    }

    /** Keeps one reservation alive on its own virtual thread. */
    private final class Keeper {
        private final Multiaddr relayAddress;
        private final PeerId relay;
        private final Semaphore wake = new Semaphore(0);
        private volatile Reservation current;
        private volatile boolean stopped;
        private volatile Thread thread;

        Keeper(Multiaddr relayAddress, PeerId relay, Reservation first) {
            this.relayAddress = relayAddress;
            this.relay = relay;
            this.current = first;
        }

        Optional<Reservation> valid() {
            Reservation reservation = current;
            return reservation != null && reservation.expiration().isAfter(Instant.now())
                    ? Optional.of(reservation) : Optional.empty();
        }

        void run() {
            Duration retry = FIRST_RETRY;
            boolean lastFailed = false;
            while (!stopped) {
                Duration wait = lastFailed || current == null ? retry : refreshDelay(current);
                boolean disconnected;
                try {
                    disconnected = wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
                if (disconnected) {
                    wake.drainPermits();
                    if (host.connection(relay).filter(c -> !c.isRelayed()).isPresent()) {
                        continue;
                    }
                    replace(null);
                }
                try {
                    replace(reserveOnce(host, relayAddress));
                    lastFailed = false;
                    retry = FIRST_RETRY;
                } catch (IOException e) {
                    log.debug("refreshing the reservation on {} failed: {}", relay, e.getMessage());
                    if (valid().isEmpty()) {
                        replace(null);
                    }
                    lastFailed = true;
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                }
            }
        }

        private void replace(Reservation next) {
            List<Multiaddr> before = current == null ? List.of() : current.circuitAddresses();
            current = next;
            if (!stopped && !before.equals(next == null ? List.of() : next.circuitAddresses())) {
                changed();
            }
        }

        /** Three quarters of the remaining time: room for a few retries before the relay forgets us. */
        private static Duration refreshDelay(Reservation reservation) {
            Duration remaining = Duration.between(Instant.now(), reservation.expiration());
            return remaining.isNegative() ? Duration.ZERO : remaining.multipliedBy(3).dividedBy(4);
        }

        void stop() {
            stopped = true;
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }
    }
}
