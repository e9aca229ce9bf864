package dev.parley.transport.ws;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.spi.Admission;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.TransportListener;
import dev.parley.transport.tcp.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty server taking WebSocket upgrades on {@code /}; any other request gets 404. Each TCP connection is offered
 * to the host's {@link InboundHandler#admit} as it is accepted, before Jetty reads its HTTP request, and closed there
 * and then if refused, so an upgrade flood from one address costs only that address's share. Each opened WebSocket
 * goes to the host on a virtual thread of its own, since the host's upgrade blocks.
 */
final class WebSocketListener implements TransportListener {
    private static final Multiaddr WS = Multiaddr.parse("/ws");
    /**
     * Jetty's threads per server: its selector and acceptor, and short tasks that hand messages to our readers (who
     * block on virtual threads of their own), so a few suffice where Jetty's default keeps eight idle. (The client
     * keeps Jetty's default pool: its API takes no executor for the WebSocket part.)
     */
    private static final int MIN_THREADS = 2;
    private static final int MAX_THREADS = 16;
    private static final Logger log = LoggerFactory.getLogger(WebSocketListener.class);

    private final Server server;
    private final InetSocketAddress bound;
    private final Multiaddr address;

    private WebSocketListener(Server server, InetSocketAddress bound) {
        this.server = server;
        this.bound = bound;
        this.address = Multiaddr.fromSocketAddress(bound).encapsulate(WS);
    }

    static WebSocketListener start(Multiaddr tcpAddress, InboundHandler inbound) throws IOException {
        InetSocketAddress wanted = tcpAddress.toSocketAddress();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("ws-server " + tcpAddress);
        Server server = new Server(threads);
        ServerConnector connector = new AdmittingConnector(server, inbound);
        connector.setHost(wanted.getAddress().getHostAddress());
        connector.setPort(wanted.getPort());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(WebSocketTransport.MAX_MESSAGE_IN);
            container.setIdleTimeout(WebSocketTransport.IDLE_TIMEOUT);
            container.addMapping("/", (request, response, callback) -> {
                Admission admission = admissionOf(request.getConnectionMetaData().getConnection().getEndPoint());
                WebSocketConnection connection = new WebSocketConnection();
                connection.opened().thenRun(() -> Thread.ofVirtual().name("ws-inbound " + connection)
                        .start(() -> inbound.accept(connection, admission)));
                return connection;
            });
        }));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException("cannot listen on " + tcpAddress.encapsulate(WS) + ": " + e.getMessage(), e);
        }
        return new WebSocketListener(server, new InetSocketAddress(wanted.getAddress(), connector.getLocalPort()));
    }

    private static Admission admissionOf(EndPoint endPoint) {
        if (endPoint instanceof AdmittedEndPoint admitted) {
            return admitted.admission;
        }
        throw new IllegalStateException("a WebSocket upgrade on " + endPoint + ", which the listener did not admit");
    }

    /**
     * A connector whose acceptor asks the host to admit each accepted connection: refused, it is closed before it
     * reaches Jetty's selector; admitted, its admission rides on its endpoint, which gives it back when it closes.
     */
    private static final class AdmittingConnector extends ServerConnector {
        private final InboundHandler inbound;

        AdmittingConnector(Server server, InboundHandler inbound) {
            super(server);
            this.inbound = inbound;
        }

        /** As Jetty's own accept, with the admission between accepting the channel and selecting on it. */
        @Override
        public void accept(int acceptorId) throws IOException {
            if (!(getTransport() instanceof ServerSocketChannel acceptChannel) || !acceptChannel.isOpen()) {
                return;
            }
            SocketChannel channel = acceptChannel.accept();
            Optional<Admission> admission = inbound.admit((InetSocketAddress) channel.getRemoteAddress(), channel);
            if (admission.isEmpty()) {
                channel.close();
                return;
            }
            try {
                channel.configureBlocking(false);
                configure(channel.socket());
                getSelectorManager().accept(channel, admission.get());
            } catch (IOException | RuntimeException e) {
                channel.close();
                admission.get().close();
                throw e;
            }
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
            AdmittedEndPoint endPoint = new AdmittedEndPoint(channel, selector, key, getScheduler(),
                    (Admission) key.attachment());
            endPoint.setIdleTimeout(getIdleTimeout());
            return endPoint;
        }
    }

    /** An accepted connection's endpoint, holding its admission until it closes. */
    private static final class AdmittedEndPoint extends SocketChannelEndPoint {
        private final Admission admission;

        AdmittedEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                         Admission admission) {
            super(channel, selector, key, scheduler);
            this.admission = admission;
        }

        @Override
        public void onClose(Throwable cause) {
            try {
                super.onClose(cause);
            } finally {
                admission.close();
            }
        }
    }

    @Override
    public Multiaddr address() {
        return address;
    }

    @Override
    public List<Multiaddr> dialableAddresses() {
        return TcpListener.dialableAddresses(bound.getAddress(), bound.getPort(), address.decapsulate(Protocol.WS))
                .stream().map(tcp -> tcp.encapsulate(WS)).toList();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("stopping {}: {}", server, e.getMessage());
        }
    }
}
