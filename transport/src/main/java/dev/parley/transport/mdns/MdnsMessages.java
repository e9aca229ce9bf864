package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.transport.AddressBook;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p's mDNS discovery messages (specs: discovery/mdns.md) as DNS messages, written and read the way
 * js-libp2p's {@code @libp2p/mdns} does so that the two find each other:
 *
 * <pre>
 * query:    question  _p2p._udp.local PTR
 * response: answers   _p2p._udp.local PTR &lt;peer-name&gt;._p2p._udp.local
 *                     &lt;peer-name&gt;._p2p._udp.local TXT "dnsaddr=&lt;multiaddr&gt;/p2p/&lt;peer id&gt;"   one per address
 *           additional &lt;peer-name&gt;._p2p._udp.local SRV 0 0 &lt;port&gt; &lt;peer-name&gt;.local
 *                     &lt;peer-name&gt;.local A / AAAA &lt;ip&gt;                                 for DNS-SD browsers
 * goodbye:  answers   _p2p._udp.local PTR &lt;peer-name&gt;._p2p._udp.local  with TTL 0
 * </pre>
 *
 * js puts the TXT records among the answers (the spec says additional records); it reads both sections, and
 * so does this class. A goodbye carries the PTR only: js takes any response with a PTR and TXT records as a
 * sighting whatever their TTL, so TXT records in a goodbye would make js discover a departing peer.
 */
final class MdnsMessages {
    static final DnsName SERVICE = DnsName.parse("_p2p._udp.local");
    /** DNS-SD's service enumeration name (RFC 6763 §9), answered so browsers list libp2p. */
    static final DnsName SERVICES = DnsName.parse("_services._dns-sd._udp.local");
    static final DnsName LOCAL = DnsName.parse("local");
    static final String DNSADDR = "dnsaddr=";
    /** Addresses announced or taken from one peer: the address book's limit per peer. */
    static final int MAX_ADDRESSES = AddressBook.MAX_ADDRESSES_PER_PEER;
    /**
     * Longest TTL taken from a record, RFC 6762's 75 minutes (§10): a peer cannot pin itself into our list for
     * days, and expiry times stay far from overflow.
     */
    static final long MAX_TTL_SECONDS = 4500;

    private static final Logger log = LoggerFactory.getLogger(MdnsMessages.class);

    private MdnsMessages() {
    }

    /** Who this node is on mDNS: a random peer name (not the PeerId, which may outgrow a DNS label). */
    record Self(String peerName, PeerId peerId) {
        DnsName instance() {
            return SERVICE.prepend(peerName);
        }

        DnsName hostName() {
            return LOCAL.prepend(peerName);
        }
    }

    /** What a query asks this node to send. */
    record Asked(boolean announcement, boolean services) {
        boolean anything() {
            return announcement || services;
        }
    }

    /** What a response says about a peer. */
    sealed interface Sighting {
        DnsName instance();

        /** The peer at {@code instance} is there, at these addresses (without {@code /p2p/}), for ttl seconds. */
        record Announced(DnsName instance, PeerId peer, List<Multiaddr> addresses, long ttlSeconds)
                implements Sighting {
            public Announced {
                addresses = List.copyOf(addresses);
            }
        }

        /** The peer at {@code instance} has left (its PTR came with TTL 0). */
        record Departed(DnsName instance) implements Sighting {
        }
    }

    /** The query for all peers. Our own PTR goes along as a known answer, so we do not answer ourselves. */
    static DnsMessage query(Self self, long ttlSeconds) {
        return DnsMessage.query(List.of(DnsQuestion.of(SERVICE, DnsType.PTR)),
                List.of(DnsRecord.of(SERVICE, false, ttlSeconds, new RecordData.Ptr(self.instance()))));
    }

    /**
     * A response: the announcement of {@code addresses} (none: no announcement) and, if asked, the DNS-SD
     * service enumeration answer. Only TCP addresses are announced, those whose TXT string would exceed 255
     * bytes are left out, and at most {@link #MAX_ADDRESSES} go.
     */
    static DnsMessage response(Self self, List<Multiaddr> addresses, long ttlSeconds, boolean services) {
        List<DnsRecord> answers = new ArrayList<>();
        List<DnsRecord> additionals = new ArrayList<>();
        List<Multiaddr> announced = addresses.stream()
                .filter(Multiaddr::isTcp)
                .filter(address -> fitsTxt(address.withPeerId(self.peerId())))
                .limit(MAX_ADDRESSES)
                .toList();
        if (!announced.isEmpty()) {
            DnsName instance = self.instance();
            answers.add(DnsRecord.of(SERVICE, false, ttlSeconds, new RecordData.Ptr(instance)));
            for (Multiaddr address : announced) {
                answers.add(DnsRecord.of(instance, true, ttlSeconds,
                        RecordData.Txt.of(DNSADDR + address.withPeerId(self.peerId()))));
            }
            additionals.addAll(serviceLocation(self, announced, ttlSeconds));
        }
        if (services) {
            answers.add(DnsRecord.of(SERVICES, false, ttlSeconds, new RecordData.Ptr(SERVICE)));
        }
        return DnsMessage.response(answers, additionals);
    }

    /** RFC 6762 §10.1: the same PTR with TTL 0 tells caches to drop it. */
    static DnsMessage goodbye(Self self) {
        return DnsMessage.response(
                List.of(DnsRecord.of(SERVICE, false, 0, new RecordData.Ptr(self.instance()))), List.of());
    }

    /**
     * Which of our records a query asks for: the announcement for the peer query, a query for our instance
     * name (TXT, SRV) or host name (A, AAAA), unless the asker lists our PTR as a known answer with at least
     * half its TTL left (RFC 6762 §7.1); the service enumeration for DNS-SD's meta query.
     */
    static Asked asked(DnsMessage query, Self self, long ttlSeconds) {
        DnsName instance = self.instance();
        DnsName host = self.hostName();
        boolean announcement = false;
        boolean services = false;
        for (DnsQuestion question : query.questions()) {
            announcement |= question.asks(SERVICE, DnsType.PTR)
                    || question.asks(instance, DnsType.TXT) || question.asks(instance, DnsType.SRV)
                    || question.asks(host, DnsType.A) || question.asks(host, DnsType.AAAA);
            services |= question.asks(SERVICES, DnsType.PTR);
        }
        boolean known = query.answers().stream().anyMatch(answer -> answer.isInternet()
                && answer.name().equals(SERVICE)
                && answer.data() instanceof RecordData.Ptr(DnsName target) && target.equals(instance)
                && answer.ttlSeconds() >= ttlSeconds / 2);
        return new Asked(announcement && !known, services);
    }

    /**
     * The listen addresses to announce on one interface: those whose IP is one of the interface's own, and
     * loopback ones only on a loopback interface. (js-libp2p announces every private or loopback address on
     * every interface; a peer across the link cannot reach our loopback, nor always our other interfaces.)
     */
    static List<Multiaddr> addressesFor(List<Multiaddr> listenAddresses, Collection<InetAddress> interfaceAddresses,
            boolean loopbackInterface) {
        return listenAddresses.stream()
                .filter(Multiaddr::isTcp)
                .filter(address -> {
                    InetAddress ip = address.toSocketAddress().getAddress();
                    return ip != null && (interfaceAddresses.contains(ip) || loopbackInterface && ip.isLoopbackAddress());
                })
                .toList();
    }

    /**
     * The peers a response tells of. Loopback addresses are kept only from a packet sent on this host: from
     * elsewhere they lead back to us. Addresses that do not parse, lack a {@code /p2p/} or name another peer
     * than the first one are skipped.
     */
    static List<Sighting> read(DnsMessage response, boolean fromThisHost) {
        if (!response.isResponse() || response.opcode() != 0 || response.responseCode() != 0) {
            return List.of();
        }
        List<DnsRecord> records = Stream.concat(response.answers().stream(), response.additionals().stream())
                .filter(DnsRecord::isInternet)
                .toList();
        List<Sighting> sightings = new ArrayList<>();
        for (DnsRecord record : records) {
            if (record.name().equals(SERVICE) && record.data() instanceof RecordData.Ptr(DnsName instance)) {
                if (record.ttlSeconds() == 0) {
                    sightings.add(new Sighting.Departed(instance));
                } else {
                    announced(instance, record.ttlSeconds(), records, fromThisHost).ifPresent(sightings::add);
                }
            }
        }
        return sightings;
    }

    private static Optional<Sighting> announced(DnsName instance, long ptrTtl, List<DnsRecord> records,
            boolean fromThisHost) {
        PeerId peer = null;
        Set<Multiaddr> addresses = new LinkedHashSet<>();
        long ttl = Math.min(ptrTtl, MAX_TTL_SECONDS);
        for (DnsRecord record : records) {
            if (!record.name().equals(instance) || !(record.data() instanceof RecordData.Txt txt)) {
                continue;
            }
            for (String text : txt.texts()) {
                Optional<Multiaddr> address = dnsaddr(text, instance);
                if (address.isEmpty() || addresses.size() >= MAX_ADDRESSES) {
                    continue;
                }
                PeerId named = address.get().peerId().orElseThrow();
                if (peer == null) {
                    peer = named;
                } else if (!peer.equals(named)) {
                    log.debug("{} announces {} beside {}; skipped", instance, address.get(), peer);
                    continue;
                }
                if (address.get().isLoopback() && !fromThisHost) {
                    continue;
                }
                addresses.add(address.get().withoutPeerId());
                ttl = Math.min(ttl, record.ttlSeconds());
            }
        }
        if (peer == null || addresses.isEmpty()) {
            log.debug("{} announced no address we can use", instance);
            return Optional.empty();
        }
        return Optional.of(new Sighting.Announced(instance, peer, List.copyOf(addresses), ttl));
    }

    /** The multiaddr of a {@code dnsaddr=} string (key case-insensitive, RFC 6763 §6.4), if it names a peer. */
    private static Optional<Multiaddr> dnsaddr(String text, DnsName instance) {
        if (!text.regionMatches(true, 0, DNSADDR, 0, DNSADDR.length())) {
            return Optional.empty();
        }
        try {
            Multiaddr address = Multiaddr.parse(text.substring(DNSADDR.length()));
            if (address.peerId().isEmpty()) {
                log.debug("{} announces {} without /p2p/; skipped", instance, address);
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            log.debug("{} announces an address that does not parse: {}", instance, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean fitsTxt(Multiaddr address) {
        boolean fits = (DNSADDR + address).getBytes(UTF_8).length <= RecordData.Txt.MAX_STRING_BYTES;
        if (!fits) {
            log.debug("{} is too long for a TXT string; not announced", address);
        }
        return fits;
    }

    /**
     * SRV and A/AAAA records, so DNS-SD browsers can resolve the instance (the spec's "find all response").
     * The SRV names the first address's port; DNS-SD has no way to say more.
     */
    private static List<DnsRecord> serviceLocation(Self self, List<Multiaddr> addresses, long ttlSeconds) {
        List<DnsRecord> records = new ArrayList<>();
        DnsName host = self.hostName();
        int port = addresses.getFirst().toSocketAddress().getPort();
        records.add(DnsRecord.of(self.instance(), true, ttlSeconds, new RecordData.Srv(0, 0, port, host)));
        addresses.stream()
                .map(address -> address.toSocketAddress().getAddress())
                .filter(Objects::nonNull)
                .distinct()
                .forEach(ip -> records.add(DnsRecord.of(host, true, ttlSeconds, switch (ip) {
                    case Inet4Address v4 -> new RecordData.A(v4);
                    case Inet6Address v6 -> new RecordData.Aaaa(v6);
                    default -> throw new IllegalStateException("an IP address is IPv4 or IPv6: " + ip);
                })));
        return records;
    }
}
