package dev.parley.app.engine;

import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.app.node.Node;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link PeerLink} reaches its peer through the node: the host's connection to the peer, or
 * {@link Node#connect} (known addresses, then the DHT); on either, a {@code /parley/chat/1.0.0} stream whose
 * incoming frames the engine reads.
 */
final class NodeConnector implements PeerLink.Connector {
    /** How long the peer has to agree on {@code /parley/chat/1.0.0} for a stream we open. */
    static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);

    /** Serves the chat stream a link opened: reads what the peer sends on it (its acks) until it ends. */
    @FunctionalInterface
    interface StreamServer {
        void serve(ChatStream stream) throws IOException;
    }

    private final Node node;
    private final PeerId peer;
    private final StreamServer server;

    NodeConnector(Node node, PeerId peer, StreamServer server) {
        this.node = node;
        this.peer = peer;
        this.server = server;
    }

    @Override
    public Optional<PeerLink.Route> connection() {
        return node.host().connection(peer).map(this::route);
    }

    @Override
    public PeerLink.Route dial() throws IOException {
        return route(node.connect(peer));
    }

    private PeerLink.Route route(Connection connection) {
        return () -> {
            // A peer that takes the stream and never answers the negotiation would hold the link's worker for ever.
            // Once open, the stream waits for acks as long as the connection lasts.
            Stream stream = connection.newStream(NEGOTIATION_TIMEOUT, ChatFrames.PROTOCOL_ID);
            stream.setReadDeadline(null);
            return new Outbound(new ChatStream(stream), server);
        };
    }

    private record Outbound(ChatStream stream, StreamServer server) implements PeerLink.OutboundStream {
        @Override
        public void write(List<ChatFrame> frames) throws IOException {
            stream.write(frames);
        }

        @Override
        public void serve() throws IOException {
            server.serve(stream);
        }

        @Override
        public void reset() {
            stream.reset();
        }
    }
}
