package dev.parley.transport.multiformats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols Parley understands, with the names, codes and value sizes of
 * github.com/multiformats/multiaddr protocols.csv. Besides what Parley dials, it knows the protocols js-libp2p
 * peers announce in identify (QUIC, WebTransport, WebRTC, certificate hashes) and the {@code /dnsaddr} of the
 * public bootstrap list, so such addresses parse and can be passed on or skipped rather than failing.
 */
public enum Protocol {
    IP4("ip4", 4, 32, ValueCodec.IP4),
    TCP("tcp", 6, 16, ValueCodec.PORT),
    IP6("ip6", 41, 128, ValueCodec.IP6),
    DNS("dns", 53, Protocol.LENGTH_PREFIXED, ValueCodec.DOMAIN),
    DNS4("dns4", 54, Protocol.LENGTH_PREFIXED, ValueCodec.DOMAIN),
    DNS6("dns6", 55, Protocol.LENGTH_PREFIXED, ValueCodec.DOMAIN),
    DNSADDR("dnsaddr", 56, Protocol.LENGTH_PREFIXED, ValueCodec.DOMAIN),
    UDP("udp", 273, 16, ValueCodec.PORT),
    WEBRTC_DIRECT("webrtc-direct", 280),
    WEBRTC("webrtc", 281),
    P2P_CIRCUIT("p2p-circuit", 290),
    /** A peer id; {@code /ipfs} is accepted as its old name. */
    P2P("p2p", 421, Protocol.LENGTH_PREFIXED, ValueCodec.PEER_ID),
    TLS("tls", 448),
    QUIC_V1("quic-v1", 461),
    WEBTRANSPORT("webtransport", 465),
    CERTHASH("certhash", 466, Protocol.LENGTH_PREFIXED, ValueCodec.MULTIBASE_MULTIHASH),
    WS("ws", 477),
    WSS("wss", 478);

    /**
     * The {@link #sizeBits()} of a protocol whose value is preceded by its varint byte length. A constant, so
     * the constants above may name it (qualified, as a forward reference).
     */
    public static final int LENGTH_PREFIXED = -1;

    private static final Map<String, Protocol> BY_NAME = new HashMap<>();
    private static final Map<Integer, Protocol> BY_CODE = new HashMap<>();

    static {
        for (Protocol protocol : values()) {
            BY_NAME.put(protocol.protocolName, protocol);
            BY_CODE.put(protocol.code, protocol);
        }
        BY_NAME.put("ipfs", P2P);
    }

    private final String protocolName;
    private final int code;
    private final int sizeBits;
    private final ValueCodec codec;

    Protocol(String protocolName, int code) {
        this(protocolName, code, 0, ValueCodec.NONE);
    }

    Protocol(String protocolName, int code, int sizeBits, ValueCodec codec) {
        this.protocolName = protocolName;
        this.code = code;
        this.sizeBits = sizeBits;
        this.codec = codec;
    }

    public static Optional<Protocol> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Optional<Protocol> forCode(long code) {
        return code > Integer.MAX_VALUE ? Optional.empty() : Optional.ofNullable(BY_CODE.get((int) code));
    }

    /** The name in the text form, e.g. {@code ip4}, {@code p2p-circuit}. */
    public String protocolName() {
        return protocolName;
    }

    /** The multicodec code, written as a varint in the binary form. */
    public int code() {
        return code;
    }

    /** As in protocols.csv: the value's fixed size in bits, 0 for no value, or {@link #LENGTH_PREFIXED}. */
    public int sizeBits() {
        return sizeBits;
    }

    public boolean hasValue() {
        return sizeBits != 0;
    }

    public boolean isLengthPrefixed() {
        return sizeBits == LENGTH_PREFIXED;
    }

    /** The fixed value size in bytes; only for protocols that are neither value-less nor length-prefixed. */
    int fixedBytes() {
        return sizeBits / 8;
    }

    ValueCodec codec() {
        return codec;
    }
}
