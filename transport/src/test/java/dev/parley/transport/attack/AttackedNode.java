package dev.parley.transport.attack;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.ResourceUsage;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.ws.WebSocketTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The node under attack: a host with the default limits, serving ping, listening on 127.0.0.1 over TCP and
 * WebSocket, as {@code parley node --bootstrap none --no-mdns} does. Attackers come from 127.2.0.0/24, a /24 apart
 * from the honest peer on 127.0.0.1 (all of 127.0.0.0/8 is loopback on Linux).
 */
final class AttackedNode implements AutoCloseable {
    static final Duration BACK_TO_BASELINE = Duration.ofSeconds(60);

    final Host host;
    final Multiaddr tcp;
    final Multiaddr webSocket;

    AttackedNode() throws IOException {
        this(ResourceLimits.defaults());
    }

    AttackedNode(ResourceLimits limits) throws IOException {
        host = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(limits));
        host.addTransport(new WebSocketTransport());
        new PingService(host);
        tcp = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(host.peerId());
        webSocket = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws")).withPeerId(host.peerId());
    }

    /** The {@code n}th attacker address, 127.2.0.n. */
    static InetAddress attacker(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 2, 0, (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** How {@link dev.parley.transport.ResourceUsage} names the address of {@code ip}. */
    static String counted(InetAddress ip) {
        return ip.getHostAddress() + "/32";
    }

    InetSocketAddress tcpSocket() {
        return tcp.withoutPeerId().toSocketAddress();
    }

    InetSocketAddress webSocketSocket() {
        return Multiaddr.parse(webSocket.withoutPeerId().toString().replace("/ws", "")).toSocketAddress();
    }

    ResourceUsage usage() {
        return host.resources();
    }

    /** Whether nothing is held any more: no pending handshake, no inbound connection, no connection. */
    boolean atBaseline() {
        ResourceUsage usage = usage();
        return usage.pendingHandshakes() == 0 && usage.inboundConnections() == 0 && usage.connections() == 0
                && usage.inboundPerAddress().isEmpty();
    }

    @Override
    public void close() {
        host.close();
    }
}
