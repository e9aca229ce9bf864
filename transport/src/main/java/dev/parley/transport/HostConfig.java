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
 */
public record HostConfig(Ed25519PrivateKey identity, ResourceLimits limits, Duration dialTimeout,
                         DnsaddrConfig dnsaddr) {
    /** Default limits, 10 s to connect, {@code /dnsaddr} resolved by the system's DNS servers. */
    public static HostConfig of(Ed25519PrivateKey identity) {
        return new HostConfig(identity, ResourceLimits.defaults(), Duration.ofSeconds(10), DnsaddrConfig.system());
    }

    public HostConfig withLimits(ResourceLimits limits) {
        return new HostConfig(identity, limits, dialTimeout, dnsaddr);
    }

    /** These settings with {@code /dnsaddr} resolved as {@code dnsaddr} says, e.g. by a test's own DNS server. */
    public HostConfig withDnsaddr(DnsaddrConfig dnsaddr) {
        return new HostConfig(identity, limits, dialTimeout, dnsaddr);
    }
}
