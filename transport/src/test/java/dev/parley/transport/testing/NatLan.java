package dev.parley.transport.testing;

import java.net.InetAddress;
import java.util.List;

/**
 * A home LAN behind a NAT router of a {@link NetworkLab}.
 *
 * @param router          the router's namespace
 * @param type            how the router translates
 * @param publicAddress   the router's address on the lab's internet, 203.0.113.x
 * @param uplinkPort      the internet switch's end of the router's WAN cable, in the switch's namespace
 * @param hosts           the LAN's hosts, 10.200.n.1 upwards, whose default route is the router (10.200.n.254)
 */
public record NatLan(String router, NatType type, InetAddress publicAddress, String uplinkPort, List<LabHost> hosts) {
    public NatLan {
        hosts = List.copyOf(hosts);
    }

    /** The router's public address as text. */
    public String publicIp() {
        return publicAddress.getHostAddress();
    }
}
