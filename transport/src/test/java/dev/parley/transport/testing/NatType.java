package dev.parley.transport.testing;

/** How a lab router translates the addresses of its LAN (transport/README.md, "Network lab"). */
public enum NatType {
    /**
     * iptables MASQUERADE: a LAN host's connections leave from the router's public address, keeping their source
     * port where it is free; unsolicited packets from the WAN are dropped. Two such NATs let a TCP simultaneous
     * open through: each side's own SYN opens the way for the other's.
     */
    PORT_RESTRICTED_CONE,
    /**
     * MASQUERADE {@code --random}: every connection gets a random public port, so the port a peer learned from one
     * connection says nothing about the next. Hole punching never gets through.
     */
    SYMMETRIC
}
