package dev.parley.transport.ws;

import dev.parley.transport.RawConnection;
import dev.parley.transport.TransportListener;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.tcp.TcpListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty server taking WebSocket upgrades on {@code /}; any other request gets 404. Each opened WebSocket goes to
 * the consumer on a virtual thread of its own, since the host's upgrade blocks.
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

    static WebSocketListener start(Multiaddr tcpAddress, Consumer<RawConnection> accepted) throws IOException {
        InetSocketAddress wanted = tcpAddress.toSocketAddress();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("ws-server " + tcpAddress);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(wanted.getAddress().getHostAddress());
        connector.setPort(wanted.getPort());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(WebSocketTransport.MAX_MESSAGE_IN);
            container.setIdleTimeout(WebSocketTransport.IDLE_TIMEOUT);
            container.addMapping("/", (request, response, callback) -> {
                WebSocketConnection connection = new WebSocketConnection();
                connection.opened().thenRun(() -> Thread.ofVirtual().name("ws-inbound " + connection)
                        .start(() -> accepted.accept(connection)));
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
