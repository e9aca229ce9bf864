package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.node.Node;
import dev.parley.crypto.ContactCard;
import dev.parley.store.ContactState;
import dev.parley.store.StoreException;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the node's connections for the contacts: presence and last-seen times, how each contact is connected, the
 * newer card a contact gives when it connects, and the addresses it says it listens on. It also says how a contact
 * looks to subscribers now ({@link #describe}), since whether it is online is known here.
 */
final class ConnectionWatcher {
    private static final Logger log = LoggerFactory.getLogger(ConnectionWatcher.class);
    private static final String KEPT_AS_CONTACT = "contact";

    private final Host host;
    private final Node node;
    private final ContactBook contacts;
    private final ContactAddresses contactAddresses;
    private final Inbox inbox;
    private final RoomService rooms;
    private final PeerLinks links;
    private final EventDispatcher events;
    private final EngineThreads threads;
    /** The peers with a connection open; changed only under {@link #presence}, which keeps changes in order. */
    private final Set<PeerId> online = ConcurrentHashMap.newKeySet();
    private final ReentrantLock presence = new ReentrantLock();
    /** The remote address of each contact's connection as last reported; the lock keeps reports in order. */
    private final Map<PeerId, Multiaddr> reportedPaths = new ConcurrentHashMap<>();
    private final ReentrantLock pathReports = new ReentrantLock();

    ConnectionWatcher(Host host, Node node, ContactBook contacts, ContactAddresses contactAddresses, Inbox inbox,
                      RoomService rooms, PeerLinks links, EventDispatcher events, EngineThreads threads) {
        this.host = host;
        this.node = node;
        this.contacts = contacts;
        this.contactAddresses = contactAddresses;
        this.inbox = inbox;
        this.rooms = rooms;
        this.links = links;
        this.events = events;
        this.threads = threads;
    }

    /** A connection opened: presence, last-seen time, path, card and outbox flush follow. */
    void opened(Connection connection) {
        connectionsChanged(connection, true);
    }

    /** A connection closed: presence, last-seen time and path follow. */
    void closed(Connection connection) {
        connectionsChanged(connection, false);
    }

    private void connectionsChanged(Connection connection, boolean opened) {
        PeerId peer = connection.remotePeer();
        boolean nowOnline;
        boolean changed;
        presence.lock();
        try {
            nowOnline = host.connection(peer).isPresent();
            changed = nowOnline ? online.add(peer) : online.remove(peer);
        } finally {
            presence.unlock();
        }
        Optional<Known> contact = contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED);
        if (opened) {
            links.existing(peer).ifPresent(PeerLink::connectionOpened);
            rooms.connected(peer);
        }
        if (contact.isEmpty() || threads.isClosing()) {
            return;
        }
        if (changed) {
            events.publish(new EngineEvent.Presence(peer, nowOnline));
            threads.start("contact-seen " + peer, () -> contacts.seen(peer));
        }
        threads.start("contact-path " + peer, () -> reportPath(peer));
        if (opened) {
            if (contact.get().card() != null) {
                threads.start("contact-card " + peer, () -> refreshCard(connection));
            }
        }
    }

    /**
     * Our engine is closing: the contacts connected until now were last seen now, which the store keeps for the next
     * start (their connections' closing is not followed any more, and the time they connected is stale).
     */
    void closing() {
        for (PeerId peer : online) {
            if (contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED).isPresent()) {
                try {
                    contacts.seen(peer);
                } catch (StoreException e) {
                    log.warn("could not keep when {} was last seen: {}", peer, e.getMessage());
                }
            }
        }
    }

    /**
     * A peer said where it listens (identify, on every connection and when its addresses change). A contact's own
     * addresses are remembered, and the hints others gave for it that it did not confirm are dropped, from the
     * store and from the address book, so that they are neither dialled nor handed on any more. Only the contact's
     * word counts, not that a dial to an address reached it: a made-up address may forward to the contact's real
     * one, and whoever runs it would see every connection we make to the contact.
     */
    void identified(IdentifyInfo info) {
        PeerId peer = info.peer();
        if (threads.isClosing()) {
            return;
        }
        rooms.identified(peer, info.listenAddresses());
        if (contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED).isEmpty()) {
            return;
        }
        host.addressBook().remove(peer, contactAddresses.told(peer, info.listenAddresses()));
    }

    /**
     * How we are connected to {@code peer} now, with a fresh round-trip time (one ping, so this blocks for up to
     * a round trip or the ping's timeout). Empty when not connected.
     */
    Optional<ConnectionInfo> connection(PeerId peer) {
        Optional<Connection> open = host.connection(peer);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Multiaddr remote = open.get().remoteAddress();
        Optional<Duration> roundTrip;
        try {
            roundTrip = Optional.of(node.ping().ping(open.get()));
        } catch (IOException e) {
            log.debug("ping of {} failed: {}", peer, e.getMessage());
            roundTrip = Optional.empty();
        }
        ConnectionInfo.Path path = node.dcutr().isHolePunched(open.get()) ? ConnectionInfo.Path.HOLE_PUNCHED
                : pathOf(remote);
        return Optional.of(new ConnectionInfo(path, remote, roundTrip));
    }

    static ConnectionInfo.Path pathOf(Multiaddr remote) {
        if (remote.isCircuit()) {
            return ConnectionInfo.Path.RELAYED;
        }
        return remote.isPrivate() ? ConnectionInfo.Path.LAN : ConnectionInfo.Path.DIRECT;
    }

    /** {@code known} as subscribers see it now: online or not, and for a request how many messages it dropped. */
    ContactInfo describe(Known known) {
        return new ContactInfo(known.peer(), known.name(), StoreTypes.status(known.state()),
                online.contains(known.peer()), known.lastSeen(),
                known.state() == ContactState.REQUEST ? inbox.droppedMessages(known.peer()) : 0);
    }

    /** Tells subscribers that {@code contact} changed; returns it as they see it. */
    ContactInfo contactChanged(Known contact) {
        keepIfAccepted(contact);
        ContactInfo info = describe(contact);
        events.publish(new EngineEvent.ContactUpdated(info));
        return info;
    }

    /**
     * Has the node's address book keep an accepted contact however long it is away, and forget a blocked one like
     * any stranger (transport/README.md, "Per-peer state"): the links dial contacts from the book.
     */
    void keepIfAccepted(Known contact) {
        if (contact.state() == ContactState.ACCEPTED) {
            host.addressBook().keep(contact.peer(), KEPT_AS_CONTACT);
        } else {
            host.addressBook().release(contact.peer(), KEPT_AS_CONTACT);
        }
    }

    /**
     * Publishes how {@code peer} is connected if that differs from what was last published: the kind of path or the
     * remote address changed, or the connection is gone. Runs off the connection's own threads, since it pings.
     */
    private void reportPath(PeerId peer) {
        pathReports.lock();
        try {
            Optional<ConnectionInfo> now = connection(peer);
            Optional<Multiaddr> address = now.map(ConnectionInfo::remoteAddress);
            if (!address.equals(Optional.ofNullable(reportedPaths.get(peer)))) {
                address.ifPresentOrElse(a -> reportedPaths.put(peer, a), () -> reportedPaths.remove(peer));
                events.publish(new EngineEvent.ConnectionChanged(peer, now));
            }
        } finally {
            pathReports.unlock();
        }
    }

    /**
     * Pushes our new card (a new name) to every contact connected now, each on a thread of its own; the others fetch
     * it when they next connect. A contact whose Parley predates the push refuses it and fetches it then too.
     */
    void pushCard(ContactCard card) {
        for (Known contact : contacts.list(ContactState.ACCEPTED)) {
            host.connection(contact.peer()).ifPresent(connection -> threads.start("card-push " + contact.peer(), () -> {
                try {
                    ProfileProtocol.push(connection, card);
                } catch (IOException e) {
                    log.debug("{} did not take our new card: {}", contact.peer(), e.getMessage());
                }
            }));
        }
    }

    /**
     * A peer pushed its card. It is taken only from a contact or request whose card we hold, and only as its own
     * (the protocol checks the card names the peer that sent it); a stranger's or a blocked peer's push is reset
     * unread.
     */
    void cardPushed(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        if (contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED && known.card() != null)
                .isEmpty()) {
            stream.reset();
            return;
        }
        contacts.replaceCardIfNewer(ProfileProtocol.receivePush(stream)).ifPresent(this::contactChanged);
    }

    /** Takes a contact's newer card, e.g. after they renamed themselves; an older or equal one changes nothing. */
    private void refreshCard(Connection connection) {
        ContactCard fetched;
        try {
            fetched = ProfileProtocol.fetch(connection);
        } catch (IOException e) {
            log.debug("{} did not give its card: {}", connection.remotePeer(), e.getMessage());
            return;
        }
        contacts.replaceCardIfNewer(fetched).ifPresent(this::contactChanged);
    }
}
