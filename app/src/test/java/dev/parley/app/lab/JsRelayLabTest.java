package dev.parley.app.lab;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.Main;
import dev.parley.transport.interop.JsCommandException;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A js-libp2p peer behind one NAT and Parley behind another reach each other through a relay on the lab's internet,
 * each way; the relay is js-libp2p's in one run and {@code parley relay} in the other. js's TCP transport does not
 * dial from its listen port, so the connection stays relayed.
 */
class JsRelayLabTest {
    @TempDir
    Path profiles;

    @ParameterizedTest(name = "relay: {0}")
    @ValueSource(strings = {"js", "parley"})
    void jsAndParleyBehindTwoNatsPingEachOtherThroughTheRelay(String relayKind) throws Exception {
        JsPeer.assumeNodeAvailable();
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost relayHost = lab.addPublicHosts(1).getFirst();
            NatLan jsHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            NatLan parleyHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            String relay = relayKind.equals("js")
                    ? JsPeer.start(List.of("--relay-server", "--listen", relayHost.tcpMultiaddr(LabChat.PORT)),
                            lab.launcherIn(relayHost)).address()
                    : LabRelay.start(lab, relayHost, profiles.resolve("relay"), List.of()).address();

            JsPeer js = JsPeer.start(List.of("--listen", "/ip4/0.0.0.0/tcp/0", "--listen", relay + "/p2p-circuit"),
                    lab.launcherIn(jsHome.hosts().getFirst()));
            String jsCircuit = js.callOk(Map.of("cmd", "relay:circuitAddrs")).path("addrs").get(0).asText();
            String parleyCircuit = relay + "/p2p-circuit/p2p/" + startParleyNode(lab, parleyHome, relay);

            JsonNode parleyPinged = parleyPing(lab, parleyHome.hosts().getFirst(), jsCircuit);
            assertThat(parleyPinged.path("peer").asText()).isEqualTo(js.peerId().toString());
            assertThat(parleyPinged.path("rtt_ms")).hasSize(3);

            assertThat(jsPingWhenReserved(js, parleyCircuit)).hasSize(3);
            assertThat(js.connections().toString()).as("js reached Parley through the relay").contains("/p2p-circuit");
        }
    }

    /** {@code parley node} behind {@code home}, reserving on {@code relay}; returns its PeerId. */
    private String startParleyNode(NetworkLab lab, NatLan home, String relay) throws Exception {
        Process node = lab.start(home.hosts().getFirst(), new ProcessBuilder(ChildJvm.command(Main.class, List.of(
                "node", "--profile", profiles.resolve("parley").toString(), "--listen", "/ip4/0.0.0.0/tcp/4001",
                "--bootstrap", "none", "--relay", relay))).redirectError(ProcessBuilder.Redirect.DISCARD));
        BufferedReader out = node.inputReader(UTF_8);
        List<String> printed = new ArrayList<>();
        for (String line; (line = out.readLine()) != null && !line.equals("READY"); ) {
            printed.add(line);
        }
        assertThat(printed).as("parley node's addresses").isNotEmpty();
        return printed.getFirst().substring(printed.getFirst().lastIndexOf('/') + 1);
    }

    /** {@code parley ping --json} from a new process behind {@code host}'s NAT. */
    private static JsonNode parleyPing(NetworkLab lab, LabHost host, String target) throws Exception {
        Process ping = lab.start(host, new ProcessBuilder(ChildJvm.command(Main.class, List.of(
                "ping", target, "--count", "3", "--json", "--bootstrap", "none")))
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        String output = new String(ping.getInputStream().readAllBytes(), UTF_8);
        assertThat(ping.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ping.exitValue()).as("parley ping printed: " + output).isZero();
        return new ObjectMapper().readTree(output);
    }

    /** js pings Parley's circuit address, retrying while Parley's reservation is still being made. */
    private static JsonNode jsPingWhenReserved(JsPeer js, String target) throws InterruptedException {
        JsCommandException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                return js.callOk(Map.of("cmd", "ping", "addr", target, "count", 3)).path("rtts");
            } catch (JsCommandException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new AssertionError("js could not ping Parley at " + target, last);
    }
}
