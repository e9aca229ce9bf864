package dev.parley.app.node;

import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of {@code /parley/relay-grants/1.0.0}: tells each relay the user named with {@code --relay} whom
 * it should relay for generously, when we connect to it and whenever our accepted contacts change. Only relays the
 * user named are asked, and only one that answers that it names us owner hears the list; a public relay that does not
 * speak the protocol refuses it in the negotiation and hears nothing.
 */
final class OwnRelays implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnRelays.class);

    private final Host host;
    private final Set<PeerId> relays;
    /** One push at a time, in order: the last list sent is the newest. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("relay-grants").factory());
    /** The list each relay last answered, taking it or saying it is not ours. Confined to {@link #sender}. */
    private final Map<PeerId, Set<PeerId>> answered = new HashMap<>();
    private volatile Optional<Supplier<Set<PeerId>>> contacts = Optional.empty();

    OwnRelays(Host host, List<Multiaddr> relayAddresses) {
        this.host = host;
        this.relays = relayAddresses.stream().flatMap(address -> address.peerId().stream())
                .collect(Collectors.toUnmodifiableSet());
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                PeerId peer = connection.remotePeer();
                if (relays.contains(peer) && !connection.isRelayed()) {
                    // A relay keeps its lists in memory only: it may have restarted since it last heard ours.
                    submit(() -> {
                        answered.remove(peer);
                        pushIfChanged(peer);
                    });
                }
            }
        });
    }

    /** Starts telling our relays about {@code acceptedContacts}: now, on each connection, and on {@link #update}. */
    void grant(Supplier<Set<PeerId>> acceptedContacts) {
        contacts = Optional.of(acceptedContacts);
        update();
    }

    /** Sends each connected relay the list of contacts if it changed since that relay last answered. */
    void update() {
        submit(() -> relays.forEach(this::pushIfChanged));
    }

    private void submit(Runnable push) {
        try {
            sender.execute(push);
        } catch (RejectedExecutionException closed) {
            log.debug("not telling our relays about our contacts: closing");
        }
    }

    private void pushIfChanged(PeerId relay) {
        if (contacts.isEmpty()) {
            return;
        }
        Optional<Connection> connection = host.connection(relay).filter(c -> !c.isRelayed());
        Set<PeerId> now = Set.copyOf(contacts.get().get());
        if (connection.isEmpty() || now.equals(answered.get(relay))) {
            return;
        }
        if (now.size() > RelayGrants.MAX_CONTACTS) {
            log.warn("{} accepted contacts exceed the {} relay {} takes; it keeps the list it has",
                    now.size(), RelayGrants.MAX_CONTACTS, relay);
            return;
        }
        try {
            boolean granted = RelayGrants.send(connection.get(), now);
            answered.put(relay, now);
            if (granted) {
                log.info("relay {} relays for our {} contacts", relay, now.size());
            } else {
                log.debug("relay {} does not name us owner", relay);
            }
        } catch (IOException e) {
            log.debug("telling relay {} about our contacts failed: {}", relay, e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
