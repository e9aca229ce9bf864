package dev.parley.transport.dns;

import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code /dnsaddr} multiaddrs (multiformats/multiaddr protocols/DNSADDR.md), as the public libp2p
 * bootstrap list is written. {@code /dnsaddr/<domain>} stands for the TXT records of {@code _dnsaddr.<domain>} that
 * read {@code dnsaddr=<multiaddr>}; what follows the domain in the address must end each multiaddr taken, so
 * {@code /dnsaddr/<domain>/p2p/<peer>} takes only that peer's addresses. A taken multiaddr that is itself a
 * {@code /dnsaddr} is resolved in turn:
 *
 * <pre>
 * /dnsaddr/boot.test.example/p2p/QmA
 *   TXT _dnsaddr.boot.test.example     "dnsaddr=/dnsaddr/a.boot.test.example/p2p/QmA"     taken: ends in /p2p/QmA
 *                                      "dnsaddr=/dnsaddr/b.boot.test.example/p2p/QmB"     not taken
 *     TXT _dnsaddr.a.boot.test.example "dnsaddr=/ip4/192.0.2.1/tcp/4001/p2p/QmA"          a result
 *                                      "dnsaddr=/ip4/192.0.2.1/udp/4001/quic-v1/p2p/QmA"  a result
 * </pre>
 *
 * DNS answers are untrusted input. One resolution makes at most {@link DnsaddrConfig#maxLookups()} lookups and
 * takes at most {@link DnsaddrConfig#resolveTimeout()}; a domain that leads back to one being resolved is not
 * followed again; a record that is not {@code dnsaddr=} or whose multiaddr does not parse is skipped; at most
 * {@link #MAX_ADDRESSES} addresses are returned. The first lookup failing fails the resolution; a nested one
 * failing loses only its branch, unless no branch found anything.
 */
public final class DnsaddrResolver {
    /** What a TXT record of a dnsaddr domain starts with when it lists an address. */
    private static final String RECORD_PREFIX = "dnsaddr=";
    /** The label put before a {@code /dnsaddr} domain to name its TXT records. */
    private static final String NAME_PREFIX = "_dnsaddr.";
    /** More addresses than a peer has transports times a few interfaces; each may cost a dial attempt. */
    public static final int MAX_ADDRESSES = 64;
    /** RFC 1035 §2.3.4: 63-byte labels, 253 characters of dotted text; letters, digits, hyphens and underscores. */
    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*"
                    + "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.?");
    private static final Logger log = LoggerFactory.getLogger(DnsaddrResolver.class);

    private final DnsaddrConfig config;
    private final JndiTxtLookup dns;

    public DnsaddrResolver(DnsaddrConfig config) {
        this.config = config;
        this.dns = new JndiTxtLookup(config.servers(), config.queryTimeout());
    }

    public DnsaddrConfig config() {
        return config;
    }

    /**
     * The addresses {@code address} stands for, none of them a {@code /dnsaddr}, in the order the records
     * listed them, without repeats. Empty when the records list no address that fits.
     *
     * @throws IllegalArgumentException if {@code address} does not start with {@code /dnsaddr}
     * @throws IOException naming the domain, when its lookup fails (it does not exist, no answer in time, the
     *     server failed), or when nothing was found and a nested lookup failed or went over the limits
     */
    public List<Multiaddr> resolve(Multiaddr address) throws IOException {
        if (!address.isDnsaddr()) {
            throw new IllegalArgumentException("multiaddr " + address + " does not start with /dnsaddr/<domain>");
        }
        Resolution resolution = new Resolution(address);
        resolution.expand(address, Set.of());
        return resolution.result();
    }

    /** One call of {@link #resolve}: its budget of lookups and time, and what it found so far. */
    private final class Resolution {
        private final Multiaddr original;
        private final long deadlineNanos;
        private final Set<Multiaddr> found = new LinkedHashSet<>();
        private final List<IOException> nestedFailures = new ArrayList<>();
        private int lookups;

        Resolution(Multiaddr original) {
            this.original = original;
            this.deadlineNanos = System.nanoTime() + config.resolveTimeout().toNanos();
        }

        /**
         * Adds the addresses {@code address} stands for to {@link #found}. {@code above} holds the domains being
         * resolved on the way here, folded to lower case, so that a record leading back to one is not followed.
         */
        void expand(Multiaddr address, Set<String> above) throws IOException {
            List<Component> components = address.components();
            String domain = components.getFirst().valueText();
            String folded = domain.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
            if (above.contains(folded)) {
                log.debug("resolving {}: {} leads back to {}; not followed", original, address, domain);
                return;
            }
            List<Component> trailer = components.subList(1, components.size());
            Set<String> path = new HashSet<>(above);
            path.add(folded);
            for (String record : lookUp(domain)) {
                Optional<Multiaddr> listed = parse(record, domain).filter(candidate -> endsWith(candidate, trailer));
                if (listed.isEmpty()) {
                    continue;
                }
                if (listed.get().isDnsaddr()) {
                    try {
                        expand(listed.get(), path);
                    } catch (IOException e) {
                        nestedFailures.add(e);
                    }
                } else if (found.size() < MAX_ADDRESSES) {
                    found.add(listed.get());
                } else {
                    log.debug("resolving {}: more than {} addresses; {} and what follows left out", original,
                            MAX_ADDRESSES, listed.get());
                    return;
                }
            }
        }

        List<Multiaddr> result() throws IOException {
            if (found.isEmpty() && !nestedFailures.isEmpty()) {
                IOException failure = new IOException("resolving " + original + " found no address: "
                        + nestedFailures.getFirst().getMessage());
                nestedFailures.forEach(failure::addSuppressed);
                throw failure;
            }
            nestedFailures.forEach(e -> log.debug("resolving {}: {}", original, e.getMessage()));
            return List.copyOf(found);
        }

        private List<String> lookUp(String domain) throws IOException {
            String name = NAME_PREFIX + domain;
            if (!DNS_NAME.matcher(name).matches()) {
                throw new IOException("cannot look up '" + name + "' for " + original + ": not a DNS name of "
                        + "letters, digits, hyphens and underscores in labels of 1 to 63 characters");
            }
            if (lookups >= config.maxLookups()) {
                throw new IOException("resolving " + original + " needs more than " + config.maxLookups()
                        + " DNS lookups; TXT " + name + " was not looked up");
            }
            Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new IOException("resolving " + original + " takes longer than "
                        + config.resolveTimeout().toMillis() + " ms; TXT " + name + " was not looked up");
            }
            lookups++;
            return dns.lookUp(name, left);
        }

        private Optional<Multiaddr> parse(String record, String domain) {
            if (!record.startsWith(RECORD_PREFIX)) {
                log.debug("resolving {}: skipping a TXT record of {} that is not {}<multiaddr>", original, domain,
                        RECORD_PREFIX);
                return Optional.empty();
            }
            try {
                Multiaddr listed = Multiaddr.parse(record.substring(RECORD_PREFIX.length()).strip());
                if (listed.components().isEmpty()) {
                    throw new IllegalArgumentException("empty multiaddr");
                }
                return Optional.of(listed);
            } catch (IllegalArgumentException e) {
                log.debug("resolving {}: skipping a malformed record of {}: {}", original, domain, e.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Whether the last components of {@code address} are {@code trailer}. */
    private static boolean endsWith(Multiaddr address, List<Component> trailer) {
        List<Component> components = address.components();
        return components.size() >= trailer.size()
                && components.subList(components.size() - trailer.size(), components.size()).equals(trailer);
    }
}
