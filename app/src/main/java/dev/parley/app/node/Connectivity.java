package dev.parley.app.node;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.autonat.AutoNatService;
import dev.parley.transport.autonat.Reachability;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.KadDht;
import dev.parley.transport.kad.KadMode;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node in touch with the network beyond its LAN (app/README.md, "Across the internet"), checking in at start and then every half
 * minute: bootstrap peers and relays are dialled if not connected, and the DHT is joined through the bootstrap
 * peers; the relays named with {@code --relay} are always reserved on; AutoNAT asks connected servers whether we
 * are reachable; while we are not known to be, bootstrap peers and connected contacts that offer the relay hop
 * protocol are reserved on too, so that others can reach us through them; once we are, the address AutoNAT confirmed is advertised and the
 * DHT is served. Whenever our addresses change, relay addresses included, they are published in the DHT under
 * {@link KadDht#peerKey}, where contacts look them up.
 */
final class Connectivity implements AutoCloseable {
    /** Check-ins soon after start, while connections and identify answers arrive, then at the steady pace. */
    private static final List<Duration> FIRST_CHECK_INS = List.of(Duration.ZERO, Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final Duration CHECK_IN_INTERVAL = Duration.ofSeconds(30);
    /** A verdict is asked for again this often, since NATs and networks change under a running node. */
    private static final Duration REPROBE_INTERVAL = Duration.ofMinutes(10);
    /** Relays reserved on of our own accord; the user's own {@code --relay} choices come on top. */
    private static final int MAX_CHOSEN_RELAYS = 2;
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    /** Provider records live 48 hours on DHT servers; we publish well before that, and at once on a change. */
    private static final Duration REPUBLISH_INTERVAL = Duration.ofHours(12);
    /** Providers asked for in a lookup: a peer publishes one record, but stale copies may linger. */
    private static final int MAX_PROVIDERS = 3;
    private static final Logger log = LoggerFactory.getLogger(Connectivity.class);

    private final Host host;
    private final IdentifyService identify;
    private final AutoNatService autonat;
    private final RelayTransport relays;
    private final KadDht dht;
    private final NodeOptions options;
    private final ScheduledExecutorService checkIns = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("connectivity").factory());
    private Instant lastProbe = Instant.MIN;
    private final Supplier<List<Multiaddr>> mappedAddresses;
    /** What the router forwarded when we last asked for a verdict: a "private" from before a mapping is stale. */
    private List<Multiaddr> mappedAtLastProbe = List.of();
    private volatile Predicate<PeerId> contacts = peer -> false;
    private Optional<Multiaddr> advertisedPublic = Optional.empty();
    private List<Multiaddr> published = List.of();
    private Instant publishedAt = Instant.MIN;

    /**
     * @param mappedAddresses the public addresses a router forwards to us now (port mapping): when they change, the
     *                        verdict is asked for again at the next check-in, not after {@link #REPROBE_INTERVAL}
     */
    Connectivity(Host host, IdentifyService identify, AutoNatService autonat, RelayTransport relays, KadDht dht,
                 NodeOptions options, Supplier<List<Multiaddr>> mappedAddresses) {
        this.host = host;
        this.identify = identify;
        this.autonat = autonat;
        this.relays = relays;
        this.dht = dht;
        this.options = options;
        this.mappedAddresses = mappedAddresses;
    }

    /** Lets connected contacts that relay be chosen as relays, besides bootstrap peers. */
    void considerAsRelays(Predicate<PeerId> isContact) {
        contacts = isContact;
    }

    /**
     * Where the DHT says {@code peer} is: its own entry if it serves the DHT, and the addresses it published.
     * Empty when the DHT knows nothing or we have not joined it.
     */
    List<Multiaddr> lookUp(PeerId peer) {
        Set<Multiaddr> found = new LinkedHashSet<>();
        try {
            dht.findPeer(peer).ifPresent(lookup -> found.addAll(lookup.addresses()));
            dht.findProviders(KadDht.peerKey(peer), MAX_PROVIDERS).providers().stream()
                    .filter(record -> record.peer().equals(peer))
                    .forEach(record -> found.addAll(record.addresses()));
        } catch (IOException e) {
            log.debug("DHT lookup of {} failed: {}", peer, e.getMessage());
        }
        return found.stream().map(Multiaddr::withoutPeerId).toList();
    }

    void start() {
        if (!options.reachesOut()) {
            return;
        }
        schedule(0);
    }

    private void schedule(int round) {
        Duration delay = round < FIRST_CHECK_INS.size() ? FIRST_CHECK_INS.get(round) : CHECK_IN_INTERVAL;
        try {
            checkIns.schedule(() -> {
                checkInQuietly();
                schedule(round + 1);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            log.debug("connectivity closed; no more check-ins");
        }
    }

    private void checkInQuietly() {
        try {
            checkIn();
        } catch (RuntimeException e) {
            log.warn("checking in with the network failed: {}", e.toString());
        }
    }

    private void checkIn() {
        List<Multiaddr> wellKnown = new ArrayList<>(options.bootstrap());
        wellKnown.addAll(options.relays());
        for (Multiaddr address : wellKnown) {
            Optional<PeerId> peer = address.peerId();
            if (host.canDial(address) && (peer.isEmpty() || host.connection(peer.get()).isEmpty())) {
                tryTo("dial " + address, () -> host.dial(address));
            }
        }
        options.relays().forEach(this::keepReservation);
        if (dht.routingTableSize() == 0 && !options.bootstrap().isEmpty()) {
            tryTo("join the DHT", () -> dht.bootstrap(options.bootstrap().stream().filter(host::canDial).toList()));
        }

        List<PeerId> servers = autonat.connectedServers();
        List<Multiaddr> mapped = mappedAddresses.get();
        boolean due = autonat.reachability() == Reachability.UNKNOWN
                || Instant.now().isAfter(lastProbe.plus(REPROBE_INTERVAL)) || !mapped.equals(mappedAtLastProbe);
        if (!servers.isEmpty() && due) {
            lastProbe = Instant.now();
            mappedAtLastProbe = mapped;
            autonat.probe(servers);
        }

        if (autonat.reachability() == Reachability.PUBLIC) {
            advertise(autonat.publicAddress());
            dht.setMode(KadMode.SERVER);
        } else {
            advertise(Optional.empty());
            if (!options.relayService()) {
                dht.setMode(KadMode.CLIENT);
            }
            reserveOnChosenRelays();
        }
        publishAddresses();
    }

    /** Publishes our addresses in the DHT when they changed since last time, or when the record grows old. */
    private void publishAddresses() {
        List<Multiaddr> now = host.listenAddresses();
        boolean stale = Instant.now().isAfter(publishedAt.plus(REPUBLISH_INTERVAL));
        if (dht.routingTableSize() == 0 || now.isEmpty() || (now.equals(published) && !stale)) {
            return;
        }
        if (tryTo("publish our addresses in the DHT", () -> dht.provide(KadDht.peerKey(host.peerId())))) {
            published = now;
            publishedAt = Instant.now();
        }
    }

    /**
     * Reserves on relays of our own choosing while we hold too few: bootstrap peers that offer the hop protocol,
     * then connected contacts that do and have a public address.
     */
    private void reserveOnChosenRelays() {
        List<Multiaddr> candidates = new ArrayList<>(options.bootstrap().stream()
                .filter(address -> address.peerId().filter(this::offersHop).isPresent()).toList());
        for (Connection connection : host.connections()) {
            PeerId peer = connection.remotePeer();
            if (!connection.isRelayed() && contacts.test(peer) && offersHop(peer)) {
                identify.info(peer).flatMap(info -> info.listenAddresses().stream()
                        .filter(address -> address.isTcp() && !address.isPrivate()).findFirst())
                        .ifPresent(address -> candidates.add(address.withPeerId(peer)));
            }
        }
        int held = (int) candidates.stream().filter(this::reservedOn).count();
        for (Multiaddr candidate : candidates) {
            if (held >= MAX_CHOSEN_RELAYS) {
                return;
            }
            if (!reservedOn(candidate) && keepReservation(candidate)) {
                held++;
            }
        }
    }

    private boolean offersHop(PeerId peer) {
        return identify.info(peer).map(IdentifyInfo::protocols)
                .filter(protocols -> protocols.contains(RelayService.HOP)).isPresent();
    }

    private boolean reservedOn(Multiaddr relay) {
        return relay.peerId().flatMap(id -> relays.reservations().reservation(id)).isPresent();
    }

    /** Makes sure we hold a reservation on {@code relay}; the relay transport refreshes it from then on. */
    private boolean keepReservation(Multiaddr relay) {
        if (reservedOn(relay) || relay.valueOf(Protocol.P2P).isEmpty()) {
            return reservedOn(relay);
        }
        return tryTo("reserve on " + relay, () -> host.listen(relay.encapsulate(CIRCUIT)));
    }

    /** Advertises the public address AutoNAT confirmed, withdrawing the one advertised before if it changed. */
    private void advertise(Optional<Multiaddr> confirmed) {
        if (confirmed.equals(advertisedPublic)) {
            return;
        }
        advertisedPublic.ifPresent(host::removeExternalAddress);
        confirmed.filter(address -> !host.listenAddresses().contains(address)).ifPresent(host::addExternalAddress);
        advertisedPublic = confirmed;
    }

    private interface NetworkStep {
        void run() throws IOException;
    }

    private static boolean tryTo(String what, NetworkStep step) {
        try {
            step.run();
            return true;
        } catch (IOException e) {
            log.debug("could not {}: {}", what, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        checkIns.shutdownNow();
    }
}
