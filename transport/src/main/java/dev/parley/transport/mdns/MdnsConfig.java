package dev.parley.transport.mdns;

import java.time.Duration;
import java.util.List;

/**
 * How {@link MdnsDiscovery} runs.
 *
 * @param interfaces    names of the network interfaces to run on ({@code eth0}); empty for every interface that
 *                      is up, multicast-capable, not loopback and has an IPv4 address when discovery starts
 * @param queryInterval how often to ask for peers and announce ourselves; js-libp2p asks every 10 s. At least
 *                      1 s, RFC 6762's least gap between two multicasts of a record
 * @param recordTtl     the TTL of our records, whole seconds: how long others keep us after our last word, so
 *                      a node that dies without a goodbye is lost after this long. At least twice the query
 *                      interval, so that one lost packet does not lose us. js-libp2p uses 120 s
 */
public record MdnsConfig(List<String> interfaces, Duration queryInterval, Duration recordTtl) {
    public static final Duration DEFAULT_QUERY_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECORD_TTL = Duration.ofSeconds(120);
    public static final Duration MIN_QUERY_INTERVAL = Duration.ofSeconds(1);

    public MdnsConfig {
        interfaces = List.copyOf(interfaces);
        if (queryInterval.compareTo(MIN_QUERY_INTERVAL) < 0) {
            throw new IllegalArgumentException("mDNS query interval " + queryInterval + " is below the least, "
                    + MIN_QUERY_INTERVAL);
        }
        if (recordTtl.toNanos() % 1_000_000_000L != 0 || recordTtl.toSeconds() > DnsRecord.MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("mDNS record TTL " + recordTtl
                    + " is not a whole number of seconds that fits DNS's 32-bit TTL");
        }
        if (recordTtl.compareTo(queryInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("mDNS record TTL " + recordTtl + " is less than twice the query interval "
                    + queryInterval + ": one lost announcement would make peers lose us");
        }
    }

    /** Every suitable interface, js-libp2p's intervals. */
    public static MdnsConfig defaults() {
        return new MdnsConfig(List.of(), DEFAULT_QUERY_INTERVAL, DEFAULT_RECORD_TTL);
    }

    /** Only the named interfaces, js-libp2p's intervals. */
    public static MdnsConfig onInterfaces(String... names) {
        return new MdnsConfig(List.of(names), DEFAULT_QUERY_INTERVAL, DEFAULT_RECORD_TTL);
    }

    /** This config with another query interval and record TTL (checked together). */
    public MdnsConfig withTiming(Duration queryInterval, Duration recordTtl) {
        return new MdnsConfig(interfaces, queryInterval, recordTtl);
    }
}
