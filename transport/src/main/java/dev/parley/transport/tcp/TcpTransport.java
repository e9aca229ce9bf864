package dev.parley.transport.tcp;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;

/** Plain TCP: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}. */
public final class TcpTransport implements Transport {
    @Override
    public boolean canDial(Multiaddr address) {
        return address.isTcp();
    }

    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        InetSocketAddress target = address.toSocketAddress();
        if (target.isUnresolved()) {
            target = new InetSocketAddress(target.getHostString(), target.getPort());
        }
        Socket socket = new Socket();
        try {
            socket.connect(target, (int) timeout.toMillis());
            return new SocketConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Dials {@code address} from {@code local}, a port we listen on, as TCP hole punching needs: the remote's
     * NAT lets our SYN in only if it comes from the address our own earlier packets were mapped from. Both
     * sockets on that port carry SO_REUSEPORT (see {@link TcpListener}), which is what lets this one bind.
     */
    public RawConnection dialFrom(InetSocketAddress local, Multiaddr address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(true);
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(local);
            socket.connect(address.toSocketAddress(), (int) timeout.toMillis());
            return new SocketConnection(socket);
        } catch (IOException | UnsupportedOperationException e) {
            socket.close();
            throw new IOException("cannot connect from " + local + " to " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean canListen(Multiaddr address) {
        return address.isTcp() && address.peerId().isEmpty();
    }

    @Override
    public TcpListener listen(Multiaddr address, InboundHandler inbound) throws IOException {
        return TcpListener.bind(address, inbound);
    }
}
