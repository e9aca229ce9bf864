package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.parley.transport.InboundLimit;
import dev.parley.transport.InboundLimits;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A stranger opens 10,000 connections from one address as fast as loopback takes them and leaves each silent,
 * half-open as far as the node can tell (a SYN-only half-open connection never reaches Java: the kernel's backlog
 * and SYN cookies deal with it). Every one beyond the address's share is closed at accept, the share is closed at
 * the first-byte deadline, and a newcomer from elsewhere is answered throughout.
 */
class HalfOpenFloodTest {
    private static final int SOCKETS = 10_000;
    /** File descriptors left for the JVM, the node and the honest peer besides the flood's sockets. */
    private static final int SPARE_DESCRIPTORS = 1_000;

    @Test
    void tenThousandSilentSocketsFromOneAddressLeaveANewcomerAnswered() throws Exception {
        int sockets = socketsTheDescriptorLimitAllows();
        int share = InboundLimits.defaults().loopback().pendingPerAddress();
        InetAddress from = AttackedNode.attacker(4);
        AtomicInteger mostPendingSeen = new AtomicInteger();
        try (AttackedNode node = new AttackedNode()) {
            try (HonestPeer honest = new HonestPeer(node.tcp);
                 Flood flood = Flood.silent(from, node.tcpSocket(), sockets, 20_000)) {
                Await.until(() -> {
                    mostPendingSeen.accumulateAndGet(
                            node.usage().pendingPerAddress().getOrDefault(AttackedNode.counted(from), 0), Math::max);
                    return flood.doneOpening() && flood.stillOpen() == 0 && honest.answered() >= 10;
                }, Duration.ofMinutes(3), () -> flood + "; honest answered " + honest.answered());
                honest.stop();

                assertThat(flood.opened() + flood.failedToOpen()).isEqualTo(sockets);
                assertThat(flood.refusedUnanswered() + flood.answeredThenClosed()).as("every socket ended by the node")
                        .isEqualTo(flood.opened());
                assertThat(flood.refusedUnanswered()).as("closed at accept: " + flood).isGreaterThan(sockets / 2)
                        .isEqualTo(node.usage().refused(InboundLimit.PENDING_PER_ADDRESS));
                assertThat(mostPendingSeen.get()).as("pending handshakes of the flooding address")
                        .isLessThanOrEqualTo(share);
                assertThat(honest.failures()).as("fresh pings that failed during the flood").isEmpty();
            }
            Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
        }
    }

    /**
     * {@link #SOCKETS}, or fewer if this process may not open that many more files ({@code ulimit -n}); a limit too
     * low for a flood worth the name skips the test with the reason.
     */
    private static int socketsTheDescriptorLimitAllows() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return SOCKETS;
        }
        long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - SPARE_DESCRIPTORS;
        assumeTrue(free >= 2_000, "ulimit -n leaves " + free + " descriptors for the flood; raise it to at least "
                + (SOCKETS + SPARE_DESCRIPTORS + os.getOpenFileDescriptorCount()));
        if (free < SOCKETS) {
            System.out.println("ulimit -n allows a flood of " + free + " sockets, not " + SOCKETS);
        }
        return (int) Math.min(SOCKETS, free);
    }
}
