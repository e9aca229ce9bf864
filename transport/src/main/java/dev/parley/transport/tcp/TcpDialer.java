package dev.parley.transport.tcp;

import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens outbound TCP connections to {@code /ip4|ip6|dns*}{@code /…/tcp/PORT} addresses. */
public final class TcpDialer {
    private TcpDialer() {
    }

    public static Socket dial(Multiaddr address, Duration timeout) throws IOException {
        InetSocketAddress target = address.toSocketAddress();
        if (target.isUnresolved()) {
            target = new InetSocketAddress(target.getHostString(), target.getPort());
        }
        Socket socket = new Socket();
        try {
            socket.connect(target, (int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }
}
