package dev.parley.transport;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.yamux.YamuxConfig;
import dev.parley.transport.yamux.YamuxSession;
import dev.parley.transport.yamux.YamuxStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Turns a raw TCP socket into a {@link Connection}: multistream-select picks {@code /noise}, Noise XX
 * authenticates the peer and encrypts, multistream-select picks {@code /yamux/1.0.0} inside the secure
 * channel, and Yamux multiplexes streams over it.
 */
final class ConnectionUpgrader {
    /**
     * Socket buffer size. Small, because it only saves system calls while multistream-select reads byte by
     * byte: Noise reads and writes whole frames in buffers of its own, which a read this size or larger
     * bypasses. Every connection holds two.
     */
    private static final int IO_BUFFER = 8 * 1024;

    private final Ed25519PrivateKey identity;
    private final ResourceLimits limits;
    private final YamuxConfig muxerConfig;

    ConnectionUpgrader(Ed25519PrivateKey identity, ResourceLimits limits) {
        this.identity = identity;
        this.limits = limits;
        YamuxConfig defaults = YamuxConfig.defaults();
        this.muxerConfig = new YamuxConfig(defaults.initialWindow(), limits.maxStreamWindow(),
                limits.maxInboundStreams(), limits.maxStreamWindow(), defaults.keepAliveInterval(),
                defaults.pingTimeout());
    }

    /**
     * Upgrades a socket. {@code expectedPeer} (outbound only, may be null) must match the peer Noise
     * authenticates. {@code inboundStreams} receives each stream the remote opens, on its own virtual thread.
     * The socket is closed if the upgrade fails.
     */
    Connection upgrade(Socket socket, Direction direction, PeerId expectedPeer,
                       BiConsumer<Connection, YamuxStream> inboundStreams) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) limits.upgradeTimeout().toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream(), IO_BUFFER);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), IO_BUFFER);
            boolean initiator = direction == Direction.OUTBOUND;

            negotiate(in, out, initiator, NoiseHandshake.PROTOCOL_ID);
            SecureChannel channel = initiator
                    ? NoiseHandshake.initiate(in, out, identity, expectedPeer)
                    : NoiseHandshake.respond(in, out, identity);
            negotiate(channel.in(), channel.out(), initiator, YamuxSession.PROTOCOL_ID);
            socket.setSoTimeout(0);

            Connection connection = new Connection(channel.remotePeer(),
                    Multiaddr.fromSocketAddress((InetSocketAddress) socket.getLocalSocketAddress()),
                    Multiaddr.fromSocketAddress((InetSocketAddress) socket.getRemoteSocketAddress()),
                    direction);
            YamuxSession session = new YamuxSession(channel.in(), channel.out(), initiator, muxerConfig,
                    stream -> inboundStreams.accept(connection, stream));
            connection.attach(session);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void negotiate(InputStream in, OutputStream out, boolean initiator, String protocol)
            throws IOException {
        if (initiator) {
            MultistreamSelect.select(in, out, List.of(protocol));
        } else {
            MultistreamSelect.respond(in, out, protocol::equals, () -> List.of(protocol));
        }
    }
}
