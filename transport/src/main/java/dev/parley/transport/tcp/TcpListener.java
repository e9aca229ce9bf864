package dev.parley.transport.tcp;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.spi.Admission;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.TransportListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP socket. Its accept loop asks the {@link InboundHandler} to admit each new connection, closes a
 * refused one there and then, and hands an admitted one over on a virtual thread.
 */
public final class TcpListener implements TransportListener {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    private static final int BACKLOG = 512;

    private final ServerSocket server;
    private final Multiaddr address;
    private final Thread acceptLoop;

    private TcpListener(ServerSocket server, InboundHandler inbound) {
        this.server = server;
        this.address = Multiaddr.fromSocketAddress((InetSocketAddress) server.getLocalSocketAddress());
        this.acceptLoop = Thread.ofVirtual().name("tcp-accept " + address).start(() -> accept(inbound));
    }

    /** Binds {@code listenAddress} ({@code /ip4|ip6/…/tcp/PORT}, port 0 for any) and starts accepting. */
    public static TcpListener bind(Multiaddr listenAddress, InboundHandler inbound) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            // Hole punching (DCUtR) dials out from this very port, which Linux allows only when the listening
            // socket too has SO_REUSEPORT.
            if (server.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.bind(listenAddress.toSocketAddress(), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
        }
        return new TcpListener(server, inbound);
    }

    @Override
    public Multiaddr address() {
        return address;
    }

    /** The addresses others can dial: see {@link #dialableAddresses(InetAddress, int, Multiaddr)}. */
    @Override
    public List<Multiaddr> dialableAddresses() {
        return dialableAddresses(server.getInetAddress(), server.getLocalPort(), address);
    }

    /**
     * The TCP addresses others can dial a socket bound to {@code bound}:{@code port} at: the bound one, or for a
     * wildcard bind ({@code 0.0.0.0}, {@code ::}) one per address of every interface that is up, of the same IP
     * family. {@code boundAddress} is the answer when the interfaces cannot be listed.
     */
    public static List<Multiaddr> dialableAddresses(InetAddress bound, int port, Multiaddr boundAddress) {
        if (!bound.isAnyLocalAddress()) {
            return List.of(boundAddress);
        }
        List<Multiaddr> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress ip : Collections.list(nic.getInetAddresses())) {
                    if (ip.getClass() == bound.getClass() && !ip.isLinkLocalAddress()) {
                        found.add(Multiaddr.fromSocketAddress(new InetSocketAddress(ip, port)));
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
            return List.of(boundAddress);
        }
        return found;
    }

    private void accept(InboundHandler inbound) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Optional<Admission> admission = inbound.admit((InetSocketAddress) socket.getRemoteSocketAddress(),
                        socket);
                if (admission.isEmpty()) {
                    closeQuietly(socket);
                    continue;
                }
                Thread.ofVirtual().name("tcp-inbound " + socket.getRemoteSocketAddress())
                        .start(() -> hand(socket, admission.get(), inbound));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("accept failed on {}: {}", address, e.getMessage());
                }
            }
        }
    }

    private static void hand(Socket socket, Admission admission, InboundHandler inbound) {
        SocketConnection connection;
        try {
            connection = new SocketConnection(socket);
        } catch (IOException e) {
            log.debug("dropping inbound socket from {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
            closeQuietly(socket);
            admission.close();
            return;
        }
        inbound.accept(connection, admission);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptLoop.interrupt();
    }
}
