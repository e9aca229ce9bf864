package dev.parley.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.HostConfig;
import dev.parley.transport.dns.DnsaddrConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.mdns.LoopbackDnsServer;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A node whose bootstrap peer is given as {@code /dnsaddr/…/p2p/<peer>}, as the public bootstrap list is, goes
 * online through it. The name is served by a DNS server of the test's own on 127.0.0.1; everything stays on
 * loopback.
 */
class DnsaddrBootstrapTest {
    private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

    @Test
    void aDnsaddrBootstrapPeerIsResolvedDialledAndJoinsTheDht() throws Exception {
        try (LoopbackDnsServer dns = LoopbackDnsServer.start();
             Node bootstrap = new Node(Ed25519PrivateKey.generate(), new NodeOptions(false, List.of(), List.of(), true, RelayOwners.NONE))) {
            PeerId bootstrapPeer = bootstrap.host().peerId();
            Multiaddr listening = bootstrap.listen(LOOPBACK).getFirst();
            dns.addDnsaddr("boot.test.example", "/dnsaddr/node.boot.test.example/p2p/" + bootstrapPeer)
                    .addDnsaddr("node.boot.test.example", listening.toString());
            Multiaddr listed = Multiaddr.parse("/dnsaddr/boot.test.example/p2p/" + bootstrapPeer);
            HostConfig resolvingOnLoopback = HostConfig.of(Ed25519PrivateKey.generate())
                    .withDnsaddr(DnsaddrConfig.system().withServers(dns.address()));

            try (Node node = new Node(resolvingOnLoopback, new NodeOptions(false, List.of(listed), List.of(), false, RelayOwners.NONE))) {
                node.listen(LOOPBACK);
                node.goOnline();

                awaitTrue(() -> node.host().connection(bootstrapPeer).isPresent() && node.dht().routingTableSize() > 0);
                assertThat(dns.questions()).contains("_dnsaddr.boot.test.example", "_dnsaddr.node.boot.test.example");
                assertThat(node.host().addressBook().addresses(bootstrapPeer)).contains(listening.withoutPeerId());
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the node reached its bootstrap peer in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
