package dev.parley.transport;

import java.util.Map;

/**
 * A snapshot of what remote peers hold of a {@link Host} and of what it refused them ({@link Host#resources()}).
 * Addresses are written as the prefix they are counted by: {@code 192.0.2.7/32}, {@code 2001:db8:0:1:0:0:0:0/64}.
 *
 * @param pendingHandshakes  inbound connections still in their handshake
 * @param inboundConnections inbound connections admitted and not closed yet, those in their handshake included
 * @param connections        upgraded connections open, both directions
 * @param pendingPerAddress  pending handshakes per address that has any
 * @param inboundPerAddress  inbound connections per address that has any
 * @param refused            inbound connections refused at accept so far, per limit that refused them
 */
public record ResourceUsage(int pendingHandshakes, int inboundConnections, int connections,
                            Map<String, Integer> pendingPerAddress, Map<String, Integer> inboundPerAddress,
                            Map<InboundLimit, Long> refused) {
    public ResourceUsage {
        pendingPerAddress = Map.copyOf(pendingPerAddress);
        inboundPerAddress = Map.copyOf(inboundPerAddress);
        refused = Map.copyOf(refused);
    }

    /** Inbound connections {@code limit} refused so far. */
    public long refused(InboundLimit limit) {
        return refused.getOrDefault(limit, 0L);
    }

    /** Inbound connections refused so far, by any limit. */
    public long refusedInAll() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }
}
