package dev.parley.transport.tcp;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.spi.RawConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A connected TCP socket as a {@link RawConnection}. */
public final class SocketConnection implements RawConnection {
    private final Socket socket;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;

    public SocketConnection(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        this.socket = socket;
        this.localAddress = Multiaddr.fromSocketAddress((InetSocketAddress) socket.getLocalSocketAddress());
        this.remoteAddress = Multiaddr.fromSocketAddress((InetSocketAddress) socket.getRemoteSocketAddress());
    }

    @Override
    public InputStream in() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "tcp " + localAddress + " <-> " + remoteAddress;
    }
}
