package dev.parley.transport;

import dev.parley.transport.dns.DnsaddrConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import java.time.Duration;

/**
 * How a {@link Host} is set up.
 *
 * @param identity    the node's key; its PeerId is the node's
 * @param limits      what remote peers may use of this node
 * @param dialTimeout time to open the TCP connection of a dial
 * @param dnsaddr     how {@code /dnsaddr} addresses are resolved before they are dialled: which DNS servers, how
 *                    long, how many lookups
 * @param peerState   how long and how much is remembered of peers not connected
 */
public record HostConfig(Ed25519PrivateKey identity, ResourceLimits limits, Duration dialTimeout,
                         DnsaddrConfig dnsaddr, PeerStateLimits peerState) {
    /** Default limits, 10 s to connect, {@code /dnsaddr} resolved by the system's DNS servers. */
    public static HostConfig of(Ed25519PrivateKey identity) {
        return new HostConfig(identity, ResourceLimits.defaults(), Duration.ofSeconds(10), DnsaddrConfig.system(),
                PeerStateLimits.defaults());
    }

    public HostConfig withLimits(ResourceLimits limits) {
        return new HostConfig(identity, limits, dialTimeout, dnsaddr, peerState);
    }

    /** These settings with {@code /dnsaddr} resolved as {@code dnsaddr} says, e.g. by a test's own DNS server. */
    public HostConfig withDnsaddr(DnsaddrConfig dnsaddr) {
        return new HostConfig(identity, limits, dialTimeout, dnsaddr, peerState);
    }

    /** These settings with peers forgotten as {@code peerState} says, e.g. after a test's short grace. */
    public HostConfig withPeerState(PeerStateLimits peerState) {
        return new HostConfig(identity, limits, dialTimeout, dnsaddr, peerState);
    }
}
