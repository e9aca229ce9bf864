package dev.parley.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The counting and admitting of inbound connections, without sockets. */
class ResourceManagerTest {
    private static final Closeable NO_SOCKET = () -> { };
    /** Small numbers, so each limit is reached in a few steps: pending 2/3 per address/subnet, connections 3/5. */
    private static final AddressShare SMALL = new AddressShare(2, 3, 3, 5);
    private static final ResourceLimits LIMITS = ResourceLimits.defaults().withMaxPendingUpgrades(6)
            .withInbound(new InboundLimits(SMALL, SMALL, Duration.ofSeconds(3)));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ResourceManager manager = new ResourceManager(LIMITS, timer, System::nanoTime);
    private final List<CountedAdmission> admitted = new ArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private Optional<CountedAdmission> admit(String ip) throws Exception {
        Optional<CountedAdmission> admission = manager.admit(Optional.of(InboundSource.of(InetAddress.getByName(ip))),
                NO_SOCKET);
        admission.ifPresent(admitted::add);
        return admission;
    }

    @Test
    void oneAddressGetsItsPendingShareAndTheRestOfItsSubnetTheRest() throws Exception {
        assertThat(admit("192.0.2.7")).isPresent();
        assertThat(admit("192.0.2.7")).isPresent();
        assertThat(admit("192.0.2.7")).as("third pending from one address").isEmpty();
        assertThat(admit("192.0.2.8")).as("a neighbour in the /24").isPresent();
        assertThat(admit("192.0.2.9")).as("fourth pending from the /24").isEmpty();
        assertThat(admit("198.51.100.1")).as("another /24").isPresent();

        ResourceUsage usage = manager.usage(0);
        assertThat(usage.pendingHandshakes()).isEqualTo(4);
        assertThat(usage.pendingPerAddress()).containsEntry("192.0.2.7/32", 2).containsEntry("192.0.2.8/32", 1);
        assertThat(usage.refused(InboundLimit.PENDING_PER_ADDRESS)).isEqualTo(1);
        assertThat(usage.refused(InboundLimit.PENDING_PER_SUBNET)).isEqualTo(1);
    }

    @Test
    void aFinishedHandshakeFreesItsPendingSlotButStillCountsAsAConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            admit("192.0.2.7").orElseThrow().connected();
        }
        assertThat(manager.usage(3).pendingHandshakes()).isZero();
        assertThat(admit("192.0.2.7")).as("a fourth connection from one address").isEmpty();
        assertThat(manager.usage(3).refused(InboundLimit.CONNECTIONS_PER_ADDRESS)).isEqualTo(1);

        admitted.getFirst().close();
        assertThat(admit("192.0.2.7")).as("room again once one closed").isPresent();
    }

    @Test
    void everythingReturnsToBaselineWhenReleasedTwice() throws Exception {
        admit("192.0.2.7").orElseThrow().connected();
        admit("192.0.2.7");
        admit("2001:db8::1");
        for (CountedAdmission admission : admitted) {
            admission.close();
            admission.close();
        }

        ResourceUsage usage = manager.usage(0);
        assertThat(usage.pendingHandshakes()).isZero();
        assertThat(usage.inboundConnections()).isZero();
        assertThat(usage.inboundPerAddress()).isEmpty();
        assertThat(usage.pendingPerAddress()).isEmpty();
    }

    @Test
    void anIpv6AddressIsItsSlash64AndItsSubnetItsSlash48() throws Exception {
        assertThat(admit("2001:db8:0:1::1")).isPresent();
        assertThat(admit("2001:db8:0:1::ffff")).isPresent();
        assertThat(admit("2001:db8:0:1:8000::1")).as("a third address of the same /64").isEmpty();
        assertThat(admit("2001:db8:0:2::1")).as("another /64 of the /48").isPresent();
        assertThat(admit("2001:db8:0:3::1")).as("a fourth pending from the /48").isEmpty();
        assertThat(admit("2001:db8:1::1")).as("another /48").isPresent();

        assertThat(manager.usage(0).pendingPerAddress()).containsEntry("2001:db8:0:1:0:0:0:0/64", 2);
    }

    @Test
    void relayedConnectionsMeetOnlyTheTotals() {
        for (int i = 0; i < 6; i++) {
            assertThat(manager.admit(Optional.empty(), NO_SOCKET)).isPresent();
        }
        assertThat(manager.admit(Optional.empty(), NO_SOCKET)).as("beyond 6 pending in total").isEmpty();
        assertThat(manager.usage(0).refused(InboundLimit.PENDING_TOTAL)).isEqualTo(1);
    }

    @Test
    void loopbackHasAShareOfItsOwn() throws Exception {
        ResourceManager roomyLoopback = new ResourceManager(LIMITS.withInbound(LIMITS.inbound()
                .withLoopback(new AddressShare(4, 4, 4, 4))), timer, System::nanoTime);
        for (int i = 0; i < 4; i++) {
            assertThat(roomyLoopback.admit(Optional.of(InboundSource.of(InetAddress.getByName("127.0.0.2"))),
                    NO_SOCKET)).isPresent();
        }
        assertThat(roomyLoopback.admit(Optional.of(InboundSource.of(InetAddress.getByName("127.0.0.2"))),
                NO_SOCKET)).isEmpty();
    }

    @Test
    void aConnectionStillPendingAtTheUpgradeTimeoutIsClosedAndReleased() throws Exception {
        ResourceManager quick = new ResourceManager(LIMITS.withUpgradeTimeout(Duration.ofMillis(50)), timer,
                System::nanoTime);
        CountDownLatch closed = new CountDownLatch(1);
        CountedAdmission admission = quick.admit(Optional.of(InboundSource.of(InetAddress.getByName("192.0.2.7"))),
                closed::countDown).orElseThrow();

        assertThat(closed.await(10, TimeUnit.SECONDS)).as("socket closed at the deadline").isTrue();
        timer.submit(() -> { }).get();
        assertThat(admission.state()).isEqualTo(CountedAdmission.State.RELEASED);
        assertThat(quick.usage(0).inboundPerAddress()).isEmpty();
    }

    @Test
    void aRefusedSourceIsLoggedOncePerQuietPeriod() {
        RefusalLog log = new RefusalLog();
        long minute = RefusalLog.QUIET.toNanos();

        assertThat(log.shouldLog("192.0.2.7/32", 0)).isTrue();
        assertThat(log.shouldLog("192.0.2.7/32", minute - 1)).isFalse();
        assertThat(log.shouldLog("192.0.2.8/32", 1)).as("another source").isTrue();
        assertThat(log.shouldLog("192.0.2.7/32", minute)).isTrue();
    }

    @Test
    void theRefusalLogRemembersABoundedNumberOfSources() {
        RefusalLog log = new RefusalLog();
        for (int i = 0; i < RefusalLog.MAX_SOURCES; i++) {
            assertThat(log.shouldLog("source " + i, 0)).isTrue();
        }
        assertThat(log.shouldLog("one too many", 1)).as("full of recent sources").isFalse();
        assertThat(log.shouldLog("one too many", RefusalLog.QUIET.toNanos())).as("the old ones forgotten").isTrue();
    }
}
