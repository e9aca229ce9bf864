package dev.parley.transport.ws;

import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Protocol;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.spi.Transport;
import dev.parley.transport.spi.TransportListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket, {@code /ip4|ip6|dns*}{@code /<host>/tcp/<port>/ws}, with Jetty 12: for networks that let only web
 * traffic through. Listening runs a Jetty server at that address taking upgrades on {@code /}; dialling opens
 * {@code ws://<host>:<port>/}. What flows is then a byte stream like TCP's (see {@link WebSocketConnection}).
 */
public final class WebSocketTransport implements Transport {
    /** Largest message taken: a js-libp2p peer sends each Noise frame as one message, at most 65,537 bytes. */
    static final long MAX_MESSAGE_IN = 1024 * 1024;
    /** Yamux pings every 30 s, so a quiet but live connection never comes near this. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    private final ReentrantLock clientLock = new ReentrantLock();
    private WebSocketClient client;

    @Override
    public boolean canDial(Multiaddr address) {
        return tcpPart(address).isPresent();
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        InetSocketAddress target = tcpPart(address)
                .orElseThrow(() -> new IOException("not a WebSocket address: " + address)).toSocketAddress();
        String host = target.getHostString().contains(":") ? "[" + target.getHostString() + "]" : target.getHostString();
        WebSocketConnection connection = new WebSocketConnection();
        CompletableFuture<Session> upgrade = null;
        try {
            upgrade = client().connect(connection, URI.create("ws://" + host + ":" + target.getPort() + "/"));
            upgrade.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return connection;
        } catch (ExecutionException e) {
            throw new IOException("cannot connect to " + address + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            upgrade.cancel(true);
            connection.close();
            throw new IOException("cannot connect to " + address + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted connecting to " + address, e);
        }
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return address.peerId().isEmpty()
                && tcpPart(address).filter(tcp -> !tcp.toSocketAddress().isUnresolved()).isPresent();
    }

    @Override
    public TransportListener listen(Multiaddr address, InboundHandler inbound) throws IOException {
        return WebSocketListener.start(tcpPart(address)
                .orElseThrow(() -> new IOException("not a WebSocket address: " + address)), inbound);
    }

    @Override
    public void close() {
        clientLock.lock();
        try {
            if (client != null) {
                client.stop();
            }
        } catch (Exception e) {
            log.debug("stopping the WebSocket client: {}", e.getMessage());
        } finally {
            clientLock.unlock();
        }
    }

    /** The client, started at the first dial: a node that never dials WebSocket has no threads for it. */
    private WebSocketClient client() throws IOException {
        clientLock.lock();
        try {
            if (client == null) {
                WebSocketClient started = new WebSocketClient();
                started.setMaxBinaryMessageSize(MAX_MESSAGE_IN);
                started.setIdleTimeout(IDLE_TIMEOUT);
                started.start();
                client = started;
            }
            return client;
        } catch (Exception e) {
            throw new IOException("cannot start the WebSocket client: " + e.getMessage(), e);
        } finally {
            clientLock.unlock();
        }
    }

    /** {@code /ip4/h/tcp/p} of {@code /ip4/h/tcp/p/ws[/p2p/id]}; empty for any other address. */
    static Optional<Multiaddr> tcpPart(Multiaddr address) {
        List<Component> components = address.withoutPeerId().components();
        if (components.isEmpty() || components.getLast().protocol() != Protocol.WS) {
            return Optional.empty();
        }
        Multiaddr tcp = Multiaddr.of(components.subList(0, components.size() - 1).toArray(Component[]::new));
        return tcp.isTcp() ? Optional.of(tcp) : Optional.empty();
    }
}
