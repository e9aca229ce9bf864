package dev.parley.transport;

/**
 * How much of this node one source of inbound connections may hold: one address, and the subnet around it
 * (transport/README.md, "Resource limits"). An IPv4 address counts as itself and its subnet is its /24; an IPv6
 * "address" is its /64, since a host picks any address in its /64 at will, and its subnet is its /48.
 *
 * @param pendingPerAddress     connections from one address still in their handshake
 * @param pendingPerSubnet      connections from one subnet still in their handshake
 * @param connectionsPerAddress inbound connections from one address, those in their handshake included
 * @param connectionsPerSubnet  inbound connections from one subnet, those in their handshake included
 */
public record AddressShare(int pendingPerAddress, int pendingPerSubnet, int connectionsPerAddress,
                           int connectionsPerSubnet) {
    public AddressShare {
        if (pendingPerAddress < 1 || pendingPerSubnet < pendingPerAddress || connectionsPerAddress < pendingPerAddress
                || connectionsPerSubnet < connectionsPerAddress) {
            throw new IllegalArgumentException("an address share needs 1 <= pending per address <= pending per subnet,"
                    + " and connections per address at least pending per address and at most connections per subnet: "
                    + this);
        }
    }
}
