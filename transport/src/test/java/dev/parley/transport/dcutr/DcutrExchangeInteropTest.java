package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Direction;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.DcutrLoopbackPeers.Peer;
import dev.parley.transport.interop.JsPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole DCUtR exchange between js-libp2p's message codec, driven as B by {@code dcutr:exchange}, and Parley
 * as A through a Java relay on loopback, up to A's simultaneous-open dial from its listening port. js-libp2p's
 * DCUtR service itself would go no further than the CONNECTs here: it dials only addresses it calls public.
 */
class DcutrExchangeInteropTest {
    private static final byte[] DATA = {1, 2, 3, 4};

    private DcutrLoopbackPeers peers;

    @BeforeEach
    void startRelay() throws Exception {
        JsPeer.assumeNodeAvailable();
        peers = new DcutrLoopbackPeers();
    }

    @AfterEach
    void closePeers() throws Exception {
        if (peers != null) {
            // Null when Node or the js peer is missing and the test was skipped before they started.
            peers.close();
        }
    }

    @Test
    void jsCodecAsBExchangesWithJavaAndJavaAsADialsItFromItsListeningPort() throws Exception {
        JsPeer jsB = peers.js(List.of("--listen", DcutrLoopbackPeers.LOOPBACK.toString(),
                "--listen", peers.relayListenAddress().toString()));
        jsB.callOk(Map.of("cmd", "relay:circuitAddrs"));
        Peer javaA = peers.peer();
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        javaA.dcutr().onResult(outcome::complete);
        Connection relayed = javaA.host().dial(peers.circuitTo(jsB.peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        JsonNode exchange = jsB.callOk(Map.of("cmd", "dcutr:exchange", "peerId", javaA.host().peerId().toString()));

        assertThat(exchange.get("type").asText()).isEqualTo("CONNECT");
        assertThat(JsPeer.texts(exchange.get("addrs"))).as("A's CONNECT as js decoded it")
                .contains(javaA.tcpAddress().toString())
                .allSatisfy(address -> assertThat(address).doesNotContain("/p2p-circuit"));
        HolePunchResult result = outcome.get(20, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.peer()).isEqualTo(jsB.peerId());
        Connection direct = javaA.host().connection(jsB.peerId()).orElseThrow();
        assertThat(direct.isRelayed()).isFalse();
        assertThat(direct.direction()).as("A is the client").isEqualTo(Direction.OUTBOUND);
        assertThat(javaA.dcutr().isHolePunched(direct)).isTrue();
        JsonNode opened = jsB.awaitEvent("connection:open",
                event -> event.path("remotePeer").asText().equals(javaA.host().peerId().toString())
                        && !event.path("remoteAddr").asText().contains("/p2p-circuit"),
                Duration.ofSeconds(10));
        assertThat(opened.path("direction").asText()).isEqualTo("inbound");
        assertThat(opened.path("remoteAddr").asText()).as("A dialled from its listening port")
                .matches(Pattern.quote(javaA.tcpAddress().toString()) + "(/p2p/.*)?");
        assertThat(TestProtocols.echoOver(direct, DATA)).containsExactly(DATA);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (relayed.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(relayed.isOpen()).as("the relayed connection closed after its grace").isFalse();
    }
}
