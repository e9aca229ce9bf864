package dev.parley.transport.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.JsonLinesProcess;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Port mapping against a real router: a lab NAT router running miniupnpd, which speaks all three protocols. For
 * each, a host behind the router gets its port forwarded, advertises the router's public address, and a host on
 * the internet pings it there, though the router drops everything unasked; after the host closes its port
 * mapping, the router's forwarding rule is gone, the address is withdrawn and the same ping fails.
 */
class PortMappingLabTest {
    private static final Duration WAIT = Duration.ofSeconds(45);

    private NetworkLab lab;
    private NatLan home;
    private LabHost outside;

    @BeforeEach
    void buildLab() throws Exception {
        lab = NetworkLab.create();
        home = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
        outside = lab.addPublicHosts(1).get(0);
        lab.enablePortMapping(home);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(PortMappingProtocol.class)
    void theRouterForwardsTheMappedPortUntilTheMappingIsClosed(PortMappingProtocol protocol) throws Exception {
        JsonLinesProcess inside = probe(home.hosts().get(0), "serve", protocol.name());
        JsonNode mapped = inside.await("a mapping", line -> line.has("mapped") || line.has("failed"), WAIT);
        assertThat(mapped.has("mapped")).as("mapped by %s: %s", protocol, mapped).isTrue();
        assertThat(mapped.get("protocol").asText()).isEqualTo(protocol.name());
        Multiaddr external = Multiaddr.parse(mapped.get("mapped").asText());
        assertThat(external.ip()).contains(home.publicIp());
        assertThat(mapped.get("advertised").asBoolean()).as("the host advertises the mapped address").isTrue();
        int port = external.toSocketAddress().getPort();
        assertThat(forwardingRules()).as("the router's forwarding rules").contains("dport " + port);

        assertThat(ping(external).has("rttMs")).as("pinged from the internet at %s", external).isTrue();

        inside.sendLine("close");
        JsonNode closed = inside.await("closed", line -> line.has("closed"), WAIT);
        assertThat(closed.get("closed").toString()).as("addresses after closing").doesNotContain(home.publicIp());
        assertThat(forwardingRules()).doesNotContain("dport " + port);
        assertThat(ping(external).has("failed")).as("nothing reaches the host after the mapping is removed").isTrue();
        inside.closeInput();
    }

    private String forwardingRules() throws Exception {
        return lab.runOnRouter(home, "nft", "list", "chain", "inet", "parley_upnp", "prerouting_miniupnpd");
    }

    private JsonNode ping(Multiaddr address) throws Exception {
        JsonLinesProcess pinger = probe(outside, "ping", address.toString());
        return pinger.await("a ping's outcome", line -> line.has("rttMs") || line.has("failed"), WAIT);
    }

    private JsonLinesProcess probe(LabHost host, String... arguments) throws Exception {
        Process process = lab.start(host, new ProcessBuilder(ChildJvm.command(PortMappingProbeMain.class,
                List.of(arguments))));
        return new JsonLinesProcess(process, "port-mapping " + arguments[0] + " in " + host.name());
    }
}
