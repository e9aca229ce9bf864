package dev.parley.transport.multiformats;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A network address as a path of protocols (github.com/multiformats/multiaddr), each running over the ones to
 * its left: {@code /ip4/192.0.2.42/tcp/443/p2p/12D3KooW…} is the peer 12D3KooW… over TCP port 443 of
 * 192.0.2.42. Immutable; two multiaddrs are equal when their binary forms are.
 *
 * <pre>
 * text:    /ip4/192.0.2.42  /tcp/443   /p2p/12D3KooW…
 * binary:  04 c0 00 02 2a   06 01 bb   a5 03  26      00 24 08 01 12 20 …
 *          ip4 192.0.2.42   tcp 443    p2p    length  multihash of the peer's public key
 *                                      (421)  (38)
 * </pre>
 *
 * Each component is {@code <varint code> [<varint length>] <value>} ({@link Component}). Both forms are capped
 * at {@link #MAX_BYTES}: multiaddrs arrive from untrusted peers (identify, relays, mDNS), and no real address
 * comes near the cap.
 */
public final class Multiaddr {
    /** Largest binary form accepted. */
    public static final int MAX_BYTES = 1024;
    /** Largest text form accepted: no component's text is more than seven times its bytes (/webrtc-direct). */
    public static final int MAX_TEXT = 8 * MAX_BYTES;

    private static final Set<Protocol> HOSTS =
            Set.of(Protocol.IP4, Protocol.IP6, Protocol.DNS, Protocol.DNS4, Protocol.DNS6);

    private final List<Component> components;
    private final byte[] bytes;

    private Multiaddr(List<Component> components) {
        this.components = List.copyOf(components);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        this.components.forEach(component -> component.writeTo(out));
        if (out.size() > MAX_BYTES) {
            throw new IllegalArgumentException("multiaddr of " + out.size() + " bytes exceeds the limit of " + MAX_BYTES);
        }
        this.bytes = out.toByteArray();
    }

    public static Multiaddr of(Component... components) {
        return new Multiaddr(List.of(components));
    }

    /**
     * Parses the text form. A trailing slash is allowed, as go- and js-multiaddr allow it; {@code /} alone is
     * the empty multiaddr. {@code /ipfs/} is read as {@code /p2p/}, and a peer id may be base58 or CIDv1.
     *
     * @throws IllegalArgumentException naming the offending component
     */
    public static Multiaddr parse(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("multiaddr text of " + text.length() + " characters exceeds " + MAX_TEXT);
        }
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("multiaddr '" + text + "' does not start with '/'");
        }
        String body = text.substring(1, text.length() > 1 && text.endsWith("/") ? text.length() - 1 : text.length());
        List<Component> components = new ArrayList<>();
        String[] parts = body.isEmpty() ? new String[0] : body.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            Protocol protocol = Protocol.forName(name).orElseThrow(() -> new IllegalArgumentException(
                    (name.isEmpty() ? "empty protocol name" : "unknown protocol '" + name + "'")
                            + " in multiaddr '" + text + "'"));
            if (!protocol.hasValue()) {
                components.add(Component.of(protocol));
                continue;
            }
            i++;
            if (i == parts.length) {
                throw new IllegalArgumentException("/" + name + " lacks its value in multiaddr '" + text + "'");
            }
            try {
                components.add(Component.parse(protocol, parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bad /" + name + " value in multiaddr '" + text + "': " + e.getMessage(), e);
            }
        }
        return new Multiaddr(components);
    }

    /**
     * Parses the binary form, as identify and the relay and DHT protocols carry it.
     *
     * @throws IllegalArgumentException for input over {@link #MAX_BYTES}, an unknown protocol code, a malformed
     *     varint, a truncated or invalid value; the message names the byte offset
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("multiaddr of " + bytes.length + " bytes exceeds the limit of " + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Component> components = new ArrayList<>();
        while (in.hasRemaining()) {
            int offset = in.position();
            try {
                components.add(Component.read(in));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed multiaddr at byte " + offset + " of " + bytes.length
                        + ": " + e.getMessage(), e);
            }
        }
        return new Multiaddr(components);
    }

    /** {@code /ip4/…/tcp/…} or {@code /ip6/…/tcp/…} for a resolved socket address. */
    public static Multiaddr fromSocketAddress(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("socket address " + address + " is unresolved; it has no IP to write");
        }
        InetAddress ip = address.getAddress();
        Protocol family = ip instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6;
        return of(new Component(family, ip.getAddress()), new Component(Protocol.TCP, ValueCodec.port(address.getPort())));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public List<Component> components() {
        return components;
    }

    /** The text value of the first component of this protocol; empty text for a protocol without a value. */
    public Optional<String> valueOf(Protocol protocol) {
        return components.stream().filter(c -> c.protocol() == protocol).findFirst().map(Component::valueText);
    }

    /** This address followed by {@code inner}, e.g. a relay's address followed by {@code /p2p-circuit}. */
    public Multiaddr encapsulate(Multiaddr inner) {
        List<Component> joined = new ArrayList<>(components);
        joined.addAll(inner.components);
        return new Multiaddr(joined);
    }

    /** Everything before the last component of {@code protocol}; this address unchanged if it has none. */
    public Multiaddr decapsulate(Protocol protocol) {
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol() == protocol) {
                return new Multiaddr(components.subList(0, i));
            }
        }
        return this;
    }

    /**
     * The peer this address leads to: the last {@code /p2p/}, unless a {@code /p2p-circuit} follows it — then
     * that id names the relay, and the address does not say which peer sits behind it.
     */
    public Optional<PeerId> peerId() {
        for (int i = components.size() - 1; i >= 0; i--) {
            Protocol protocol = components.get(i).protocol();
            if (protocol == Protocol.P2P_CIRCUIT) {
                return Optional.empty();
            }
            if (protocol == Protocol.P2P) {
                return Optional.of(PeerId.fromBytes(components.get(i).value()));
            }
        }
        return Optional.empty();
    }

    /**
     * This address ending in {@code /p2p/<peer>}: unchanged if it already ends so, extended otherwise.
     *
     * @throws IllegalArgumentException if it already ends with a different peer id
     */
    public Multiaddr withPeerId(PeerId peer) {
        Optional<PeerId> trailing = trailingPeerId();
        if (trailing.isPresent()) {
            if (trailing.get().equals(peer)) {
                return this;
            }
            throw new IllegalArgumentException("multiaddr " + this + " names peer " + trailing.get() + ", not " + peer);
        }
        return encapsulate(of(new Component(Protocol.P2P, peer.bytes())));
    }

    /** This address without a trailing {@code /p2p/<peer>}. */
    public Multiaddr withoutPeerId() {
        return trailingPeerId().isPresent() ? new Multiaddr(components.subList(0, components.size() - 1)) : this;
    }

    /**
     * Whether this address starts with {@code /dnsaddr/<domain>}: it names DNS TXT records that list the real
     * addresses (multiaddr protocols/DNSADDR.md), to be resolved before it can be dialled.
     */
    public boolean isDnsaddr() {
        return !components.isEmpty() && components.get(0).protocol() == Protocol.DNSADDR;
    }

    /** Whether this address goes through a circuit relay. */
    public boolean isCircuit() {
        return components.stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    /**
     * Whether this is a plain TCP address, {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}, optionally
     * followed by {@code /p2p/<peer>}: what {@link #toSocketAddress()} accepts. Addresses that run more
     * (WebSocket, TLS, a relay circuit) over TCP are not.
     */
    public boolean isTcp() {
        List<Component> hostAndPort = withoutPeerId().components;
        return hostAndPort.size() == 2
                && HOSTS.contains(hostAndPort.get(0).protocol())
                && hostAndPort.get(1).protocol() == Protocol.TCP;
    }

    /**
     * The socket address of a plain TCP address ({@link #isTcp()}). A DNS name is returned unresolved:
     * resolving it is the dialer's business.
     *
     * @throws IllegalArgumentException if this is not a plain TCP address
     */
    public InetSocketAddress toSocketAddress() {
        if (!isTcp()) {
            throw new IllegalArgumentException("multiaddr " + this
                    + " is not a TCP address; expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<peer>]");
        }
        Component host = components.get(0);
        byte[] portBytes = components.get(1).value();
        int port = ((portBytes[0] & 0xFF) << 8) | (portBytes[1] & 0xFF);
        return switch (host.protocol()) {
            case IP4, IP6 -> new InetSocketAddress(ipAddress(host.value()), port);
            default -> InetSocketAddress.createUnresolved(host.valueText(), port);
        };
    }

    /**
     * Whether the first component is a loopback host: 127.0.0.0/8, {@code ::1}, IPv4-mapped 127.0.0.0/8, or
     * the name {@code localhost}, which RFC 6761 reserves for loopback.
     */
    public boolean isLoopback() {
        if (components.isEmpty()) {
            return false;
        }
        Component host = components.get(0);
        return switch (host.protocol()) {
            case IP4, IP6 -> ipAddress(host.value()).isLoopbackAddress();
            case DNS, DNS4, DNS6 -> new String(host.value(), StandardCharsets.UTF_8).equalsIgnoreCase("localhost");
            default -> false;
        };
    }

    /**
     * Whether the first component is an IP address the internet cannot route to us: loopback, link-local,
     * RFC 1918, carrier-grade NAT (100.64.0.0/10), unique-local IPv6 (fc00::/7), or the unspecified address. A
     * name is not private: what it resolves to is not known here.
     */
    public boolean isPrivate() {
        if (components.isEmpty()) {
            return false;
        }
        Component host = components.get(0);
        if (host.protocol() != Protocol.IP4 && host.protocol() != Protocol.IP6) {
            return isLoopback();
        }
        byte[] raw = host.value();
        InetAddress ip = ipAddress(raw);
        boolean carrierGradeNat = raw.length == 4 && (raw[0] & 0xFF) == 100 && (raw[1] & 0xC0) == 64;
        boolean uniqueLocal = raw.length == 16 && (raw[0] & 0xFE) == 0xFC;
        return ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress()
                || carrierGradeNat || uniqueLocal;
    }

    /** The text of the first component when it is an IP address, e.g. {@code 203.0.113.7}. */
    public Optional<String> ip() {
        if (components.isEmpty()) {
            return Optional.empty();
        }
        Component host = components.get(0);
        return host.protocol() == Protocol.IP4 || host.protocol() == Protocol.IP6
                ? Optional.of(host.valueText()) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The text form; {@code /} for the empty multiaddr. */
    @Override
    public String toString() {
        return components.isEmpty()
                ? "/"
                : components.stream().map(Component::toString).collect(Collectors.joining());
    }

    private Optional<PeerId> trailingPeerId() {
        if (components.isEmpty() || components.getLast().protocol() != Protocol.P2P) {
            return Optional.empty();
        }
        return Optional.of(PeerId.fromBytes(components.getLast().value()));
    }

    /** The JDK address of 4 or 16 raw bytes; IPv4-mapped IPv6 comes back as IPv4. No lookup is made. */
    private static InetAddress ipAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("component lengths are checked on construction", e);
        }
    }
}
