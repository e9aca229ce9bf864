package dev.parley.transport.identify;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p identify and identify push (specs: identify/README.md). Every new connection is identified in the
 * background; what peers say goes into the address book and {@link #info(PeerId)}, which is forgotten with the
 * peer. When our protocols or listen addresses change, connected peers are told with a push.
 *
 * <p>Both reads, of the answer we asked for and of a push a peer opened a stream for, wait at most the identify
 * deadline ({@link dev.parley.transport.ProtocolDeadlines#identify()}); a peer that stays silent has its stream
 * reset.
 */
public final class IdentifyService {
    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** The protocol family we belong to; the value go- and js-libp2p send. */
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

    private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);
    /** Observed addresses kept: enough to see a NAT's mappings, too few to be a memory sink. */
    private static final int MAX_OBSERVED = 16;

    private final Host host;
    private final String agentVersion;
    private final Map<PeerId, CompletableFuture<IdentifyInfo>> infos = new ConcurrentHashMap<>();
    private final Set<Multiaddr> observed = ConcurrentHashMap.newKeySet();
    private final List<Consumer<IdentifyInfo>> listeners = new CopyOnWriteArrayList<>();

    public IdentifyService(Host host, String agentVersion) {
        this.host = host;
        this.agentVersion = agentVersion;
        host.setHandler(PROTOCOL_ID, this::answer);
        host.setHandler(PUSH_PROTOCOL_ID, this::receivePush);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                Thread.ofVirtual().name("identify " + connection.remotePeer()).start(() -> identifyQuietly(connection));
            }
        });
        host.addressBook().onForgotten(infos::remove);
        host.onProtocolsChanged(this::pushToAll);
        host.onListenAddressesChanged(this::pushToAll);
    }

    /** Asks the peer on {@code connection} who it is, and records the answer. */
    public IdentifyInfo identify(Connection connection) throws IOException {
        Identify message;
        Stream stream = connection.newStream(PROTOCOL_ID);
        try {
            stream.setReadDeadline(deadline());
            message = IdentifyCodec.read(stream.in(), stream.memory());
        } catch (IOException | RuntimeException e) {
            // Reset rather than close: a peer sending more than the limit stops at once, not at its window's end.
            stream.reset();
            throw e;
        }
        stream.close();
        IdentifyInfo info = IdentifyCodec.decode(message, connection.remotePeer());
        record(info);
        return info;
    }

    /** The latest identify answer or push from {@code peer}, if any arrived. */
    public Optional<IdentifyInfo> info(PeerId peer) {
        CompletableFuture<IdentifyInfo> future = infos.get(peer);
        return future != null && future.isDone() && !future.isCompletedExceptionally()
                ? Optional.of(future.join()) : Optional.empty();
    }

    /**
     * Peers whose identify answer (or a wait for one) is held now. Held for a peer while the address book holds it,
     * and dropped when the book forgets it (transport/README.md, "Per-peer state").
     */
    public int cachedPeers() {
        return infos.size();
    }

    /** Waits for the first identify answer from {@code peer}. */
    public IdentifyInfo awaitInfo(PeerId peer, Duration timeout) throws IOException {
        try {
            return pending(peer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no identify from " + peer + " within " + timeout);
        } catch (ExecutionException e) {
            throw new IOException("identify of " + peer + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for identify of " + peer, e);
        }
    }

    /**
     * Hears every identify answer and push, on the thread that read it, after the address book has the peer's
     * listen addresses and before {@link #awaitInfo} hands the answer out: who waits for a peer's answer finds
     * what the listeners made of it done.
     */
    public void onIdentified(Consumer<IdentifyInfo> listener) {
        listeners.add(listener);
    }

    /** Our addresses as peers have seen them: the outside of a NAT, if there is one. */
    public Set<Multiaddr> observedAddresses() {
        return Set.copyOf(observed);
    }

    private Identify ourIdentify(Connection connection) {
        Identify.Builder message = Identify.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setAgentVersion(agentVersion)
                .setPublicKey(ByteString.copyFrom(host.config().identity().publicKey().marshal()))
                .setObservedAddr(ByteString.copyFrom(connection.remoteAddress().bytes()))
                .addAllProtocols(host.protocols());
        for (Multiaddr address : host.listenAddresses()) {
            message.addListenAddrs(ByteString.copyFrom(address.bytes()));
        }
        return message.build();
    }

    private void answer(Stream stream) throws IOException {
        IdentifyCodec.write(ourIdentify(stream.connection()), stream.out());
        stream.closeWrite();
    }

    private void receivePush(Stream stream) throws IOException {
        stream.setReadDeadline(deadline());
        Identify message = IdentifyCodec.read(stream.in(), stream.memory());
        IdentifyInfo pushed = IdentifyCodec.decode(message, stream.remotePeer());
        record(pushed);
    }

    private Duration deadline() {
        return host.config().limits().deadlines().identify();
    }

    private void identifyQuietly(Connection connection) {
        try {
            identify(connection);
        } catch (IOException | RuntimeException e) {
            log.debug("identify of {} failed: {}", connection.remotePeer(), e.getMessage());
            pending(connection.remotePeer()).completeExceptionally(e);
            dropIfForgotten(connection.remotePeer());
        }
    }

    /**
     * Drops what was just stored for {@code peer} if the address book forgot it meanwhile, e.g. an answer that
     * came in after a short-lived connection's grace: the book's forgetting removes the entry first and then tells
     * us, so either its telling or this check comes after our store.
     */
    private void dropIfForgotten(PeerId peer) {
        if (!host.addressBook().holds(peer)) {
            infos.remove(peer);
        }
    }

    private void record(IdentifyInfo info) {
        host.addressBook().add(info.peer(), info.listenAddresses());
        info.observedAddress().ifPresent(address -> {
            if (observed.size() < MAX_OBSERVED) {
                observed.add(address);
            }
        });
        for (Consumer<IdentifyInfo> listener : listeners) {
            try {
                listener.accept(info);
            } catch (RuntimeException e) {
                log.warn("a listener failed on the identify of {}", info.peer(), e);
            }
        }
        CompletableFuture<IdentifyInfo> future = pending(info.peer());
        if (!future.complete(info)) {
            infos.put(info.peer(), CompletableFuture.completedFuture(info));
        }
        dropIfForgotten(info.peer());
    }

    private CompletableFuture<IdentifyInfo> pending(PeerId peer) {
        return infos.computeIfAbsent(peer, p -> new CompletableFuture<>());
    }

    private void pushToAll() {
        for (Connection connection : host.connections()) {
            Thread.ofVirtual().name("identify-push " + connection.remotePeer()).start(() -> {
                try (Stream stream = connection.newStream(PUSH_PROTOCOL_ID)) {
                    IdentifyCodec.write(ourIdentify(connection), stream.out());
                    stream.closeWrite();
                } catch (IOException e) {
                    log.debug("identify push to {} failed: {}", connection.remotePeer(), e.getMessage());
                }
            });
        }
    }
}
