package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Reservation;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of circuit relay v2 (specs relay/circuit-v2.md): serves the hop protocol, granting
 * reservations and joining a source's hop stream to a stop stream it opens to the reserved target.
 * Relayed connections are never themselves used to reserve or to relay further.
 */
public final class RelayService implements AutoCloseable {
    public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
    public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";
    private static final Logger log = LoggerFactory.getLogger(RelayService.class);

    private final Host host;
    private final RelayLimits limits;
    private final RelayPolicy policy;
    private final Map<PeerId, Granted> reservations = new HashMap<>();
    private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
    private int circuits;
    private volatile boolean closed;

    private record Granted(Instant expiration, String ip, String subnet, CircuitLimit limit) {
    }

    private RelayService(Host host, RelayLimits limits, RelayPolicy policy) {
        this.host = host;
        this.limits = limits;
        this.policy = policy;
    }

    /** Starts relaying on {@code host}, everyone getting {@code limits.circuit()}. */
    public static RelayService start(Host host, RelayLimits limits) {
        return start(host, limits, RelayPolicy.uniform(limits.circuit()));
    }

    public static RelayService start(Host host, RelayLimits limits, RelayPolicy policy) {
        RelayService service = new RelayService(host, limits, policy);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed(Connection connection) {
                service.forgetIfGone(connection.remotePeer());
            }
        });
        host.setHandler(HOP, service::serveHop);
        return service;
    }

    /** Peers holding an unexpired reservation now. */
    public synchronized int reservationCount() {
        pruneExpired();
        return reservations.size();
    }

    /** Relayed connections open now. */
    public synchronized int circuitCount() {
        return circuits;
    }

    private void serveHop(Stream stream) throws IOException {
        HopMessage request;
        try {
            stream.setReadDeadline(deadline());
            request = RelayCodec.readHop(stream.in(), stream.memory());
            // The stream reads nothing more as hop: it is answered, or becomes a circuit that may rightly be quiet.
            stream.setReadDeadline(null);
        } catch (RelayProtocolException e) {
            log.debug("bad hop request from {}: {}", stream.remotePeer(), e.getMessage());
            answer(stream, Status.MALFORMED_MESSAGE);
            return;
        }
        if (stream.connection().isRelayed()) {
            answer(stream, Status.PERMISSION_DENIED);
            return;
        }
        switch (request.getType()) {
            case RESERVE -> reserve(stream);
            case CONNECT -> connect(stream, request);
            default -> answer(stream, Status.UNEXPECTED_MESSAGE);
        }
    }

    private void reserve(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        Optional<CircuitLimit> limit = policy.reservationLimit(peer);
        if (limit.isEmpty()) {
            answer(stream, Status.PERMISSION_DENIED);
            return;
        }
        Component from = stream.connection().remoteAddress().components().getFirst();
        Instant expiration = Instant.now().plus(limits.reservationTtl()).truncatedTo(ChronoUnit.SECONDS);
        Optional<Status> refusal = grant(peer, new Granted(expiration, from.valueText(), subnetOf(from), limit.get()));
        if (refusal.isPresent()) {
            answer(stream, refusal.get());
            return;
        }
        Reservation.Builder reservation = Reservation.newBuilder()
                .setExpire(expiration.getEpochSecond())
                .setVoucher(ByteString.copyFrom(new Voucher(host.peerId(), peer, expiration)
                        .seal(host.config().identity())));
        for (Multiaddr address : host.listenAddresses()) {
            if (!address.isCircuit()) {
                reservation.addAddrs(ByteString.copyFrom(address.withPeerId(host.peerId()).bytes()));
            }
        }
        HopMessage.Builder ok = HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK)
                .setReservation(reservation);
        RelayCodec.limit(limit.get()).ifPresent(ok::setLimit);
        RelayCodec.write(ok.build(), stream.out());
    }

    private synchronized Optional<Status> grant(PeerId peer, Granted granted) {
        pruneExpired();
        if (!reservations.containsKey(peer)) {
            long fromIp = reservations.values().stream().filter(r -> r.ip().equals(granted.ip())).count();
            long fromSubnet = reservations.values().stream().filter(r -> r.subnet().equals(granted.subnet())).count();
            if (reservations.size() >= limits.maxReservations() || fromIp >= limits.maxReservationsPerIp()
                    || fromSubnet >= limits.maxReservationsPerSubnet()) {
                log.debug("refusing reservation of {}: {} held, {} from {}, {} from {}", peer, reservations.size(),
                        fromIp, granted.ip(), fromSubnet, granted.subnet());
                return Optional.of(Status.RESERVATION_REFUSED);
            }
        }
        reservations.put(peer, granted);
        return Optional.empty();
    }

    private void connect(Stream stream, HopMessage request) throws IOException {
        PeerId source = stream.remotePeer();
        PeerId target;
        try {
            target = RelayCodec.peerId(request.getPeer());
        } catch (RelayProtocolException e) {
            log.debug("bad CONNECT from {}: {}", source, e.getMessage());
            answer(stream, Status.MALFORMED_MESSAGE);
            return;
        }
        Optional<Granted> reservation = reservation(target);
        Optional<Connection> toTarget = host.connection(target).filter(c -> !c.isRelayed());
        if (reservation.isEmpty() || toTarget.isEmpty()) {
            answer(stream, Status.NO_RESERVATION);
            return;
        }
        if (!openCircuit(source, target)) {
            answer(stream, Status.RESOURCE_LIMIT_EXCEEDED);
            return;
        }
        try {
            CircuitLimit limit = policy.circuitLimit(source, target, reservation.get().limit());
            Stream stop;
            try {
                stop = openStop(toTarget.get(), source, limit);
            } catch (IOException e) {
                log.debug("stop to {} for {} failed: {}", target, source, e.getMessage());
                answer(stream, Status.CONNECTION_FAILED);
                return;
            }
            HopMessage.Builder ok = HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK);
            RelayCodec.limit(limit).ifPresent(ok::setLimit);
            try {
                RelayCodec.write(ok.build(), stream.out());
            } catch (IOException e) {
                stop.reset();
                throw e;
            }
            new Splice(stream, stop, limit).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("relaying " + source + " -> " + target + " interrupted", e);
        } finally {
            closeCircuit(source, target);
        }
    }

    private Stream openStop(Connection toTarget, PeerId source, CircuitLimit limit) throws IOException {
        Stream stop = toTarget.newStream(STOP);
        StopMessage.Builder connect = StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(source));
        RelayCodec.limit(limit).ifPresent(connect::setLimit);
        StopMessage answer;
        try {
            RelayCodec.write(connect.build(), stop.out());
            stop.setReadDeadline(deadline());
            answer = RelayCodec.readStop(stop.in(), stop.memory());
            stop.setReadDeadline(null);
        } catch (IOException e) {
            stop.reset();
            throw e;
        }
        if (answer.getType() != StopMessage.Type.STATUS || answer.getStatus() != Status.OK) {
            stop.reset();
            throw new RelayRefusedException("stop CONNECT to " + toTarget.remotePeer(),
                    answer.hasStatus() ? answer.getStatus() : Status.UNUSED);
        }
        return stop;
    }

    /**
     * How long a peer may take to send its hop request, or a target to answer our stop (js-libp2p's hop and stop
     * timeouts, go-libp2p's connect timeout: 30 s by default).
     */
    private Duration deadline() {
        return host.config().limits().deadlines().relay();
    }

    private synchronized Optional<Granted> reservation(PeerId peer) {
        pruneExpired();
        return Optional.ofNullable(reservations.get(peer));
    }

    private synchronized boolean openCircuit(PeerId source, PeerId target) {
        if (closed || circuits >= limits.maxCircuits()
                || circuitsPerPeer.getOrDefault(source, 0) >= limits.maxCircuitsPerPeer()
                || circuitsPerPeer.getOrDefault(target, 0) >= limits.maxCircuitsPerPeer()) {
            return false;
        }
        circuits++;
        circuitsPerPeer.merge(source, 1, Integer::sum);
        circuitsPerPeer.merge(target, 1, Integer::sum);
        return true;
    }

    private synchronized void closeCircuit(PeerId source, PeerId target) {
        circuits--;
        circuitsPerPeer.computeIfPresent(source, (p, n) -> n == 1 ? null : n - 1);
        circuitsPerPeer.computeIfPresent(target, (p, n) -> n == 1 ? null : n - 1);
    }

    /** A reservation lasts only while its peer stays connected (spec: "If the peer disconnects..."). */
    private synchronized void forgetIfGone(PeerId peer) {
        if (host.connection(peer).filter(c -> !c.isRelayed()).isEmpty()) {
            reservations.remove(peer);
        }
    }

    /**
     * The IPv4 /24 or IPv6 /48 a connection comes from; for any other first component (a DNS name, which a direct
     * connection's remote address never is) its text.
     */
    static String subnetOf(Component first) {
        int prefix = switch (first.protocol()) {
            case IP4 -> 3;
            case IP6 -> 6;
            default -> -1;
        };
        return prefix < 0 ? first.valueText()
                : HexFormat.of().formatHex(first.value(), 0, prefix) + "/" + (prefix * 8);
    }

    private void pruneExpired() {
        Instant now = Instant.now();
        reservations.values().removeIf(r -> r.expiration().isBefore(now));
    }

    private static void answer(Stream stream, Status status) throws IOException {
        RelayCodec.write(HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(status).build(),
                stream.out());
    }

    /** Stops accepting hop streams; circuits already relayed run on until they end. */
    @Override
    public void close() {
        closed = true;
        host.removeHandler(HOP);
    }
}
