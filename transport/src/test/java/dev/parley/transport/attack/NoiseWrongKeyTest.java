package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.memory.MemorySnapshot;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.noise.HostilePayload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stranger dials the node over and over, a few dials at a time and each under a new key, and lies in the payload
 * of Noise's message 3: the identity key it presents did not make the signature, or the signature covers a static
 * key other than the handshake's. The node refuses every one (it closes the connection instead of negotiating Yamux)
 * and opens no connection for any peer the stranger claimed to be; a newcomer from another /24 is answered
 * throughout; afterwards the node holds nothing, neither handshake nor connection nor memory.
 */
class NoiseWrongKeyTest {
    private static final int LIES = 200;
    private static final int CONCURRENT_DIALS = 4;
    /** Fresh pings to see answered while the stranger dials. */
    private static final int PINGS = 10;
    /**
     * Far longer than the test runs, so that a liar's connection the node closes was closed by the refusal, not at
     * the upgrade deadline (10 s by default), which would also end a handshake the node had never judged.
     */
    private static final ResourceLimits LIMITS = ResourceLimits.defaults().withUpgradeTimeout(Duration.ofHours(1));

    @ParameterizedTest(name = "{0}")
    @EnumSource(HostilePayload.class)
    void everyLyingHandshakeIsRefusedAndANewcomerIsAnsweredThroughout(HostilePayload lie) throws Exception {
        List<PeerId> opened = new CopyOnWriteArrayList<>();
        try (AttackedNode node = new AttackedNode(LIMITS)) {
            node.host.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionOpened(Connection connection) {
                    opened.add(connection.remotePeer());
                }
            });
            MemorySnapshot baseline = node.host.memory().snapshot();
            try (LyingDialer stranger = new LyingDialer(AttackedNode.attacker(5), node.tcpSocket(),
                    node.host.peerId(), lie, CONCURRENT_DIALS);
                 HonestPeer honest = new HonestPeer(node.tcp)) {
                Await.until(() -> stranger.dials() >= LIES && honest.answered() >= PINGS, Duration.ofMinutes(3),
                        () -> stranger + "; honest answered " + honest.answered() + ", failed " + honest.failures());
                stranger.stop();
                honest.stop();

                assertThat(stranger.believed()).as("lies the node believed: " + stranger).isZero();
                assertThat(stranger.failures()).as("dials not refused after the lie: " + stranger).isEmpty();
                assertThat(stranger.refusedAfterTheLie()).isGreaterThanOrEqualTo(LIES);
                assertThat(node.usage().refusedInAll()).as("dials refused at accept, before the lie could be judged")
                        .isZero();
                assertThat(honest.failures()).as("fresh pings that failed while the stranger lied").isEmpty();
                // Each answered ping is one connection the node opened; the listener hears of it just after.
                Await.until(() -> opened.size() >= honest.answered(), Duration.ofSeconds(30),
                        () -> opened.size() + " connections opened, " + honest.answered() + " pings answered");
                assertThat(opened).as("connections the node opened").hasSize(honest.answered())
                        .doesNotContainAnyElementsOf(stranger.claimed());
            }
            Await.until(() -> node.atBaseline() && node.host.memory().snapshot().equals(baseline),
                    AttackedNode.BACK_TO_BASELINE,
                    () -> node.usage() + "; memory " + node.host.memory().snapshot() + ", before " + baseline);
        }
    }
}
