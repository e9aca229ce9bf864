package dev.parley.transport;

import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.spi.CircuitLimit;
import dev.parley.transport.yamux.YamuxSession;
import dev.parley.transport.yamux.YamuxStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secured, multiplexed connection to one peer: a transport's raw connection (TCP, WebSocket, a relay
 * circuit), then Noise, then Yamux. Streams opened here negotiate
 * their protocol with multistream-select; streams the remote opens are dispatched to this host's handlers.
 */
public final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final PeerId remotePeer;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final Direction direction;
    private final Optional<CircuitLimit> relayLimit;
    private final Instant openedAt = Instant.now();
    private final Map<String, AtomicInteger> inboundPerProtocol = new ConcurrentHashMap<>();
    private volatile YamuxSession session;

    Connection(PeerId remotePeer, Multiaddr localAddress, Multiaddr remoteAddress, Direction direction,
               Optional<CircuitLimit> relayLimit) {
        this.remotePeer = remotePeer;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.direction = direction;
        this.relayLimit = relayLimit;
    }

    /** Set once by the upgrader, before anyone else sees this connection. */
    void attach(YamuxSession session) {
        this.session = session;
    }

    public PeerId remotePeer() {
        return remotePeer;
    }

    /** Our end of the raw connection. */
    public Multiaddr localAddress() {
        return localAddress;
    }

    /** The remote's end of the raw connection, without {@code /p2p/}; a circuit address if relayed. */
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /** Whether this connection runs through a circuit relay rather than straight to the peer. */
    public boolean isRelayed() {
        return remoteAddress.isCircuit();
    }

    /**
     * What the relay told this end the circuit may carry before it resets it (the dialler hears it in the relay's
     * hop STATUS, the target in its stop CONNECT); {@link CircuitLimit#UNLIMITED} when the relay named no limit, empty
     * for a direct connection.
     */
    public Optional<CircuitLimit> relayLimit() {
        return relayLimit;
    }

    public Direction direction() {
        return direction;
    }

    public Instant openedAt() {
        return openedAt;
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /** Opens a stream and negotiates the first of {@code protocolIds} the remote supports. */
    public Stream newStream(String... protocolIds) throws IOException {
        return newStream(null, protocolIds);
    }

    /**
     * Opens a stream as {@link #newStream(String...)} does, under a read deadline {@code readDeadline} from now that
     * the negotiation's reads are held to as much as the protocol's: a peer that takes the stream and never answers
     * multistream-select keeps the caller no longer than that. Null for no deadline.
     */
    public Stream newStream(Duration readDeadline, String... protocolIds) throws IOException {
        YamuxStream muxed = session.openStream();
        try {
            muxed.setReadDeadline(readDeadline);
            String protocol = MultistreamSelect.select(muxed.in(), muxed.out(), List.of(protocolIds), muxed.memory());
            return new Stream(muxed, protocol, this);
        } catch (IOException | RuntimeException e) {
            muxed.reset();
            throw e;
        }
    }

    /** Round trip of a Yamux ping: the connection's own liveness check, needing no protocol handler. */
    public Duration muxerPing() throws IOException {
        return session.ping();
    }

    public int activeStreams() {
        return session.activeStreams();
    }

    public void close() {
        session.close();
    }

    void onClose(Runnable listener) {
        session.onClose(listener);
    }

    /** Starts reading frames; inbound streams are served from here on, their buffers reserved within {@code memory}. */
    void start(MemoryScope memory) {
        session.start(memory);
    }

    /**
     * Serves a stream the remote opened: negotiates its protocol within the time limit, enforces the
     * per-protocol stream limit, runs the handler, and closes the stream when the handler returns.
     * The time limit is a read deadline on the stream rather than a timer, so a stream reset at once leaves
     * nothing queued behind it (transport/README.md, "Memory and deadlines").
     */
    void serveInbound(YamuxStream muxed, HandlerRegistry handlers, ResourceLimits limits) {
        String protocol;
        try {
            muxed.setReadDeadline(limits.negotiationTimeout());
            protocol = MultistreamSelect.respond(muxed.in(), muxed.out(), handlers::supports, handlers::protocols,
                    muxed.memory());
            muxed.setReadDeadline(null);
        } catch (IOException e) {
            log.debug("stream from {} failed to negotiate: {}", remotePeer, e.getMessage());
            muxed.reset();
            return;
        }
        AtomicInteger open = inboundPerProtocol.computeIfAbsent(protocol, p -> new AtomicInteger());
        if (open.incrementAndGet() > limits.maxInboundStreamsPerProtocol()) {
            open.decrementAndGet();
            log.debug("{} exceeded {} inbound streams for {}; resetting", remotePeer,
                    limits.maxInboundStreamsPerProtocol(), protocol);
            muxed.reset();
            return;
        }
        Stream stream = new Stream(muxed, protocol, this);
        try {
            StreamHandler handler = handlers.get(protocol).orElseThrow(
                    () -> new IOException("handler for " + protocol + " was removed during negotiation"));
            handler.handle(stream);
            stream.close();
        } catch (IOException | RuntimeException e) {
            log.debug("{} handler failed for {}: {}", protocol, remotePeer, e.toString());
            stream.reset();
        } finally {
            open.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "Connection[" + direction + " " + remoteAddress + "/p2p/" + remotePeer + "]";
    }
}
