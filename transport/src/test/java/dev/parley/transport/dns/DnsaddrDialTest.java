package dev.parley.transport.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.mdns.LoopbackDnsServer;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.ws.WebSocketTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host dials {@code /dnsaddr} addresses that a DNS server of the test's own on 127.0.0.1 resolves to a second
 * host listening on loopback, and pings it there.
 */
class DnsaddrDialTest {
    private static final PeerId STRANGER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    private final List<Host> hosts = new ArrayList<>();
    private LoopbackDnsServer dns;
    private Host server;
    private Multiaddr tcp;
    private Multiaddr webSocket;

    @BeforeEach
    void startServerAndDns() throws IOException {
        dns = LoopbackDnsServer.start();
        server = host();
        tcp = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(server.peerId());
        webSocket = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws")).withPeerId(server.peerId());
    }

    @AfterEach
    void stop() throws Exception {
        hosts.forEach(Host::close);
        dns.close();
    }

    private Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withDnsaddr(DnsaddrConfig.system()
                .withServers(dns.address()).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5))));
        host.addTransport(new WebSocketTransport());
        new PingService(host);
        hosts.add(host);
        return host;
    }

    private Multiaddr dnsaddr(String domain) {
        return Multiaddr.parse("/dnsaddr/" + domain + "/p2p/" + server.peerId());
    }

    @Test
    void aDnsaddrAddressIsResolvedDialledAndPinged() throws Exception {
        dns.addDnsaddr("node.test.example",
                "/ip4/127.0.0.1/tcp/9/p2p/" + STRANGER,
                "/ip4/127.0.0.1/udp/4001/quic-v1/p2p/" + server.peerId(),
                tcp.toString());
        Host client = host();

        assertThat(client.canDial(dnsaddr("node.test.example"))).isTrue();
        Connection connection = client.dial(dnsaddr("node.test.example"));

        assertThat(connection.remotePeer()).isEqualTo(server.peerId());
        assertThat(new PingService(client).ping(connection, 3)).hasSize(3);
        assertThat(client.addressBook().addresses(server.peerId())).containsExactly(tcp.withoutPeerId());
        assertThat(dns.questions()).containsExactly("_dnsaddr.node.test.example");
    }

    @Test
    void nestedRecordsLeadToAWebSocketAddressAfterOneThatRefuses() throws Exception {
        dns.addDnsaddr("boot.test.example",
                "/dnsaddr/other.boot.test.example/p2p/" + STRANGER,
                "/dnsaddr/node.boot.test.example/p2p/" + server.peerId())
                .addDnsaddr("node.boot.test.example",
                        "/ip4/127.0.0.1/tcp/1/p2p/" + server.peerId(),
                        webSocket.toString());
        Host client = host();

        Connection connection = client.dial(dnsaddr("boot.test.example"));

        assertThat(connection.remotePeer()).isEqualTo(server.peerId());
        assertThat(new PingService(client).ping(connection)).isPositive();
        assertThat(dns.questions()).containsExactly("_dnsaddr.boot.test.example", "_dnsaddr.node.boot.test.example");
    }

    @Test
    void aDomainThatDoesNotExistFailsTheDialNamingIt() {
        Host client = host();

        assertThatThrownBy(() -> client.dial(dnsaddr("missing.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("_dnsaddr.missing.test.example")
                .hasMessageContaining("NXDOMAIN");
        assertThat(client.connections()).isEmpty();
    }

    @Test
    void addressesThatCannotBeDialledDirectlyFailTheDialListingThem() {
        String viaRelay = tcp + "/p2p-circuit/p2p/" + server.peerId();
        dns.addDnsaddr("undialable.test.example",
                "/ip4/127.0.0.1/udp/4001/quic-v1/p2p/" + server.peerId(), viaRelay);
        Host client = host();

        assertThatThrownBy(() -> client.dial(dnsaddr("undialable.test.example")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no direct address this host can dial")
                .hasMessageContaining("quic-v1")
                .hasMessageContaining("p2p-circuit");
        assertThatThrownBy(() -> client.dial(Multiaddr.parse("/dnsaddr/undialable.test.example/p2p/" + STRANGER)))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("resolved to no address");
    }
}
