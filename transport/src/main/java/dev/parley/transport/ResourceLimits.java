package dev.parley.transport;

import dev.parley.transport.memory.MemoryLimits;
import java.time.Duration;

/**
 * Every limit the host enforces against remote peers, in one place (transport/README.md, "Resource limits" and
 * "Memory and deadlines"). The defaults follow go-libp2p's resource manager.
 *
 * @param maxConnections               connections open at once, all peers together
 * @param maxConnectionsPerPeer        connections open at once to one peer
 * @param maxPendingUpgrades           inbound connections still in their handshake at once; more are closed
 *                                     unanswered, so a flood of silent sockets cannot pile up
 * @param maxInboundStreams            streams a remote may have open on one connection
 * @param maxInboundStreamsPerProtocol streams a remote may have open for one protocol on one connection
 * @param maxStreamWindow              largest Yamux receive window, which bounds what one stream buffers
 * @param upgradeTimeout               time a new connection gets for multistream, Noise and Yamux set-up
 * @param negotiationTimeout           time an inbound stream gets to name its protocol
 * @param inbound                      the share of the pending handshakes and connections one address or subnet
 *                                     may hold, so that no single source fills the totals above
 * @param memory                       the memory budget per stream, connection, peer and node that buffers
 *                                     reserve from, and the stall timeout of writes
 * @param deadlines                    how long identify, AutoNAT and relay wait for a peer's next message
 */
public record ResourceLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxPendingUpgrades,
        int maxInboundStreams,
        int maxInboundStreamsPerProtocol,
        int maxStreamWindow,
        Duration upgradeTimeout,
        Duration negotiationTimeout,
        InboundLimits inbound,
        MemoryLimits memory,
        ProtocolDeadlines deadlines) {

    public static ResourceLimits defaults() {
        return new ResourceLimits(1024, 8, 64, 256, 64, 16 * 1024 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(10), InboundLimits.defaults(), MemoryLimits.defaults(),
                ProtocolDeadlines.defaults());
    }

    public ResourceLimits withMaxConnectionsPerPeer(int connections) {
        return new ResourceLimits(maxConnections, connections, maxPendingUpgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, inbound, memory,
                deadlines);
    }

    public ResourceLimits withMaxPendingUpgrades(int upgrades) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, upgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, inbound, memory,
                deadlines);
    }

    public ResourceLimits withMaxInboundStreams(int perConnection, int perProtocol) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingUpgrades, perConnection,
                perProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, inbound, memory,
                deadlines);
    }

    public ResourceLimits withUpgradeTimeout(Duration timeout) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingUpgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, timeout, negotiationTimeout, inbound, memory,
                deadlines);
    }

    public ResourceLimits withInbound(InboundLimits limits) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingUpgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, limits, memory,
                deadlines);
    }

    public ResourceLimits withMemory(MemoryLimits limits) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingUpgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, inbound, limits,
                deadlines);
    }

    public ResourceLimits withDeadlines(ProtocolDeadlines protocolDeadlines) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingUpgrades, maxInboundStreams,
                maxInboundStreamsPerProtocol, maxStreamWindow, upgradeTimeout, negotiationTimeout, inbound, memory,
                protocolDeadlines);
    }
}
