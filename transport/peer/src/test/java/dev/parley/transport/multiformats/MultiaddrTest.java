package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.keys.Ed25519PrivateKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ED25519_PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    private static final String SHA256_PEER = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private static final String SHA256_PEER_CID = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

    /**
     * Canonical text and binary pairs: from the multiaddr spec (test/multiaddr.feature), go-multiaddr's
     * TestStringToBytes, and the rest as @multiformats/multiaddr 13 (js-libp2p 3) encodes them.
     */
    @ParameterizedTest
    @CsvSource({
        "/ip4/192.0.2.42/tcp/443, 04c000022a0601bb",
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
        "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
        "/ip6/::1/tcp/4001, 2900000000000000000000000000000001060fa1",
        "/ip6/2001:db8::1/udp/1/quic-v1, 2920010db800000000000000000000000191020001cd03",
        "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
        "/dnsaddr/bootstrap.example.org/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN,"
                + " 3815626f6f7473747261702e6578616d706c652e6f7267a50322122006b3608aa000274049eb28ad8e793a26ff6fab281a7d3bd77cd18eb745dfaabb",
        "/ip4/203.0.113.4/tcp/4001/p2p/" + ED25519_PEER + "/p2p-circuit/p2p/" + SHA256_PEER + ","
                + " 04cb007104060fa1a503260024080112202ffa35a99d3a3cfbb17bb7c1dc5561b18a8dcca4df38dc613ea859c37eb1336b"
                + "a202a5032212209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9",
        "/ip4/127.0.0.1/udp/9090/webrtc-direct/certhash/uEiAeP0OEmBbGVTH5Bhnm3WopwRNSQ0et46xNkn2dIagnGw,"
                + " 047f000001910223829802d2032212201e3f43849816c65531f90619e6dd6a29c113524347ade3ac4d927d9d21a8271b",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/u1QEQOFj2IjCsPJFfMAxmQxLGPw"
                + "/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g,"
                + " 047f000001910204d2cd03d103d20313d501103858f62230ac3c915f300c664312c63fd203221220c3ab8ff13720e8ad90"
                + "47dd39466b3c8974e592c2fa383d4a3960714caef0c4f2",
        "/dns6/localhost/tcp/80/ws, 37096c6f63616c686f7374060050dd03",
        "/dns/example.com/tcp/443/tls/ws, 350b6578616d706c652e636f6d0601bbc003dd03",
    })
    void textAndBinaryFormsMatchKnownVectors(String text, String hex) {
        Multiaddr fromText = Multiaddr.parse(text);
        Multiaddr fromBytes = Multiaddr.fromBytes(HEX.parseHex(hex));
        assertThat(HEX.formatHex(fromText.bytes())).isEqualTo(hex);
        assertThat(fromBytes.toString()).isEqualTo(text);
        assertThat(fromBytes).isEqualTo(fromText).hasSameHashCodeAs(fromText);
        assertThat(Multiaddr.parse(fromBytes.toString())).isEqualTo(fromBytes);
    }

    @Test
    void specScenarioComponents() {
        Multiaddr addr = Multiaddr.parse("/ip4/192.0.2.42/tcp/443");
        assertThat(addr.components()).containsExactly(
                new Component(Protocol.IP4, HEX.parseHex("c000022a")),
                new Component(Protocol.TCP, HEX.parseHex("01bb")));
        assertThat(addr.components()).extracting(Component::toString).containsExactly("/ip4/192.0.2.42", "/tcp/443");
        assertThat(addr.components()).extracting(Component::valueText).containsExactly("192.0.2.42", "443");
    }

    /** Other spellings parse to the same bytes and print in the canonical form. */
    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/tcp/1234/, /ip4/127.0.0.1/tcp/1234",
        "/ipfs/" + SHA256_PEER + ", /p2p/" + SHA256_PEER,
        "/p2p/" + SHA256_PEER_CID + ", /p2p/" + SHA256_PEER,
        "/ip6/2001:0db8:0:0:1:0:0:1/tcp/1, /ip6/2001:db8::1:0:0:1/tcp/1",
        "/ip6/2001:DB8::1/tcp/1, /ip6/2001:db8::1/tcp/1",
        "/ip6/1:0:0:4:0:0:0:8/tcp/1, /ip6/1:0:0:4::8/tcp/1",
        "/ip6/0:0:1:0:0:1:0:0/tcp/1, /ip6/::1:0:0:1:0:0/tcp/1",
        "/ip6/1:0:2:3:4:5:6:7/tcp/1, /ip6/1:0:2:3:4:5:6:7/tcp/1",
        "/ip6/1::/tcp/1, /ip6/1::/tcp/1",
        "/ip6/0:0:0:0:0:0:0:0/tcp/0, /ip6/::/tcp/0",
        "/ip6/fe80::1:0:0:1/tcp/5, /ip6/fe80::1:0:0:1/tcp/5",
        "/ip6/::ffff:203.0.113.4/tcp/1, /ip6/::ffff:cb00:7104/tcp/1",
        "/ip6/::ffff:cb00:7104/tcp/1, /ip6/::ffff:cb00:7104/tcp/1",
        "/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy, /certhash/u1QEQOFj2IjCsPJFfMAxmQxLGPw",
        "/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41, /certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
    })
    void acceptsOtherSpellingsAndPrintsTheCanonicalOne(String text, String canonical) {
        Multiaddr addr = Multiaddr.parse(text);
        assertThat(addr).hasToString(canonical);
        assertThat(addr).isEqualTo(Multiaddr.parse(canonical));
    }

    @Test
    void ipv4MappedIpv6KeepsItsSixteenBytes() {
        Multiaddr addr = Multiaddr.parse("/ip6/::ffff:7f00:1/tcp/1");
        assertThat(HEX.formatHex(addr.bytes())).isEqualTo("2900000000000000000000ffff7f000001060001");
        assertThat(addr).isNotEqualTo(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
    }

    @Test
    void emptyMultiaddr() {
        Multiaddr empty = Multiaddr.parse("/");
        assertThat(empty.components()).isEmpty();
        assertThat(empty.bytes()).isEmpty();
        assertThat(empty).hasToString("/").isEqualTo(Multiaddr.fromBytes(new byte[0])).isEqualTo(Multiaddr.of());
        assertThat(empty.isLoopback()).isFalse();
        assertThat(empty.peerId()).isEmpty();
    }

    @Test
    void bytesAndComponentValuesAreCopies() {
        Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
        addr.bytes()[1] = 1;
        addr.components().get(0).value()[0] = 1;
        assertThat(addr).hasToString("/ip4/127.0.0.1/tcp/1");
        assertThatThrownBy(() -> addr.components().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Nested
    class MalformedText {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"                                   | multiaddr '' does not start with '/'",
            "ip4/203.0.113.4                          | multiaddr 'ip4/203.0.113.4' does not start with '/'",
            "/ip4                                 | /ip4 lacks its value in multiaddr '/ip4'",
            "/ip4/                                | /ip4 lacks its value in multiaddr '/ip4/'",
            "/ip4/127.0.0.1/tcp                   | /tcp lacks its value",
            "/ip4/127.0.0.1/p2p                   | /p2p lacks its value",
            "/foo/1                               | unknown protocol 'foo' in multiaddr '/foo/1'",
            "/ip4/203.0.113.4/unix/a                  | unknown protocol 'unix'",
            "/ip4/203.0.113.4//tcp/1                  | empty protocol name in multiaddr '/ip4/203.0.113.4//tcp/1'",
            "/ip4/::1                             | bad /ip4 value in multiaddr '/ip4/::1': '::1' is not an IPv4 address",
            "/ip4/fdpsofodsajfdoisa               | is not an IPv4 address",
            "/ip4/203.0.113.256                   | IPv4 address '203.0.113.256' has an octet of 256",
            "/ip4/203.0.113                        | '203.0.113' is not an IPv4 address",
            "/ip4/203.0.113.4.5                       | '203.0.113.4.5' is not an IPv4 address",
            "/ip4/203.0.113.04                    | invalid IPv4 address '203.0.113.04': '04'",
            "/ip4/1.2.3.-4                        | invalid IPv4 address '1.2.3.-4': '-4'",
            "/ip4/1..3.4                          | invalid IPv4 address '1..3.4': ''",
            "/ip6/203.0.113.4                         | '203.0.113.4' is not an IPv6 address",
            "/ip6/fe80::1%eth0                    | 'fe80::1%eth0' is not an IPv6 address",
            "/ip6/[::1]                           | '[::1]' is not an IPv6 address",
            "/ip6/:::                             | ':::' is not an IPv6 address",
            "/ip6/1:2:3:4:5:6:7:8:9               | is not an IPv6 address",
            "/ip6/.:                              | '.:' is not an IPv6 address",
            "/ip6/localhost                       | 'localhost' is not an IPv6 address",
            "/ip6/::\u0661                         | is not an IPv6 address",
            "/ip6//tcp/1                          | '' is not an IPv6 address",
            "/tcp/65536                           | bad /tcp value in multiaddr '/tcp/65536': port 65536 is out of range 0-65535",
            "/udp/65536                           | port 65536 is out of range 0-65535",
            "/tcp/1234567890                      | invalid port: '1234567890'",
            "/tcp/-1                              | invalid port: '-1'",
            "/tcp/+1                              | invalid port: '+1'",
            "/tcp/080                             | invalid port: '080'",
            "/tcp/jfodsajfidosajfoidsa            | invalid port: 'jfodsajfidosajfoidsa'",
            "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY | bad /p2p value",
            "/p2p/notapeer                        | not a peer id: 'notapeer'",
            "/ip4/127.0.0.1/p2p/tcp               | not a peer id: 'tcp'",
            "/p2p/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi | not libp2p-key",
            "/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp | base32 text of 30 characters is truncated",
            "/certhash/f1220                      | unsupported multibase prefix 'f'",
            "/certhash/uEiAe                      | bad /certhash value",
            "/ip4/127.0.0.1/tcp/1/p2p-circuit/x   | unknown protocol 'x'",
        })
        void isRejectedWithAClearMessage(String text, String message) {
            assertThatThrownBy(() -> Multiaddr.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        }

        @Test
        void overlongTextIsRejectedBeforeParsing() {
            String text = "/dns/" + "a".repeat(Multiaddr.MAX_TEXT);
            assertThatThrownBy(() -> Multiaddr.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiaddr text of 8197 characters exceeds 8192");
        }

        @Test
        void textWhoseBinaryFormExceedsTheLimitIsRejected() {
            String text = "/tcp/1".repeat(342);
            assertThatThrownBy(() -> Multiaddr.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiaddr of 1026 bytes exceeds the limit of 1024");
        }
    }

    @Nested
    class MalformedBinary {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "e807                     | malformed multiaddr at byte 0 of 2: unknown multiaddr protocol code 1000",
            "047f000001900301         | at byte 5 of 8: unknown multiaddr protocol code 400",
            "047f0000                 | at byte 0 of 4: /ip4 value of 4 bytes is truncated to 3",
            "047f00000106             | at byte 5 of 6: /tcp value of 2 bytes is truncated to 0",
            "047f0000010610e1ff       | at byte 8 of 9: truncated varint after 1 bytes",
            "a503260024080112         | at byte 0 of 8: /p2p value of 38 bytes is truncated to 5",
            "36                       | at byte 0 of 1: truncated varint after 0 bytes",
            "3600                     | /dns4 value of 0 bytes",
            "80                       | at byte 0 of 1: truncated varint after 1 bytes",
            "8000                     | at byte 0 of 2: non-minimal varint encoding",
            "0680000102               | at byte 3 of 5: unknown multiaddr protocol code 1",
            "ffffffffffffffffff01     | varint longer than 9 bytes",
            "36ffffffffffffffff7f00   | /dns4 value of 9223372036854775807 bytes is truncated to 1",
            "a50306111400000000       | at byte 0 of 9",
            "a5030611040000000000     | peer id multihash code 0x11",
            "3603612f62               | invalid domain name 'a/b'",
            "3601ff                   | domain name of 1 bytes is not UTF-8",
            "d2030211ff               | at byte 0 of 5",
        })
        void isRejectedWithTheOffset(String hex, String message) {
            assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        }

        @Test
        void aLoneTcpCodeIsTruncated() {
            // 0x06 alone is /tcp with its two bytes missing.
            assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("06")))
                    .hasMessageContaining("/tcp value of 2 bytes is truncated to 0");
        }

        @Test
        void inputOverTheLimitIsRejectedBeforeParsing() {
            assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiaddr of 1025 bytes exceeds the limit of 1024");
        }
    }

    @Nested
    class Components {
        @Test
        void checksValueSizes() {
            assertThatThrownBy(() -> new Component(Protocol.IP4, new byte[3]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("/ip4 value of 3 bytes");
            assertThatThrownBy(() -> new Component(Protocol.WS, new byte[1])).hasMessage("/ws value of 1 bytes");
            assertThatThrownBy(() -> new Component(Protocol.DNS, new byte[0])).hasMessage("/dns value of 0 bytes");
            assertThatThrownBy(() -> new Component(Protocol.P2P, new byte[] {1, 2}))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void parsesAndPrintsValues() {
            assertThat(Component.parse(Protocol.TCP, "4001").value()).isEqualTo(HEX.parseHex("0fa1"));
            assertThat(Component.parse(Protocol.TCP, "4001")).hasToString("/tcp/4001");
            assertThat(Component.of(Protocol.P2P_CIRCUIT)).hasToString("/p2p-circuit");
            assertThat(Component.of(Protocol.P2P_CIRCUIT).valueText()).isEmpty();
            assertThat(Component.parse(Protocol.DNS4, "example.com").valueText()).isEqualTo("example.com");
            assertThatThrownBy(() -> Component.parse(Protocol.WS, "x")).hasMessageContaining("takes no value");
        }

        @Test
        void protocolTableMatchesProtocolsCsv() {
            assertThat(Protocol.forName("ip4")).contains(Protocol.IP4);
            assertThat(Protocol.forName("ipfs")).contains(Protocol.P2P);
            assertThat(Protocol.forName("unix")).isEmpty();
            assertThat(Protocol.forCode(421)).contains(Protocol.P2P);
            assertThat(Protocol.forCode(1L << 40)).isEmpty();
            assertThat(Protocol.UDP.code()).isEqualTo(273);
            assertThat(Protocol.IP6.sizeBits()).isEqualTo(128);
            assertThat(Protocol.CERTHASH.sizeBits()).isEqualTo(Protocol.LENGTH_PREFIXED);
            assertThat(Protocol.CERTHASH.isLengthPrefixed()).isTrue();
            assertThat(Protocol.P2P_CIRCUIT.hasValue()).isFalse();
            assertThat(Protocol.WEBRTC_DIRECT.protocolName()).isEqualTo("webrtc-direct");
            for (Protocol protocol : Protocol.values()) {
                assertThat(Protocol.forCode(protocol.code())).contains(protocol);
                assertThat(Protocol.forName(protocol.protocolName())).contains(protocol);
            }
        }
    }

    @Nested
    class Peers {
        private final PeerId relay = PeerId.parse(ED25519_PEER);
        private final PeerId target = PeerId.parse(SHA256_PEER);

        @Test
        void withPeerIdAppendsOnce() {
            Multiaddr addr = Multiaddr.parse("/ip4/203.0.113.4/tcp/4001");
            Multiaddr withPeer = addr.withPeerId(relay);
            assertThat(withPeer).hasToString("/ip4/203.0.113.4/tcp/4001/p2p/" + ED25519_PEER);
            assertThat(withPeer.withPeerId(relay)).isSameAs(withPeer);
            assertThat(withPeer.peerId()).contains(relay);
            assertThat(withPeer.withoutPeerId()).isEqualTo(addr);
            assertThat(addr.withoutPeerId()).isSameAs(addr);
            assertThat(addr.peerId()).isEmpty();
        }

        @Test
        void withPeerIdRefusesToNameASecondPeer() {
            Multiaddr addr = Multiaddr.parse("/ip4/203.0.113.4/tcp/4001/p2p/" + ED25519_PEER);
            assertThatThrownBy(() -> addr.withPeerId(target))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiaddr " + addr + " names peer " + ED25519_PEER + ", not " + SHA256_PEER);
        }

        @Test
        void circuitAddresses() {
            Multiaddr relayAddr = Multiaddr.parse("/ip4/203.0.113.4/tcp/4001/p2p/" + ED25519_PEER);
            Multiaddr circuit = relayAddr.encapsulate(Multiaddr.parse("/p2p-circuit"));
            assertThat(circuit.isCircuit()).isTrue();
            assertThat(relayAddr.isCircuit()).isFalse();
            // The relay's id is not the peer this address leads to.
            assertThat(circuit.peerId()).isEmpty();
            assertThat(circuit.withoutPeerId()).isSameAs(circuit);

            Multiaddr toTarget = circuit.withPeerId(target);
            assertThat(toTarget).hasToString(relayAddr + "/p2p-circuit/p2p/" + SHA256_PEER);
            assertThat(toTarget.peerId()).contains(target);
            assertThat(toTarget.withoutPeerId()).isEqualTo(circuit);
            assertThat(toTarget.decapsulate(Protocol.P2P_CIRCUIT)).isEqualTo(relayAddr);
            assertThat(toTarget.decapsulate(Protocol.P2P_CIRCUIT).peerId()).contains(relay);
            assertThat(toTarget.valueOf(Protocol.P2P)).contains(ED25519_PEER);
            assertThat(toTarget.valueOf(Protocol.P2P_CIRCUIT)).contains("");
            assertThat(toTarget.valueOf(Protocol.UDP)).isEmpty();
        }

        @Test
        void freshKeysPeerIdGoesInAndOut() {
            PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
            Multiaddr addr = Multiaddr.parse("/ip6/::1/tcp/4001").withPeerId(peer);
            assertThat(Multiaddr.fromBytes(addr.bytes()).peerId()).contains(peer);
            assertThat(Multiaddr.parse("/ip6/::1/tcp/4001/p2p/" + peer.toCidString())).isEqualTo(addr);
        }
    }

    @Nested
    class Composition {
        @Test
        void encapsulateAndDecapsulate() {
            Multiaddr tcp = Multiaddr.parse("/ip4/127.0.0.1/tcp/80");
            Multiaddr ws = tcp.encapsulate(Multiaddr.parse("/ws"));
            assertThat(ws).hasToString("/ip4/127.0.0.1/tcp/80/ws");
            assertThat(ws.decapsulate(Protocol.WS)).isEqualTo(tcp);
            assertThat(ws.decapsulate(Protocol.TCP)).isEqualTo(Multiaddr.parse("/ip4/127.0.0.1"));
            assertThat(ws.decapsulate(Protocol.UDP)).isSameAs(ws);
            assertThat(ws.valueOf(Protocol.TCP)).contains("80");
            assertThat(ws.valueOf(Protocol.IP4)).contains("127.0.0.1");
        }

        @Test
        void encapsulateRespectsTheLimit() {
            Multiaddr big = Multiaddr.parse("/dns/" + "a".repeat(600));
            assertThatThrownBy(() -> big.encapsulate(big))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the limit of 1024");
        }

        @Test
        void ofBuildsFromComponents() {
            Multiaddr addr = Multiaddr.of(Component.parse(Protocol.IP4, "10.200.0.1"), Component.parse(Protocol.UDP, "53"));
            assertThat(addr).hasToString("/ip4/10.200.0.1/udp/53");
            assertThat(addr.components()).hasSize(2);
        }
    }

    @Nested
    class Sockets {
        @Test
        void fromAndToIpv4SocketAddress() throws Exception {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) 200, 0, 7}), 4001);
            Multiaddr addr = Multiaddr.fromSocketAddress(socket);
            assertThat(addr).hasToString("/ip4/10.200.0.7/tcp/4001");
            assertThat(addr.toSocketAddress()).isEqualTo(socket);
        }

        @Test
        void fromAndToIpv6SocketAddress() throws Exception {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName("::1"), 65535);
            Multiaddr addr = Multiaddr.fromSocketAddress(socket);
            assertThat(addr).hasToString("/ip6/::1/tcp/65535");
            assertThat(addr.toSocketAddress()).isEqualTo(socket);
        }

        @Test
        void refusesUnresolvedSocketAddresses() {
            assertThatThrownBy(() -> Multiaddr.fromSocketAddress(InetSocketAddress.createUnresolved("example.com", 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is unresolved");
        }

        @Test
        void onlyALeadingDnsaddrMakesADnsaddrAddress() {
            assertThat(Multiaddr.parse("/dnsaddr/bootstrap.test.example/p2p/" + ED25519_PEER).isDnsaddr()).isTrue();
            assertThat(Multiaddr.parse("/dnsaddr/bootstrap.test.example").isDnsaddr()).isTrue();
            assertThat(Multiaddr.parse("/dns4/bootstrap.test.example/tcp/4001").isDnsaddr()).isFalse();
            assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + ED25519_PEER + "/p2p-circuit").isDnsaddr())
                    .isFalse();
            assertThat(Multiaddr.parse("/").isDnsaddr()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"dns", "dns4", "dns6"})
        void dnsNamesStayUnresolved(String protocol) {
            InetSocketAddress socket = Multiaddr.parse("/" + protocol + "/example.com/tcp/443").toSocketAddress();
            assertThat(socket.isUnresolved()).isTrue();
            assertThat(socket.getHostString()).isEqualTo("example.com");
            assertThat(socket.getPort()).isEqualTo(443);
        }

        @Test
        void aTrailingPeerIdIsAllowed() {
            Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + ED25519_PEER);
            assertThat(addr.isTcp()).isTrue();
            assertThat(addr.toSocketAddress().getPort()).isEqualTo(4001);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "/ip4/127.0.0.1/udp/4001/quic-v1",
            "/ip4/127.0.0.1/tcp/80/ws",
            "/ip4/127.0.0.1",
            "/tcp/80",
            "/dnsaddr/bootstrap.example.org/tcp/4001",
            "/ip4/127.0.0.1/tcp/1/p2p/" + ED25519_PEER + "/p2p-circuit",
            "/",
        })
        void otherAddressesAreNotTcp(String text) {
            Multiaddr addr = Multiaddr.parse(text);
            assertThat(addr.isTcp()).isFalse();
            assertThatThrownBy(addr::toSocketAddress)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiaddr " + text
                            + " is not a TCP address; expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<peer>]");
        }

        @ParameterizedTest
        @CsvSource({
            "/ip4/127.0.0.1/tcp/1, true",
            "/ip4/127.255.0.9/udp/1, true",
            "/ip6/::1/tcp/1, true",
            "/ip6/::ffff:127.0.0.1/tcp/1, true",
            "/dns/localhost/tcp/1, true",
            "/dns4/LOCALHOST/tcp/1, true",
            "/ip4/10.200.0.1/tcp/1, false",
            "/ip4/0.0.0.0/tcp/1, false",
            "/ip6/::/tcp/1, false",
            "/ip6/::2/tcp/1, false",
            "/dns/example.com/tcp/1, false",
            "/p2p-circuit, false",
        })
        void knowsLoopbackHosts(String text, boolean loopback) {
            assertThat(Multiaddr.parse(text).isLoopback()).isEqualTo(loopback);
        }

        /** Hosts as protocol and value, so that no test names a real network's address as a dialable multiaddr. */
        @ParameterizedTest
        @CsvSource({
            "ip4, 127.0.0.1, true",
            "ip4, 10.200.0.1, true",
            "ip4, 172.16.5.4, true",
            "ip4, 172.32.0.1, false",
            "ip4, 192.168.1.1, true",
            "ip4, 169.254.3.3, true",
            "ip4, 100.64.0.1, true",
            "ip4, 100.128.0.1, false",
            "ip4, 0.0.0.0, true",
            "ip4, 203.0.113.7, false",
            "ip4, 198.51.100.1, false",
            "ip6, fe80::1, true",
            "ip6, fd00::1, true",
            "ip6, 2001:db8::1, false",
            "dns, localhost, true",
            "dns, example.com, false",
        })
        void knowsPrivateHosts(String protocol, String host, boolean isPrivate) {
            assertThat(Multiaddr.parse("/" + protocol + "/" + host + "/tcp/1").isPrivate()).isEqualTo(isPrivate);
        }

        @Test
        void aCircuitIsNotPrivate() {
            assertThat(Multiaddr.parse("/p2p-circuit").isPrivate()).isFalse();
        }
    }

    @Test
    void equalityFollowsTheBytes() {
        assertThat(Multiaddr.parse("/ip4/127.0.0.1/udp/1234")).isNotEqualTo(Multiaddr.parse("/ip4/127.0.0.1/tcp/1234"));
        assertThat(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1234/")))
                .containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/1234"));
    }
}
