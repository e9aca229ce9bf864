package dev.parley.transport.dcutr;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Direction;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR (specs: relay/DCUtR.md): turns a relayed connection into a direct one by TCP simultaneous open.
 *
 * <p>The peer that was dialled through the relay (the spec's B) starts. If the other side (A) advertises addresses
 * that are public, B simply dials them (the spec's connection reversal). Otherwise, over the relayed connection it sends
 * CONNECT with the addresses it may be reached at, times the answer (A's CONNECT), sends SYNC and after half that
 * round trip dials A's addresses; A dials B's as soon as SYNC arrives. Both dial from their TCP listening port, so
 * each NAT has already seen a packet go out to the other when the other's SYN arrives, and lets it in. For what
 * runs on the resulting connection A is the client and B the server, whichever SYN won. B tries three times.
 *
 * <p>When no NAT is in the way, one side's SYN may reach the other's listener instead: that is an ordinary
 * inbound connection, and just as good. Either way, once a direct connection exists the relayed one is closed
 * after a short grace, and {@link Host#connection} prefers the direct one from the start.
 */
public final class DcutrService {
    public static final String PROTOCOL_ID = "/libp2p/dcutr";
    /** Addresses sent, and dialled of those received: a node has a few; more is noise or an attempt at a flood. */
    static final int MAX_ADDRESSES = 8;
    private static final Logger log = LoggerFactory.getLogger(DcutrService.class);

    private final Host host;
    private final IdentifyService identify;
    private final DcutrConfig config;
    private final TcpTransport tcp = new TcpTransport();
    private final Set<Connection> holePunched = ConcurrentHashMap.newKeySet();
    /** The exchange we answer as A on each relayed connection, at most one. */
    private final ConcurrentMap<Connection, Answering> answering = new ConcurrentHashMap<>();
    private final List<Consumer<HolePunchResult>> listeners = new CopyOnWriteArrayList<>();

    public DcutrService(Host host, IdentifyService identify, DcutrConfig config) {
        this.host = host;
        this.identify = identify;
        this.config = config;
        host.setHandler(PROTOCOL_ID, this::answer);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                if (connection.isRelayed() && connection.direction() == Direction.INBOUND) {
                    Thread.ofVirtual().name("dcutr " + connection.remotePeer()).start(() -> upgrade(connection));
                }
            }

            @Override
            public void connectionClosed(Connection connection) {
                holePunched.remove(connection);
            }
        });
    }

    /** Whether {@code connection} is a direct one this service made out of a relayed one. */
    public boolean isHolePunched(Connection connection) {
        return holePunched.contains(connection);
    }

    /** Hears how each upgrade ended, on the thread that ran it. */
    public void onResult(Consumer<HolePunchResult> listener) {
        listeners.add(listener);
    }

    /**
     * Upgrades {@code relayed} as the spec's B (the side that was dialled through the relay), with up to
     * {@link DcutrConfig#attempts()} attempts; the service does this by itself for every such connection.
     */
    public HolePunchResult upgrade(Connection relayed) {
        PeerId peer = relayed.remotePeer();
        long start = System.nanoTime();
        int attempt = 0;
        Optional<Connection> direct = directTo(peer).or(() -> reverse(peer));
        while (direct.isEmpty() && attempt < config.attempts() && relayed.isOpen()) {
            attempt++;
            try {
                direct = attemptAsB(relayed);
            } catch (IOException e) {
                log.debug("hole punch to {}, attempt {}: {}", peer, attempt, e.getMessage());
            }
        }
        return finish(relayed, direct, attempt, start);
    }

    /**
     * The spec's connection reversal: if A's identify lists addresses we may dial (public ones), B first dials A
     * there the ordinary way. A peer that is reachable needs no hole.
     */
    private Optional<Connection> reverse(PeerId peer) {
        List<Multiaddr> advertised;
        try {
            advertised = identify.awaitInfo(peer, config.attemptTimeout()).listenAddresses();
        } catch (IOException e) {
            log.debug("no identify from {} before punching: {}", peer, e.getMessage());
            return Optional.empty();
        }
        for (Multiaddr address : advertised.stream().filter(this::mayPunch).limit(MAX_ADDRESSES).toList()) {
            try {
                return Optional.of(host.dial(address.withPeerId(peer)));
            } catch (IOException e) {
                log.debug("connection reversal to {} at {}: {}", peer, address, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Optional<Connection> attemptAsB(Connection relayed) throws IOException {
        List<Multiaddr> theirs;
        Duration roundTrip;
        try (Stream stream = relayed.newStream(PROTOCOL_ID)) {
            CompletableFuture<Void> deadline = resetAfterAttemptTimeout(stream);
            try {
                long sent = System.nanoTime();
                HolePunchCodec.write(HolePunch.Type.CONNECT, ourAddresses(), stream.out());
                theirs = dialable(HolePunchCodec.read(stream.in(), stream.memory(), HolePunch.Type.CONNECT));
                roundTrip = Duration.ofNanos(System.nanoTime() - sent);
                HolePunchCodec.write(HolePunch.Type.SYNC, List.of(), stream.out());
            } catch (IOException e) {
                throw explained(deadline, relayed.remotePeer(), e);
            } finally {
                deadline.cancel(false);
            }
        }
        sleep(roundTrip.dividedBy(2));
        return punch(relayed.remotePeer(), theirs, Direction.INBOUND);
    }

    /**
     * Serves B's request as the spec's A. Every exchange B began with a CONNECT gets a result, also one B broke off
     * (js-libp2p gives up on our CONNECT when it lists no address it calls public).
     */
    private void answer(Stream stream) throws IOException {
        Connection relayed = stream.connection();
        long start = System.nanoTime();
        CompletableFuture<Void> deadline = resetAfterAttemptTimeout(stream);
        List<Multiaddr> theirs;
        try {
            theirs = dialable(HolePunchCodec.read(stream.in(), stream.memory(), HolePunch.Type.CONNECT));
        } catch (IOException e) {
            deadline.cancel(false);
            throw explained(deadline, relayed.remotePeer(), e);
        }
        Answering waiting = admit(stream);
        Optional<Connection> direct = Optional.empty();
        try {
            try {
                HolePunchCodec.write(HolePunch.Type.CONNECT, ourAddresses(), stream.out());
                HolePunchCodec.read(stream.in(), stream.memory(), HolePunch.Type.SYNC);
            } catch (IOException e) {
                throw explained(deadline, relayed.remotePeer(), e);
            } finally {
                deadline.cancel(false);
            }
            Answering dialling = new Answering(stream, true);
            if (!answering.replace(relayed, waiting, dialling)) {
                throw new DcutrProtocolException("DCUtR exchange with " + relayed.remotePeer()
                        + " superseded by a newer one");
            }
            try {
                direct = punch(relayed.remotePeer(), theirs, Direction.OUTBOUND);
            } finally {
                answering.remove(relayed, dialling);
            }
        } finally {
            answering.remove(relayed, waiting);
            finish(relayed, direct, 1, start);
        }
    }

    /** An exchange we answer as A: on {@code stream}, waiting for SYNC until {@code dialling}. */
    private record Answering(Stream stream, boolean dialling) {
    }

    /**
     * Lets one exchange per connection go on at a time, since each makes us dial the addresses B names and that
     * must not multiply at a peer's bidding. B runs one at a time too, so a new CONNECT while we still wait for SYNC
     * means B gave up on the last one (js-libp2p retries on a new stream): the new exchange takes over and the old
     * stream is reset. One that comes while we dial for the last is refused.
     */
    private Answering admit(Stream stream) throws DcutrProtocolException {
        Connection relayed = stream.connection();
        Answering mine = new Answering(stream, false);
        while (true) {
            Answering current = answering.putIfAbsent(relayed, mine);
            if (current == null) {
                return mine;
            }
            if (current.dialling()) {
                throw new DcutrProtocolException("a DCUtR exchange from " + relayed.remotePeer()
                        + " while we still dial for the one before");
            }
            if (answering.replace(relayed, current, mine)) {
                current.stream().reset();
                return mine;
            }
        }
    }

    /**
     * Resets {@code stream} once an attempt's time has passed, unless cancelled first: a peer that stops in the
     * middle of the exchange must not hold an attempt (or, as A, a handler) for ever.
     */
    private CompletableFuture<Void> resetAfterAttemptTimeout(Stream stream) {
        return CompletableFuture.runAsync(stream::reset, CompletableFuture.delayedExecutor(
                config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    private IOException explained(CompletableFuture<Void> deadline, PeerId peer, IOException failure) {
        return deadline.isDone() && !deadline.isCancelled()
                ? new IOException("DCUtR exchange with " + peer + " not done within " + config.attemptTimeout(),
                failure)
                : failure;
    }

    private HolePunchResult finish(Connection relayed, Optional<Connection> direct, int attempts, long start) {
        HolePunchResult result = new HolePunchResult(relayed.remotePeer(), direct.isPresent(), attempts,
                Duration.ofNanos(System.nanoTime() - start), direct);
        if (direct.isPresent() && relayed.isRelayed()) {
            Thread.ofVirtual().name("dcutr-grace " + relayed.remotePeer()).start(() -> {
                sleep(config.relayGrace());
                relayed.close();
            });
        }
        log.debug("hole punch to {}: {}", relayed.remotePeer(), result);
        listeners.forEach(listener -> listener.accept(result));
        return result;
    }

    /**
     * Dials each of {@code addresses} from our TCP listening port and upgrades in {@code role}; returns the first
     * direct connection to {@code peer} that appears within the attempt's time, made by us or accepted.
     *
     * <p>Once the attempt is decided, dials whose handshake is still under way are closed: without a NAT in the
     * way our SYN may have reached the other side's listener, which answers as responder just as we do in
     * {@link Direction#INBOUND}, and both would otherwise wait out the upgrade timeout; and a dial that connects
     * after the attempt gave up would only be a stray.
     */
    private Optional<Connection> punch(PeerId peer, List<Multiaddr> addresses, Direction role) throws IOException {
        int port = tcpListenPort().orElseThrow(() -> new IOException("no TCP listening port to punch from"));
        CompletableFuture<Connection> first = new CompletableFuture<>();
        Set<RawConnection> handshaking = ConcurrentHashMap.newKeySet();
        ConnectionListener arrival = new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                if (connection.remotePeer().equals(peer) && !connection.isRelayed()) {
                    first.complete(connection);
                }
            }
        };
        host.addConnectionListener(arrival);
        try {
            directTo(peer).ifPresent(first::complete);
            for (Multiaddr address : addresses) {
                Thread.ofVirtual().name("dcutr-dial " + address).start(() -> {
                    try {
                        RawConnection raw = tcp.dialFrom(new InetSocketAddress(port), address,
                                config.attemptTimeout());
                        handshaking.add(raw);
                        if (first.isDone()) {
                            abandon(handshaking, raw);
                            return;
                        }
                        Connection connection = host.upgrade(raw, role, peer);
                        if (handshaking.remove(raw)) {
                            first.complete(connection);
                        }
                    } catch (IOException e) {
                        log.debug("hole punch dial to {} at {}: {}", peer, address, e.getMessage());
                    }
                });
            }
            Connection direct = first.get(config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
            holePunched.add(direct);
            return Optional.of(direct);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IOException("hole punch to " + peer + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted punching a hole to " + peer, e);
        } finally {
            host.removeConnectionListener(arrival);
            first.cancel(false);
            // The host announces a connection before upgrade() returns to its dialling thread, so the winner may
            // still be in the set: it must not be closed with the losers.
            Connection chosen = first.state() == Future.State.SUCCESS ? first.resultNow() : null;
            handshaking.stream().filter(raw -> chosen == null || !carries(chosen, raw))
                    .forEach(raw -> abandon(handshaking, raw));
        }
    }

    private static boolean carries(Connection connection, RawConnection raw) {
        return connection.localAddress().equals(raw.localAddress())
                && connection.remoteAddress().equals(raw.remoteAddress());
    }

    /** Closes {@code raw} unless its handshake finished first: whoever removes it from the set decides. */
    private static void abandon(Set<RawConnection> handshaking, RawConnection raw) {
        if (handshaking.remove(raw)) {
            try {
                raw.close();
            } catch (IOException e) {
                log.debug("closing an abandoned hole punch dial to {}: {}", raw.remoteAddress(), e.getMessage());
            }
        }
    }

    /**
     * The addresses we tell the other side to dial: for each IP peers saw us at, that IP with our TCP listening
     * port (where a NAT that keeps ports maps it once we dial out from it), then the addresses as observed, then
     * our own TCP listen addresses; public ones only, unless configured for loopback tests.
     */
    private List<Multiaddr> ourAddresses() {
        Set<Multiaddr> candidates = new LinkedHashSet<>();
        Optional<Integer> port = tcpListenPort();
        for (Multiaddr observed : identify.observedAddresses()) {
            if (observed.isTcp()) {
                port.ifPresent(p -> candidates.add(Multiaddr.of(observed.components().getFirst(),
                        Component.parse(Protocol.TCP, String.valueOf(p)))));
                candidates.add(observed.withoutPeerId());
            }
        }
        host.listenAddresses().stream().filter(Multiaddr::isTcp).forEach(candidates::add);
        return candidates.stream().filter(this::mayPunch).limit(MAX_ADDRESSES).toList();
    }

    private boolean mayPunch(Multiaddr address) {
        return address.isTcp() && (config.punchPrivateAddresses() || !address.isPrivate());
    }

    private List<Multiaddr> dialable(HolePunch message) {
        Set<Multiaddr> addresses = new LinkedHashSet<>();
        for (ByteString bytes : message.getObsAddrsList()) {
            try {
                Multiaddr address = Multiaddr.fromBytes(bytes.toByteArray()).withoutPeerId();
                if (mayPunch(address)) {
                    addresses.add(address);
                }
            } catch (IllegalArgumentException e) {
                log.debug("skipping a malformed DCUtR address: {}", e.getMessage());
            }
        }
        return addresses.stream().limit(MAX_ADDRESSES).toList();
    }

    private Optional<Integer> tcpListenPort() {
        return host.listenAddresses().stream().filter(Multiaddr::isTcp)
                .map(address -> address.toSocketAddress().getPort()).findFirst();
    }

    private Optional<Connection> directTo(PeerId peer) {
        return host.connection(peer).filter(connection -> !connection.isRelayed());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
