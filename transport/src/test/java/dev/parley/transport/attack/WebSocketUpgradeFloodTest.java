package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.InboundLimit;
import dev.parley.transport.InboundLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two strangers of one /24 flood the WebSocket listener: one completes WebSocket upgrades and then stays silent,
 * the other opens TCP connections to the listener and never sends its HTTP request. Each is closed at accept beyond
 * its address's share, both together beyond their subnet's, before Jetty reads a byte; a newcomer dialling over
 * WebSocket from elsewhere is answered throughout.
 */
class WebSocketUpgradeFloodTest {
    private static final int SOCKETS_PER_SECOND = 300;
    private static final int REFUSALS = 1_000;
    private static final int PINGS = 20;

    static byte[] upgradeRequest(InetSocketAddress target) {
        return ("GET / HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void upgradeAndSilentFloodsOfTheWebSocketListenerLeaveANewcomerAnswered() throws Exception {
        InboundLimits limits = InboundLimits.defaults();
        InetAddress upgrader = AttackedNode.attacker(5);
        InetAddress silent = AttackedNode.attacker(6);
        AtomicInteger mostPendingOfTheSubnet = new AtomicInteger();
        try (AttackedNode node = new AttackedNode()) {
            InetSocketAddress target = node.webSocketSocket();
            try (Flood upgrades = Flood.opening(upgrader, target, upgradeRequest(target), Integer.MAX_VALUE,
                         SOCKETS_PER_SECOND);
                 Flood silence = Flood.silent(silent, target, Integer.MAX_VALUE, SOCKETS_PER_SECOND);
                 HonestPeer honest = new HonestPeer(node.webSocket)) {
                // Until the upgrading stranger's slots have been closed at the first-byte deadline and taken again.
                Await.until(() -> {
                    var pending = node.usage().pendingPerAddress();
                    mostPendingOfTheSubnet.accumulateAndGet(pending.getOrDefault(AttackedNode.counted(upgrader), 0)
                            + pending.getOrDefault(AttackedNode.counted(silent), 0), Math::max);
                    return upgrades.refusedUnanswered() >= REFUSALS && silence.refusedUnanswered() >= REFUSALS
                            && upgrades.answeredThenClosed() >= 2 * limits.loopback().pendingPerAddress()
                            && honest.answered() >= PINGS;
                }, Duration.ofMinutes(3), () -> upgrades + "; " + silence + "; honest answered " + honest.answered());
                honest.stop();

                assertThat(honest.failures()).as("fresh pings over WebSocket that failed during the floods").isEmpty();
                assertThat(node.usage().refused(InboundLimit.PENDING_PER_ADDRESS)
                        + node.usage().refused(InboundLimit.PENDING_PER_SUBNET))
                        .as("refused at accept").isGreaterThanOrEqualTo(2 * REFUSALS);
                assertThat(node.usage().refused(InboundLimit.PENDING_PER_SUBNET)).as("refused by the /24's share")
                        .isPositive();
                assertThat(mostPendingOfTheSubnet.get()).as("pending handshakes of the strangers' /24")
                        .isLessThanOrEqualTo(limits.loopback().pendingPerSubnet());
            }
            Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
        }
    }
}
