package dev.parley.transport.relay;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.spi.CircuitLimit;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.spi.Transport;
import dev.parley.transport.spi.TransportListener;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2 as a {@link Transport}. Dialling
 * {@code <relay address>/p2p/<relay>/p2p-circuit/p2p/<target>} asks the relay to CONNECT us, and the hop
 * stream becomes the raw connection the host upgrades. Listening on {@code <relay address>/p2p/<relay>/p2p-circuit}
 * reserves on that relay, so the reservation's circuit addresses join the host's listen addresses (and what
 * identify advertises), as js-libp2p does with a {@code /p2p-circuit} listen address. Relays' stop streams
 * are answered and handed to the host as inbound connections.
 */
public final class RelayTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RelayTransport.class);

    private final Host host;
    private final Reservations reservations;
    private final boolean acceptFromAnyRelay;

    private RelayTransport(Host host, boolean acceptFromAnyRelay) {
        this.host = host;
        this.reservations = new Reservations(host);
        this.acceptFromAnyRelay = acceptFromAnyRelay;
    }

    /**
     * Adds the transport to {@code host} and serves the stop protocol there.
     *
     * @param acceptFromAnyRelay whether to take relayed connections from relays we hold no reservation on
     *                           (js-libp2p does); otherwise they are refused with PERMISSION_DENIED
     */
    public static RelayTransport install(Host host, boolean acceptFromAnyRelay) {
        RelayTransport transport = new RelayTransport(host, acceptFromAnyRelay);
        host.addTransport(transport);
        host.setHandler(RelayService.STOP, transport::serveStop);
        transport.reservations.onChange(host::listenAddressesChanged);
        return transport;
    }

    /** Cancels the refreshing of every reservation. */
    @Override
    public void close() {
        reservations.close();
    }

    public Reservations reservations() {
        return reservations;
    }

    @Override
    public boolean canDial(Multiaddr address) {
        if (!address.isCircuit()) {
            return false;
        }
        List<Component> components = address.components();
        return components.size() >= 3
                && components.get(components.size() - 2).protocol() == Protocol.P2P_CIRCUIT
                && components.getLast().protocol() == Protocol.P2P
                && relayPart(address).peerId().isPresent()
                && !relayPart(address).isCircuit();
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        if (!canDial(address)) {
            throw new IOException("not a circuit address of the form <relay>/p2p/<relay>/p2p-circuit/p2p/<target>: "
                    + address);
        }
        Multiaddr relayAddress = relayPart(address);
        PeerId target = address.peerId().orElseThrow();
        Connection toRelay = connectToRelay(host, relayAddress);
        Stream hop = toRelay.newStream(RelayService.HOP);
        HopMessage answer;
        try {
            RelayCodec.write(HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
                    .setPeer(RelayCodec.peer(target)).build(), hop.out());
            hop.setReadDeadline(timeout);
            try {
                answer = RelayCodec.readHop(hop.in(), hop.memory());
            } catch (SocketTimeoutException e) {
                throw new IOException("relay " + toRelay.remotePeer() + " did not answer CONNECT within " + timeout, e);
            }
            // From here the stream carries the relayed connection, which may rightly be quiet.
            hop.setReadDeadline(null);
        } catch (IOException | RuntimeException e) {
            hop.reset();
            throw e;
        }
        if (answer.getType() != HopMessage.Type.STATUS || answer.getStatus() != Status.OK) {
            hop.reset();
            if (answer.getType() != HopMessage.Type.STATUS) {
                throw new RelayProtocolException("relay " + toRelay.remotePeer() + " answered CONNECT with "
                        + answer.getType());
            }
            throw new RelayRefusedException("CONNECT to " + target + " via " + toRelay.remotePeer(), answer.getStatus());
        }
        CircuitLimit limit = RelayCodec.limit(answer);
        return new CircuitConnection(hop, circuitAddress(toRelay), limit);
    }

    @Override
    public boolean canListen(Multiaddr address) {
        List<Component> components = address.components();
        return !components.isEmpty() && components.getLast().protocol() == Protocol.P2P_CIRCUIT
                && relayPart(address).peerId().isPresent() && !relayPart(address).isCircuit();
    }

    /**
     * Reserves on the relay {@code address} names; the listener's addresses are the reservation's. Circuits
     * arrive over stop streams, from this relay or others, and go to the host through its
     * {@link Host#acceptInbound}, which counts them as {@code inbound} would; so {@code inbound} is not kept here.
     */
    @Override
    public TransportListener listen(Multiaddr address, InboundHandler inbound) throws IOException {
        Reservations.Reservation reservation = reservations.reserve(relayPart(address));
        return new ReservationListener(address, reservation.relay(), reservations);
    }

    /** A reservation seen as a listening address; closing it cancels the reservation. */
    private record ReservationListener(Multiaddr address, PeerId relay, Reservations reservations)
            implements TransportListener {
        @Override
        public List<Multiaddr> dialableAddresses() {
            return reservations.reservation(relay).map(Reservations.Reservation::circuitAddresses).orElse(List.of());
        }

        @Override
        public void close() {
            reservations.cancel(relay);
        }
    }

    /**
     * Serves a relay's stop stream: on a valid CONNECT answers OK and hands the stream to the host as an
     * inbound raw connection. A relay that sends no CONNECT within the relay deadline has the stream reset. The host closes a handler's stream when the handler returns, so this waits
     * until the relayed connection has ended.
     */
    private void serveStop(Stream stream) throws IOException {
        PeerId relay = stream.remotePeer();
        StopMessage request;
        PeerId source;
        try {
            stream.setReadDeadline(host.config().limits().deadlines().relay());
            request = RelayCodec.readStop(stream.in(), stream.memory());
            // Answered, or from here the stream carries the relayed connection, which may rightly be quiet.
            stream.setReadDeadline(null);
            if (request.getType() != StopMessage.Type.CONNECT) {
                answerStop(stream, Status.UNEXPECTED_MESSAGE);
                return;
            }
            source = RelayCodec.peerId(request.getPeer());
        } catch (RelayProtocolException e) {
            log.debug("bad stop request from relay {}: {}", relay, e.getMessage());
            answerStop(stream, Status.MALFORMED_MESSAGE);
            return;
        }
        if (stream.connection().isRelayed()
                || !acceptFromAnyRelay && reservations.reservation(relay).isEmpty()) {
            answerStop(stream, Status.PERMISSION_DENIED);
            return;
        }
        answerStop(stream, Status.OK);
        log.debug("relayed connection from {} via {}", source, relay);
        CircuitLimit limit = RelayCodec.limit(request);
        CircuitConnection circuit = new CircuitConnection(stream, circuitAddress(stream.connection()), limit);
        host.acceptInbound(circuit);
        try {
            circuit.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            circuit.close();
        }
    }

    private static void answerStop(Stream stream, Status status) throws IOException {
        RelayCodec.write(StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(status).build(),
                stream.out());
    }

    /** An open direct connection to the relay {@code relayAddress} names, dialling it if there is none. */
    static Connection connectToRelay(Host host, Multiaddr relayAddress) throws IOException {
        PeerId relay = relayAddress.peerId().orElseThrow(
                () -> new IOException("relay address " + relayAddress + " does not end in /p2p/<relay>"));
        Optional<Connection> existing = host.connection(relay).filter(c -> !c.isRelayed());
        if (existing.isPresent()) {
            return existing.get();
        }
        Connection connection = relayAddress.withoutPeerId().components().isEmpty()
                ? host.connect(relay) : host.dial(relayAddress);
        if (connection.isRelayed()) {
            throw new IOException("relay " + relay + " is reachable only through another relay");
        }
        return connection;
    }

    /** The part before {@code /p2p-circuit}: the relay's address ending in {@code /p2p/<relay>}. */
    private static Multiaddr relayPart(Multiaddr address) {
        return address.decapsulate(Protocol.P2P_CIRCUIT);
    }

    /** {@code <relay's address>/p2p/<relay>/p2p-circuit}, the address of both ends of a circuit via that relay. */
    private static Multiaddr circuitAddress(Connection toRelay) {
        return toRelay.remoteAddress().withPeerId(toRelay.remotePeer())
                .encapsulate(Reservations.CIRCUIT);
    }
}
