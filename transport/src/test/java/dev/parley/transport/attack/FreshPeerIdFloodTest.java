package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.InboundLimit;
import dev.parley.transport.InboundLimits;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A stranger opens 1,100 authenticated connections from one address, each under a key made up for it, which used
 * to fill the connection table and grow the node by 440 MB: now it holds its address's share, the rest are closed
 * before Noise, and a newcomer from elsewhere still connects.
 */
class FreshPeerIdFloodTest {
    private static final int CONNECTIONS = 1_100;
    /**
     * What the flood's share may add to the live heap, node and attacker sides together. The 1,024 connections
     * held before this limit grew the node's RSS by 440 MB; the share of 128 measures about 30 MiB.
     */
    private static final long MAX_HEAP_GROWTH_MIB = 128;

    @Test
    void freshPeerIdsFromOneAddressGetItsShareAndTheRestAreRefusedBeforeNoise() throws Exception {
        int share = InboundLimits.defaults().loopback().connectionsPerAddress();
        InetAddress from = AttackedNode.attacker(3);
        try (AttackedNode node = new AttackedNode()) {
            NodeMemory before = NodeMemory.now();
            try (FreshPeerFlood flood = FreshPeerFlood.run(from, node.tcpSocket(), node.host.peerId(), CONNECTIONS);
                 HonestPeer honest = new HonestPeer(node.tcp)) {
                assertThat(flood.held()).as("connections the stranger holds: " + flood).isEqualTo(share);
                assertThat(flood.refusedBeforeNoise()).as("closed before a byte was sent: " + flood)
                        .isEqualTo(CONNECTIONS - share);
                assertThat(node.usage().refused(InboundLimit.CONNECTIONS_PER_ADDRESS))
                        .isEqualTo(CONNECTIONS - share);
                Await.until(() -> node.host.connections().size() >= share, Duration.ofSeconds(30),
                        () -> node.usage().toString());
                assertThat(node.usage().inboundPerAddress()).containsEntry(AttackedNode.counted(from), share);

                Await.until(() -> honest.answered() >= 5, Duration.ofMinutes(1), () -> honest.failures().toString());
                honest.stop();
                assertThat(honest.failures()).as("fresh pings that failed while the flood held its share").isEmpty();

                NodeMemory during = NodeMemory.now();
                System.out.println("fresh PeerId flood: before " + before + ", holding " + share + ": " + during);
                assertThat(during.liveHeapMiB() - before.liveHeapMiB()).as("live heap growth, MiB")
                        .isLessThan(MAX_HEAP_GROWTH_MIB);
            }
            Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
            System.out.println("fresh PeerId flood: after " + NodeMemory.now());
        }
    }
}
