package dev.parley.transport;

import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Protocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where an inbound connection comes from, as {@link ResourceManager} counts it: an address and the subnet around
 * it, each written as a prefix (see {@link AddressShare} for the prefix lengths and why).
 *
 * @param address  e.g. {@code 192.0.2.7/32}, {@code 2001:db8:0:1:0:0:0:0/64}
 * @param subnet   e.g. {@code 192.0.2.0/24}, {@code 2001:db8:0:0:0:0:0:0/48}
 * @param loopback whether the address is a loopback one, which has a share of its own
 */
record InboundSource(String address, String subnet, boolean loopback) {
    static final int IPV4_ADDRESS_BITS = 32;
    static final int IPV4_SUBNET_BITS = 24;
    static final int IPV6_ADDRESS_BITS = 64;
    static final int IPV6_SUBNET_BITS = 48;

    static InboundSource of(InetAddress ip) {
        boolean v4 = ip instanceof Inet4Address;
        return new InboundSource(prefix(ip, v4 ? IPV4_ADDRESS_BITS : IPV6_ADDRESS_BITS),
                prefix(ip, v4 ? IPV4_SUBNET_BITS : IPV6_SUBNET_BITS), ip.isLoopbackAddress());
    }

    /**
     * The source of a connection from {@code remote}; empty for one without an IP address of its own, such as a
     * relayed connection, whose relay's address says nothing about who is at its far end.
     */
    static Optional<InboundSource> of(Multiaddr remote) {
        if (remote == null || remote.isCircuit()) {
            return Optional.empty();
        }
        List<Component> components = remote.components();
        if (components.isEmpty()) {
            return Optional.empty();
        }
        Component first = components.getFirst();
        if (first.protocol() != Protocol.IP4 && first.protocol() != Protocol.IP6) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(InetAddress.getByAddress(first.value())));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String prefix(InetAddress ip, int bits) {
        byte[] bytes = ip.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(bits - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xFF00 >> keep);
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }
}
