package dev.parley.transport.testing;

import java.net.InetAddress;

/**
 * A host of a {@link NetworkLab}: a network namespace whose one interface, {@code eth0}, is plugged into a lab
 * switch.
 *
 * @param name          short name for messages, {@code lan0-h1}
 * @param namespace     the network namespace, for {@code ip netns exec}
 * @param lanSwitch     the switch of its LAN
 * @param switchPort    the switch's end of the host's cable, in the switch's namespace
 * @param address       the host's IPv4 address on its LAN, 10.200.x.y
 * @param prefixLength  the LAN's prefix length
 */
public record LabHost(String name, String namespace, LabSwitch lanSwitch, String switchPort, InetAddress address,
        int prefixLength) {
    /** The host's one interface, in its namespace. */
    public static final String INTERFACE = "eth0";

    /** The address as text, {@code 10.200.0.1}. */
    public String ip() {
        return address.getHostAddress();
    }

    /** A multiaddr to listen on or dial: {@code /ip4/10.200.0.1/tcp/<port>}. */
    public String tcpMultiaddr(int port) {
        return "/ip4/" + ip() + "/tcp/" + port;
    }

    @Override
    public String toString() {
        return name + " (" + ip() + " in " + namespace + ")";
    }

    /** A LAN's switch: a bridge in a namespace of its own, so nothing of the lab touches the host's network. */
    public record LabSwitch(String namespace, String bridge) {
    }
}
