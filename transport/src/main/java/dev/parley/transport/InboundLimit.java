package dev.parley.transport;

/** Each limit an inbound connection can be refused by at accept, named as the log and {@link ResourceUsage} name it. */
public enum InboundLimit {
    PENDING_TOTAL("pending handshakes in total", "ResourceLimits.maxPendingUpgrades"),
    PENDING_PER_ADDRESS("pending handshakes per address", "AddressShare.pendingPerAddress"),
    PENDING_PER_SUBNET("pending handshakes per subnet", "AddressShare.pendingPerSubnet"),
    CONNECTIONS_TOTAL("connections in total", "ResourceLimits.maxConnections"),
    CONNECTIONS_PER_ADDRESS("inbound connections per address", "AddressShare.connectionsPerAddress"),
    CONNECTIONS_PER_SUBNET("inbound connections per subnet", "AddressShare.connectionsPerSubnet");

    private final String description;
    private final String setting;

    InboundLimit(String description, String setting) {
        this.description = description;
        this.setting = setting;
    }

    /** What is limited, e.g. "pending handshakes per address". */
    public String description() {
        return description;
    }

    /** Where the limit is set, e.g. "AddressShare.pendingPerAddress". */
    public String setting() {
        return setting;
    }
}
