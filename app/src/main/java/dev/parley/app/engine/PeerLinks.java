package dev.parley.app.engine;

import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.node.Node;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The {@link PeerLink} of each peer we deliver to, made when something first waits for the peer. */
final class PeerLinks {
    private final Node node;
    private final SqliteStore store;
    private final EventDispatcher events;
    private final NodeConnector.StreamServer server;
    private final Tasks tasks;
    private final Clocks clocks;
    private final Consumer<PeerId> unreachable;
    private final Map<PeerId, PeerLink> links = new ConcurrentHashMap<>();

    /** @param unreachable hears of each dial that failed: what waits for that peer may go to its mailbox */
    PeerLinks(Node node, SqliteStore store, EventDispatcher events, NodeConnector.StreamServer server, Tasks tasks,
               Clocks clocks, Consumer<PeerId> unreachable) {
        this.unreachable = unreachable;
        this.node = node;
        this.store = store;
        this.events = events;
        this.server = server;
        this.tasks = tasks;
        this.clocks = clocks;
    }

    /** The link to {@code peer}, made now if there was none. */
    PeerLink link(PeerId peer) {
        return links.computeIfAbsent(peer, p -> new PeerLink(p, tellingUnreachable(p, new NodeConnector(node, p, server)),
                store, events, clocks, tasks));
    }

    private PeerLink.Connector tellingUnreachable(PeerId peer, PeerLink.Connector connector) {
        return new PeerLink.Connector() {
            @Override
            public Optional<PeerLink.Route> connection() {
                return connector.connection();
            }

            @Override
            public PeerLink.Route dial() throws IOException {
                try {
                    return connector.dial();
                } catch (IOException e) {
                    unreachable.accept(peer);
                    throw e;
                }
            }
        };
    }

    /** The link to {@code peer} if there is one: nothing has waited for a peer that has none. */
    Optional<PeerLink> existing(PeerId peer) {
        return Optional.ofNullable(links.get(peer));
    }

    void closeAll() {
        links.values().forEach(PeerLink::close);
    }
}
