package dev.parley.app.node;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.autonat.AutoNatConfig;
import dev.parley.transport.autonat.AutoNatService;
import dev.parley.transport.dcutr.DcutrConfig;
import dev.parley.transport.dcutr.DcutrService;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.KadDht;
import dev.parley.transport.kad.KadMode;
import dev.parley.transport.kad.KadOptions;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.portmap.PortMapping;
import dev.parley.transport.portmap.PortMappingConfig;
import dev.parley.transport.portmap.PortMappingService;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.ws.WebSocketTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A libp2p node as Parley runs it: the host with TCP, WebSocket and the circuit relay transport, the protocols every Parley
 * node serves (identify, ping, AutoNAT, the Kademlia DHT, DCUtR hole punching), and what its {@link NodeOptions} add. {@link #goOnline()}
 * starts looking beyond the LAN. The DHT runs as a client until AutoNAT finds us reachable; a relay serves it from
 * the start.
 */
public final class Node implements AutoCloseable {
    private final Host host;
    private final IdentifyService identify;
    private final PingService ping;
    private final AutoNatService autonat;
    /**
     * What a node gives the contacts it relays for: an hour and 64 MiB per circuit
     * ({@link RelayOwners#CONTACT_CIRCUIT}), room for a long conversation with pictures, where a public relay gives
     * strangers two minutes and 128 KiB.
     */
    private static final RelayLimits CONTACT_RELAY = new RelayLimits(32, 8, 32, Duration.ofHours(1), 64, 8,
            RelayOwners.CONTACT_CIRCUIT);

    private volatile Optional<RelayService> relayService;
    private final OwnRelays ownRelays;
    private final KadDht dht;
    private final DcutrService dcutr;
    private final Connectivity connectivity;
    private final PortMappingService portMapping;
    private final boolean mapsPorts;

    public Node(Ed25519PrivateKey identity, NodeOptions options) {
        this(HostConfig.of(identity), options);
    }

    /** A node on a host set up as {@code hostConfig} says, e.g. resolving {@code /dnsaddr} with other DNS servers. */
    public Node(HostConfig hostConfig, NodeOptions options) {
        this.host = new Host(hostConfig);
        host.addTransport(new WebSocketTransport());
        RelayTransport relayTransport = RelayTransport.install(host, false);
        this.identify = new IdentifyService(host, Version.agent());
        this.ping = new PingService(host);
        this.autonat = new AutoNatService(host, identify, AutoNatConfig.defaults());
        this.relayService = options.relayService()
                ? Optional.of(startPublicRelay(host, options.relayOwners())) : Optional.empty();
        this.ownRelays = new OwnRelays(host, options.relays());
        if (options.servePerf()) {
            PerfService.enable(host);
        }
        this.dcutr = new DcutrService(host, identify, DcutrConfig.defaults());
        this.dht = new KadDht(host, identify, options.relayService() ? KadMode.SERVER : KadMode.CLIENT,
                KadOptions.defaults());
        this.portMapping = new PortMappingService(host, PortMappingConfig.defaults());
        this.connectivity = new Connectivity(host, identify, autonat, relayTransport, dht, options,
                () -> portMapping.mappings().stream().map(PortMapping::external).toList());
        this.mapsPorts = options.reachesBeyondLoopback();
    }

    /**
     * Relays for everyone within the defaults, and for circuits between its owners and the contacts they list over
     * {@link RelayGrants#PROTOCOL_ID} within {@code owners.contactCircuit()}.
     */
    private static RelayService startPublicRelay(Host host, RelayOwners owners) {
        RelayGrants grants = new RelayGrants(owners, RelayLimits.DEFAULT_CIRCUIT);
        host.setHandler(RelayGrants.PROTOCOL_ID, grants::serve);
        return RelayService.start(host, RelayLimits.defaults(), grants);
    }

    /** Listens on each address; returns the dialable addresses, each ending in {@code /p2p/<PeerId>}. */
    public List<Multiaddr> listen(List<Multiaddr> addresses) throws IOException {
        for (Multiaddr address : addresses) {
            host.listen(address);
        }
        return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
    }

    /**
     * Starts keeping in touch with the wider network, in the background: the router is asked to forward our
     * ports, bootstrap peers and relays are dialled, AutoNAT asks whether we are reachable, and relays are
     * reserved on when we are not. Does nothing for a node without bootstrap peers or relays; port mapping, which
     * talks to the LAN's router, also waits for one beyond loopback.
     */
    public void goOnline() {
        if (mapsPorts) {
            portMapping.start();
        }
        connectivity.start();
    }

    /**
     * Returns an open connection to {@code peer}, dialling the addresses we know; when none answers, asks the DHT
     * where the peer is now (its own record, or the addresses it last published, relay addresses included) and
     * dials those.
     */
    public Connection connect(PeerId peer) throws IOException {
        try {
            return host.connect(peer);
        } catch (IOException unreachable) {
            List<Multiaddr> found = connectivity.lookUp(peer);
            List<Multiaddr> known = host.addressBook().addresses(peer);
            if (found.stream().allMatch(known::contains)) {
                throw unreachable;
            }
            host.addressBook().add(peer, found);
            return host.connect(peer);
        }
    }

    public Host host() {
        return host;
    }

    public IdentifyService identify() {
        return identify;
    }

    public PingService ping() {
        return ping;
    }

    public AutoNatService autonat() {
        return autonat;
    }

    /**
     * Relays for contacts, with the larger {@link RelayOwners#CONTACT_CIRCUIT} limit, and refuses everyone else (a node that
     * runs the public relay service keeps it: contacts are among everyone there); and takes connected contacts
     * that relay into account when it looks for relays of its own.
     */
    public void serveContactsAsRelay(Predicate<PeerId> isContact) {
        if (relayService.isEmpty()) {
            relayService = Optional.of(RelayService.start(host, CONTACT_RELAY,
                    peer -> isContact.test(peer) ? Optional.of(RelayOwners.CONTACT_CIRCUIT) : Optional.empty()));
        }
        connectivity.considerAsRelays(isContact);
    }

    /**
     * Tells the relays named with {@code --relay} our accepted contacts, now and whenever we connect to one, so that a
     * relay of our own ({@code parley relay --owner}) relays generously between them and us. {@link #contactsChanged}
     * sends a changed list.
     */
    public void grantContactsOnOwnRelays(Supplier<Set<PeerId>> acceptedContacts) {
        ownRelays.grant(acceptedContacts);
    }

    /** Our accepted contacts may have changed (accepted, blocked, removed): relays of our own hear a changed list. */
    public void contactsChanged() {
        ownRelays.update();
    }

    public KadDht dht() {
        return dht;
    }

    public DcutrService dcutr() {
        return dcutr;
    }

    @Override
    public void close() {
        connectivity.close();
        ownRelays.close();
        portMapping.close();
        dht.close();
        relayService.ifPresent(RelayService::close);
        host.close();
    }
}
