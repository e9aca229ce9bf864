package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.DcutrLoopbackPeers.Peer;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer that stops talking half-way through an exchange holds the other side for one attempt's time, no longer. */
class DcutrTimeoutTest {
    private DcutrLoopbackPeers peers;

    @BeforeEach
    void startRelay() throws IOException {
        peers = new DcutrLoopbackPeers();
    }

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    @Test
    void bGivesUpOnAnAThatNeverAnswersItsConnectAfterThreeTimedAttempts() throws Exception {
        Peer b = peers.peer();
        peers.reserve(b.host());
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        b.dcutr().onResult(outcome::complete);
        Host silentA = peers.host();
        AtomicInteger exchangesBegun = new AtomicInteger();
        silentA.setHandler(DcutrService.PROTOCOL_ID, stream -> {
            exchangesBegun.incrementAndGet();
            stream.in().readAllBytes();
        });

        Connection relayed = silentA.dial(peers.circuitTo(b.host().peerId()));

        HolePunchResult result = outcome.get(30, TimeUnit.SECONDS);
        assertThat(result.success()).isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(exchangesBegun).hasValue(3);
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.multipliedBy(3))
                .isLessThan(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.multipliedBy(3).plusSeconds(5));
        assertThat(TestProtocols.echoOver(relayed, new byte[] {9})).containsExactly(9);
    }

    @Test
    void aDropsTheStreamOfABThatSendsConnectButNeverSync() throws Exception {
        Peer a = peers.peer();
        Host silentB = peers.host();
        Connection connection = silentB.dial(a.tcpAddress().withPeerId(a.host().peerId()));

        try (Stream stream = connection.newStream(DcutrService.PROTOCOL_ID)) {
            byte[] connect = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT)
                    .addObsAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/9").bytes()))
                    .build().toByteArray();
            Varint.write(connect.length, stream.out());
            stream.out().write(connect);
            stream.out().flush();
            long start = System.nanoTime();
            CompletableFuture<Void> dropped = CompletableFuture.runAsync(() -> {
                try {
                    stream.in().readAllBytes();
                } catch (IOException reset) {
                    // a reset is one way of being dropped
                }
            });
            dropped.get(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.minusMillis(200));
        }
        assertThat(connection.isOpen()).isTrue();
        assertThat(TestProtocols.echoOver(connection, new byte[] {8})).containsExactly(8);
    }
}
