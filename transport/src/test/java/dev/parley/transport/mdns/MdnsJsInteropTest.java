package dev.parley.transport.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parley's mDNS against js-libp2p's {@code @libp2p/mdns}, each in a namespace of one lab LAN: each finds the
 * other with a dialable address and dials it.
 */
class MdnsJsInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void parleyAndJsFindAndDialEachOther() throws Exception {
        JsPeer.assumeNodeAvailable();
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(2);
            LabHost parleyHost = lan.get(0);
            LabHost jsHost = lan.get(1);
            try (MdnsProbe parley = MdnsProbe.start(lab, parleyHost, List.of("--listen", "/ip4/0.0.0.0/tcp/0"),
                    Duration.ofSeconds(1), MdnsConfig.DEFAULT_RECORD_TTL);
                    JsPeer js = JsPeer.start(List.of("--listen", "/ip4/0.0.0.0/tcp/0", "--mdns-interval", "1000"),
                            lab.launcherIn(jsHost))) {
                // Parley sees js, keeps only the address it can reach (js also announces 127.0.0.1), and dials it
                // by PeerId.
                JsonNode found = parley.awaitFound(js.peerId(), WAIT);
                assertThat(js.addrs()).anyMatch(address -> address.startsWith("/ip4/127.0.0.1/"));
                assertThat(JsPeer.texts(found.path("addrs"))).isNotEmpty()
                        .allMatch(address -> address.startsWith("/ip4/" + jsHost.ip() + "/tcp/"));
                JsonNode dialed = parley.dial(js.peerId(), WAIT);
                assertThat(dialed.path("ok").asBoolean()).as("Parley dials js by PeerId: %s", dialed).isTrue();
                assertThat(dialed.path("remoteAddress").asText()).startsWith("/ip4/" + jsHost.ip() + "/tcp/");

                // js sees Parley with its LAN address only, and dials that address on a new connection.
                JsonNode discovery = js.awaitEvent("peer:discovery",
                        event -> parley.peerId().toBase58().equals(event.path("peerId").asText()), WAIT);
                List<String> addrs = JsPeer.texts(discovery.path("addrs"));
                assertThat(addrs).isNotEmpty().allMatch(address -> address.startsWith("/ip4/" + parleyHost.ip() + "/tcp/"));
                String address = addrs.getFirst() + "/p2p/" + parley.peerId().toBase58();
                JsonNode connection = js.callOk(Map.of("cmd", "dial", "addr", address, "force", true));
                assertThat(connection.path("remotePeer").asText()).isEqualTo(parley.peerId().toBase58());
                assertThat(connection.path("remoteAddr").asText()).isEqualTo(address);
            }
        }
    }
}
