package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.InboundLimit;
import dev.parley.transport.InboundLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A stranger opens TCP connections from one address at a high rate and never speaks, which used to fill every
 * handshake slot: now it fills only its address's share, and a newcomer from elsewhere is answered throughout.
 */
class SilentSocketFloodTest {
    private static final int SOCKETS_PER_SECOND = 500;
    /** Refusals to see before the flood has shown it cannot take more than its share. */
    private static final int REFUSALS = 2_000;
    /** Fresh pings to see answered during the flood. */
    private static final int PINGS = 20;

    @Test
    void aSilentSocketFloodFromOneAddressLeavesANewcomerAnsweredThroughout() throws Exception {
        int share = InboundLimits.defaults().loopback().pendingPerAddress();
        InetAddress from = AttackedNode.attacker(2);
        AtomicInteger mostPendingSeen = new AtomicInteger();
        try (AttackedNode node = new AttackedNode()) {
            try (Flood flood = Flood.silent(from, node.tcpSocket(), Integer.MAX_VALUE, SOCKETS_PER_SECOND);
                 HonestPeer honest = new HonestPeer(node.tcp)) {
                // Until the flood's share has been taken, closed at the first-byte deadline and taken again twice.
                Await.until(() -> {
                    mostPendingSeen.accumulateAndGet(
                            node.usage().pendingPerAddress().getOrDefault(AttackedNode.counted(from), 0), Math::max);
                    return flood.refusedUnanswered() >= REFUSALS && flood.answeredThenClosed() >= 2 * share
                            && honest.answered() >= PINGS;
                }, Duration.ofMinutes(3), () -> flood + "; honest answered " + honest.answered());
                honest.stop();

                assertThat(honest.failures()).as("fresh pings that failed during the flood").isEmpty();
                assertThat(node.usage().refused(InboundLimit.PENDING_PER_ADDRESS))
                        .as("refused at accept by the per-address share").isGreaterThanOrEqualTo(REFUSALS);
                assertThat(mostPendingSeen.get()).as("pending handshakes of the flooding address")
                        .isLessThanOrEqualTo(share);
            }
            Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
        }
    }
}
