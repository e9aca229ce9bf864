package dev.parley.transport.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link DnsaddrResolver} asks DNS.
 *
 * @param servers        the DNS servers to ask, in order; empty for the system's resolvers (on Linux, the
 *                       {@code nameserver} lines of {@code /etc/resolv.conf})
 * @param queryTimeout   how long one query waits for a server before asking again (each try waits twice as long
 *                       as the one before) or asking the next server
 * @param resolveTimeout how long a whole resolution may take, nested lookups included
 * @param maxLookups     how many TXT lookups one resolution may make, the first included; bounds a deep or wide
 *                       tree of nested {@code /dnsaddr} records
 */
public record DnsaddrConfig(List<InetSocketAddress> servers, Duration queryTimeout, Duration resolveTimeout,
                            int maxLookups) {
    /** As js-libp2p's multiaddr resolver: 32 lookups deep. */
    public static final int DEFAULT_MAX_LOOKUPS = 32;

    public DnsaddrConfig {
        servers = List.copyOf(servers);
        for (InetSocketAddress server : servers) {
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("DNS server " + server
                        + " must be given by IP address: a name would need DNS to find DNS");
            }
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero() || resolveTimeout.isNegative()
                || resolveTimeout.isZero()) {
            throw new IllegalArgumentException("DNS timeouts must be positive; got " + queryTimeout + " per query and "
                    + resolveTimeout + " per resolution");
        }
        if (maxLookups < 1) {
            throw new IllegalArgumentException("a resolution needs at least one lookup; got " + maxLookups);
        }
    }

    /** The system's resolvers, a second per query, ten per resolution, {@link #DEFAULT_MAX_LOOKUPS} lookups. */
    public static DnsaddrConfig system() {
        return new DnsaddrConfig(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(10), DEFAULT_MAX_LOOKUPS);
    }

    /** These settings, asking {@code servers} instead, e.g. a test's own DNS server on loopback. */
    public DnsaddrConfig withServers(InetSocketAddress... servers) {
        return new DnsaddrConfig(List.of(servers), queryTimeout, resolveTimeout, maxLookups);
    }

    public DnsaddrConfig withTimeouts(Duration queryTimeout, Duration resolveTimeout) {
        return new DnsaddrConfig(servers, queryTimeout, resolveTimeout, maxLookups);
    }
}
