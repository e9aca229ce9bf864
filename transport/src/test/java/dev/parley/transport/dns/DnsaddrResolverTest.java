package dev.parley.transport.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.mdns.LoopbackDnsServer;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resolver against a DNS server of the test's own on 127.0.0.1; no query goes anywhere else. The addresses
 * served are only resolved, never dialled.
 */
class DnsaddrResolverTest {
    private static final PeerId A = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private static final PeerId B = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    /** A sha2-256 peer id, as RSA keys have and the public bootstrap list uses. */
    private static final PeerId RSA_STYLE = PeerId.parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");

    private LoopbackDnsServer server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private DnsaddrResolver resolver() throws IOException {
        server = server != null ? server : LoopbackDnsServer.start();
        return new DnsaddrResolver(DnsaddrConfig.system().withServers(server.address())
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5)));
    }

    private static List<Multiaddr> addresses(String... texts) {
        return Arrays.stream(texts).map(Multiaddr::parse).toList();
    }

    @Test
    void aFlatListResolvesToItsAddressesInOrder() throws Exception {
        server = LoopbackDnsServer.start().addDnsaddr("flat.test.example",
                "/ip4/192.0.2.1/tcp/4001/p2p/" + A,
                "/ip6/2001:db8::1/tcp/4001/p2p/" + A,
                "/dns4/a.flat.test.example/tcp/443/wss/p2p/" + A);

        assertThat(resolver().resolve(Multiaddr.parse("/dnsaddr/flat.test.example"))).containsExactlyElementsOf(
                addresses("/ip4/192.0.2.1/tcp/4001/p2p/" + A, "/ip6/2001:db8::1/tcp/4001/p2p/" + A,
                        "/dns4/a.flat.test.example/tcp/443/wss/p2p/" + A));
        assertThat(server.questions()).containsExactly("_dnsaddr.flat.test.example");
    }

    @Test
    void aPeerIdKeepsOnlyThatPeersAddresses() throws Exception {
        server = LoopbackDnsServer.start().addDnsaddr("peers.test.example",
                "/ip4/192.0.2.1/tcp/4001/p2p/" + A,
                "/ip4/192.0.2.2/tcp/4001/p2p/" + B,
                "/ip4/192.0.2.3/tcp/4001",
                "/ip4/192.0.2.4/tcp/4001/p2p/" + RSA_STYLE,
                "/ip4/192.0.2.5/tcp/4001/ipfs/" + A.toCidString());
        DnsaddrResolver resolver = resolver();

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/peers.test.example/p2p/" + A)))
                .as("the /ipfs/ name and the CID form are the same peer")
                .containsExactlyElementsOf(addresses("/ip4/192.0.2.1/tcp/4001/p2p/" + A,
                        "/ip4/192.0.2.5/tcp/4001/p2p/" + A));
        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/peers.test.example/ipfs/" + RSA_STYLE)))
                .containsExactly(Multiaddr.parse("/ip4/192.0.2.4/tcp/4001/p2p/" + RSA_STYLE));
        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/peers.test.example"))).hasSize(5);
    }

    @Test
    void nestedDnsaddrsAreFollowedOnlyWhereThePeerFits() throws Exception {
        server = LoopbackDnsServer.start()
                .addDnsaddr("boot.test.example",
                        "/dnsaddr/a.boot.test.example/p2p/" + A,
                        "/dnsaddr/b.boot.test.example/p2p/" + B)
                .addDnsaddr("a.boot.test.example",
                        "/ip4/192.0.2.1/tcp/4001/p2p/" + A,
                        "/ip4/192.0.2.1/udp/4001/quic-v1/p2p/" + A)
                .addDnsaddr("b.boot.test.example", "/ip4/192.0.2.2/tcp/4001/p2p/" + B);
        DnsaddrResolver resolver = resolver();

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/boot.test.example/p2p/" + A)))
                .containsExactlyElementsOf(addresses("/ip4/192.0.2.1/tcp/4001/p2p/" + A,
                        "/ip4/192.0.2.1/udp/4001/quic-v1/p2p/" + A));
        assertThat(server.questions()).containsExactly("_dnsaddr.boot.test.example", "_dnsaddr.a.boot.test.example");

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/boot.test.example"))).containsExactlyElementsOf(
                addresses("/ip4/192.0.2.1/tcp/4001/p2p/" + A, "/ip4/192.0.2.1/udp/4001/quic-v1/p2p/" + A,
                        "/ip4/192.0.2.2/tcp/4001/p2p/" + B));
    }

    @Test
    void aCycleIsNotFollowedTwice() throws Exception {
        server = LoopbackDnsServer.start()
                .addDnsaddr("a.cycle.test.example",
                        "/dnsaddr/B.Cycle.Test.Example",
                        "/dnsaddr/a.cycle.test.example",
                        "/ip4/192.0.2.1/tcp/4001/p2p/" + A)
                .addDnsaddr("b.cycle.test.example",
                        "/dnsaddr/a.cycle.test.example.",
                        "/ip4/192.0.2.2/tcp/4001/p2p/" + B);

        assertThat(resolver().resolve(Multiaddr.parse("/dnsaddr/a.cycle.test.example"))).containsExactlyElementsOf(
                addresses("/ip4/192.0.2.2/tcp/4001/p2p/" + B, "/ip4/192.0.2.1/tcp/4001/p2p/" + A));
        assertThat(server.questions()).hasSize(2);
    }

    @Test
    void aChainLongerThanTheLookupLimitFailsAfterTheLimit() throws Exception {
        server = LoopbackDnsServer.start();
        int links = DnsaddrConfig.DEFAULT_MAX_LOOKUPS + 8;
        for (int i = 0; i < links; i++) {
            server.addDnsaddr("d" + i + ".chain.test.example", "/dnsaddr/d" + (i + 1) + ".chain.test.example");
        }
        server.addDnsaddr("d" + links + ".chain.test.example", "/ip4/192.0.2.1/tcp/4001");
        server.addDnsaddr("short.chain.test.example", "/dnsaddr/d" + (links - 3) + ".chain.test.example");
        DnsaddrResolver resolver = resolver();

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/short.chain.test.example")))
                .containsExactly(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001"));
        int shortLookups = server.questions().size();
        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/d0.chain.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/dnsaddr/d0.chain.test.example")
                .hasMessageContaining("needs more than 32 DNS lookups")
                .hasMessageContaining("_dnsaddr.d32.chain.test.example");
        assertThat(server.questions().size() - shortLookups).isEqualTo(DnsaddrConfig.DEFAULT_MAX_LOOKUPS);
    }

    @Test
    void aDomainThatDoesNotExistIsAnErrorNamingIt() throws Exception {
        DnsaddrResolver resolver = resolver();

        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/missing.test.example/p2p/" + A)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("_dnsaddr.missing.test.example")
                .hasMessageContaining("NXDOMAIN")
                .hasMessageContaining(server.address().getPort() + "");
    }

    @Test
    void aServerFailureIsAnErrorNamingTheDomain() throws Exception {
        server = LoopbackDnsServer.start().failWith("_dnsaddr.broken.test.example", LoopbackDnsServer.SERVER_FAILURE);

        assertThatThrownBy(() -> resolver().resolve(Multiaddr.parse("/dnsaddr/broken.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("_dnsaddr.broken.test.example")
                .hasMessageContaining("SERVFAIL");
    }

    @Test
    void aMissingNestedDomainLosesOnlyItsBranch() throws Exception {
        server = LoopbackDnsServer.start()
                .addDnsaddr("partly.test.example", "/dnsaddr/gone.test.example", "/ip4/192.0.2.1/tcp/4001/p2p/" + A)
                .addDnsaddr("wholly.test.example", "/dnsaddr/gone.test.example", "/dnsaddr/also-gone.test.example");
        DnsaddrResolver resolver = resolver();

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/partly.test.example")))
                .containsExactly(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + A));
        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/wholly.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("resolving /dnsaddr/wholly.test.example found no address")
                .hasMessageContaining("_dnsaddr.gone.test.example")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void malformedRecordsAreSkippedAndSplitRecordsJoined() throws Exception {
        String good = "/ip4/192.0.2.1/tcp/4001/p2p/" + A;
        String split = "/ip6/2001:db8::2/tcp/4001/p2p/" + A;
        server = LoopbackDnsServer.start()
                .addTxt("_dnsaddr.messy.test.example", "v=spf1 -all")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=not a multiaddr")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=/ip4/192.0.2.999/tcp/4001")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=/carrier-pigeon/7")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=/dnsaddr/bad\\name.test.example")
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=" + good)
                .addTxt("_dnsaddr.messy.test.example", "dnsaddr=" + split.substring(0, 20), split.substring(20))
                .addTxt("_dnsaddr.messy.test.example", "\"quoted\" \\ and spaced");

        assertThat(resolver().resolve(Multiaddr.parse("/dnsaddr/messy.test.example")))
                .containsExactlyElementsOf(addresses(good, split));
        assertThat(server.questions()).containsExactly("_dnsaddr.messy.test.example");
    }

    @Test
    void aNameWithoutRecordsResolvesToNothing() throws Exception {
        server = LoopbackDnsServer.start().addEmptyName("_dnsaddr.empty.test.example");

        assertThat(resolver().resolve(Multiaddr.parse("/dnsaddr/empty.test.example"))).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheResolveTimeout() throws Exception {
        server = LoopbackDnsServer.silent();
        DnsaddrResolver patient = new DnsaddrResolver(DnsaddrConfig.system().withServers(server.address())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400)));
        DnsaddrResolver quick = new DnsaddrResolver(DnsaddrConfig.system().withServers(server.address())
                .withTimeouts(Duration.ofMillis(50), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> patient.resolve(Multiaddr.parse("/dnsaddr/silent.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("_dnsaddr.silent.test.example")
                .hasMessageContaining("no answer for TXT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        start = System.nanoTime();
        assertThatThrownBy(() -> quick.resolve(Multiaddr.parse("/dnsaddr/silent.test.example")))
                .as("the DNS client's own tries: 50, 100 and 200 ms")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("_dnsaddr.silent.test.example")
                .hasMessageContaining("no answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.questions()).hasSizeGreaterThanOrEqualTo(2).allMatch("_dnsaddr.silent.test.example"::equals);
    }

    @Test
    void onlyDnsaddrAddressesAreResolved() throws Exception {
        DnsaddrResolver resolver = resolver();

        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dns4/host.test.example/tcp/1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not start with /dnsaddr");
        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/under score.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a DNS name");
        assertThat(server.questions()).isEmpty();
    }

    @Test
    void jndiCharacterStringsAreJoinedBackIntoTheRecordsBytes() {
        assertThat(JndiTxtLookup.joinCharacterStrings("dnsaddr=/ip4/192.0.2.1")).isEqualTo("dnsaddr=/ip4/192.0.2.1");
        assertThat(JndiTxtLookup.joinCharacterStrings("dnsaddr=/ip4 /192.0.2.1")).isEqualTo("dnsaddr=/ip4/192.0.2.1");
        assertThat(JndiTxtLookup.joinCharacterStrings("\"a b\" c")).isEqualTo("a bc");
        assertThat(JndiTxtLookup.joinCharacterStrings("\"say \\\"hi\\\" \\\\ there\" \"\" x"))
                .isEqualTo("say \"hi\" \\ therex");
        assertThat(JndiTxtLookup.joinCharacterStrings("caf\u00c3\u00a9")).as("Latin-1 characters are UTF-8 bytes")
                .isEqualTo("caf\u00e9");
    }
}
