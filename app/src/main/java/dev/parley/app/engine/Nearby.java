package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.crypto.ContactCard;
import dev.parley.store.ContactState;
import dev.parley.transport.Host;
import dev.parley.transport.mdns.DiscoveryEvent;
import dev.parley.transport.mdns.MdnsConfig;
import dev.parley.transport.mdns.MdnsDiscovery;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parley peers close by ({@code engine.nearby()}), as discovery reports them: the engine fetches each one's card
 * and reports it to subscribers ({@link EngineEvent.Nearby}, {@link EngineEvent.NearbyGone}); the user may add one
 * as a contact. Discovery plugs in through {@link #found} and {@link #gone}; {@link #startLanDiscovery} feeds them
 * from mDNS.
 */
public final class Nearby {
    private static final Logger log = LoggerFactory.getLogger(Nearby.class);

    private final PeerId me;
    private final Host host;
    private final ContactBook contacts;
    private final ContactAddresses contactAddresses;
    private final PeerLinks links;
    private final ConnectionWatcher connections;
    private final EventDispatcher events;
    private final EngineThreads threads;
    private final Map<PeerId, NearbyEntry> nearby = new ConcurrentHashMap<>();
    private final Set<PeerId> lookups = ConcurrentHashMap.newKeySet();
    private volatile MdnsDiscovery lanDiscovery;

    private record NearbyEntry(NearbyPeer peer, ContactCard card) {
    }

    Nearby(PeerId me, Host host, ContactBook contacts, ContactAddresses contactAddresses, PeerLinks links,
           ConnectionWatcher connections, EventDispatcher events, EngineThreads threads) {
        this.me = me;
        this.host = host;
        this.contacts = contacts;
        this.contactAddresses = contactAddresses;
        this.links = links;
        this.connections = connections;
        this.events = events;
        this.threads = threads;
    }

    /**
     * Discovery found {@code peer} close by at {@code addresses}: the engine fetches its card and reports it
     * with a {@link EngineEvent.Nearby} event.
     */
    public void found(PeerId peer, List<Multiaddr> addresses) {
        if (threads.isClosing() || peer.equals(me)) {
            return;
        }
        host.addressBook().add(peer, addresses);
        if (contacts.get(peer).isPresent()) {
            contactAddresses.remember(peer, addresses);
        }
        if (!lookups.add(peer)) {
            return;
        }
        threads.start("nearby-lookup " + peer, () -> {
            try {
                ContactCard found = ProfileProtocol.fetch(host.connect(peer));
                NearbyPeer seen = new NearbyPeer(peer, found.displayName(), host.addressBook().addresses(peer));
                NearbyEntry before = nearby.put(peer, new NearbyEntry(seen, found));
                if (before == null || !before.peer().equals(seen)) {
                    events.publish(new EngineEvent.Nearby(seen));
                }
            } catch (IOException e) {
                log.debug("nearby peer {} did not give its card: {}", peer, e.getMessage());
            } finally {
                lookups.remove(peer);
            }
        });
    }

    /** Discovery lost sight of {@code peer}. */
    public void gone(PeerId peer) {
        if (nearby.remove(peer) != null) {
            events.publish(new EngineEvent.NearbyGone(peer));
        }
    }

    /** Whether LAN discovery was started. Off, no peer shows up nearby by itself. */
    public boolean lanDiscoveryRunning() {
        return lanDiscovery != null;
    }

    /**
     * Announces this node on the LAN with mDNS and looks for peers there: a peer found becomes a
     * {@link EngineEvent.Nearby} once it has given its card, a peer lost a {@link EngineEvent.NearbyGone}. Separate
     * from {@link Engine#start} because mDNS multicasts on real interfaces: only the app and tests inside their own
     * network namespaces turn it on.
     *
     * @throws IOException when no interface can join the mDNS group
     */
    public void startLanDiscovery(MdnsConfig config) throws IOException {
        MdnsDiscovery discovery = new MdnsDiscovery(host, config);
        discovery.addListener(event -> {
            switch (event) {
                case DiscoveryEvent.PeerFound found -> found(found.peer(), found.addresses());
                case DiscoveryEvent.PeerLost lost -> gone(lost.peer());
            }
        });
        discovery.start();
        lanDiscovery = discovery;
        if (threads.isClosing()) {
            discovery.close();
        }
    }

    /** The Parley peers close by, by name. */
    public List<NearbyPeer> peers() {
        return nearby.values().stream().map(NearbyEntry::peer)
                .sorted(Comparator.comparing(NearbyPeer::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    /** Adds a nearby peer as an accepted contact, with the card it gave. */
    public ContactInfo add(PeerId peer) throws EngineException {
        NearbyEntry entry = nearby.get(peer);
        if (entry == null) {
            throw new EngineException(peer + " is not among the peers nearby");
        }
        Known added = StoreTypes.guarded("adding " + entry.peer().name() + " as a contact", () -> {
            Known stored = contacts.put(entry.card(), ContactState.ACCEPTED);
            contactAddresses.remember(peer, entry.peer().addresses());
            return stored;
        });
        links.link(peer).requestConnection();
        return connections.contactChanged(added);
    }

    /** Stops LAN discovery, if it was started; the engine does as it closes. */
    void close() {
        MdnsDiscovery discovery = lanDiscovery;
        if (discovery != null) {
            discovery.close();
        }
    }
}
