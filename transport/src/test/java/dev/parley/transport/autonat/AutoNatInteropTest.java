package dev.parley.transport.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.autonat.DialBackResult.Status;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.ProcessLauncher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AutoNAT v1 messages between Parley and js-libp2p (@libp2p/autonat), each as client and server. js refuses to
 * dial back private addresses, and loopback is all these tests have, so js's refusal is the answer expected of it;
 * the dial-back itself is proven with Parley as server.
 */
class AutoNatInteropTest {
    private Host host;
    private JsPeer js;

    @BeforeEach
    void start() throws Exception {
        JsPeer.assumeNodeAvailable();
        host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        js = JsPeer.start(List.of("--autonat"), ProcessLauncher.LOCAL);
    }

    @AfterEach
    void stop() {
        if (js != null) {
            js.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aJsServerReadsOurDialAndAnswersInAFormWeRead() throws Exception {
        AutoNatService autonat = new AutoNatService(host, new IdentifyService(host, "autonat-interop"),
                AutoNatConfig.defaults());
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        host.dial(Multiaddr.parse(js.address()));

        DialBackResult answer = autonat.ask(js.peerId());

        assertThat(answer.server()).isEqualTo(js.peerId());
        assertThat(answer.status()).isEqualTo(Status.DIAL_REFUSED);
        assertThat(answer.text()).isEqualTo("no dialable addresses");
    }

    @Test
    void aJsClientIsDialledBackByAParleyServer() throws Exception {
        new AutoNatService(host, new IdentifyService(host, "autonat-interop"),
                AutoNatConfig.defaults().dialingPrivateAddresses());
        Multiaddr parley = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(host.peerId());
        String jsAddress = Multiaddr.parse(js.address()).withoutPeerId().toString();

        JsonNode answer = js.callOk(Map.of("cmd", "autonat:dial", "addr", parley.toString(),
                "addrs", List.of(jsAddress)));

        assertThat(answer.path("type").asText()).isEqualTo("DIAL_RESPONSE");
        assertThat(answer.path("status").asText()).isEqualTo("OK");
        assertThat(answer.path("addr").asText()).isEqualTo(jsAddress);
        js.awaitEvent("connection:open", event -> event.path("remotePeer").asText().equals(host.peerId().toString())
                && event.path("direction").asText().equals("inbound"), Duration.ofSeconds(10));
    }

    @Test
    void aJsClientAskingAboutAnotherIpIsRefused() throws Exception {
        new AutoNatService(host, new IdentifyService(host, "autonat-interop"),
                AutoNatConfig.defaults().dialingPrivateAddresses());
        Multiaddr parley = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(host.peerId());

        JsonNode answer = js.callOk(Map.of("cmd", "autonat:dial", "addr", parley.toString(),
                "addrs", List.of("/ip4/127.0.0.2/tcp/4001")));

        assertThat(answer.path("status").asText()).isEqualTo("E_DIAL_REFUSED");
        assertThat(answer.path("statusText").asText()).isEqualTo("no dialable addresses");
    }
}
