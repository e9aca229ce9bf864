package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemoryLimits;
import dev.parley.transport.memory.MemorySnapshot;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Strangers attacking a host's streams over real loopback sockets (transport/README.md, "Promises"): the memory
 * budget holds, deadlines free what a silent peer holds, and an honest peer is served throughout. After each
 * attack the budget's counters are back where they started.
 */
@Timeout(120)
class StreamsAttackTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
    private static final int MIB = 1024 * 1024;
    private static final String SINK = "/parley-test/never-reads/1.0.0";
    private static final MemoryLimits LIMITS = new MemoryLimits(16 * MIB, 4 * MIB, 4 * MIB, MIB,
            Duration.ofSeconds(1));

    private final List<HostileClient> strangers = new ArrayList<>();
    private final CountDownLatch testOver = new CountDownLatch(1);
    private Host server;
    private Host honest;
    private Multiaddr address;
    private Connection honestConnection;
    private PingService honestPing;
    private MemorySnapshot baseline;

    @BeforeEach
    void startHosts() throws IOException, InterruptedException {
        server = new Host(HostConfig.of(Ed25519PrivateKey.generate())
                .withLimits(ResourceLimits.defaults().withMemory(LIMITS)));
        new PingService(server);
        // The worst handler there is: it never reads, so all a stream is sent stays in its receive buffer.
        server.setHandler(SINK, stream -> awaitQuietly(testOver));
        address = server.listen(LOOPBACK).withPeerId(server.peerId());
        honest = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        honestPing = new PingService(honest);
        honestConnection = honest.dial(address);
        honestPing.ping(honestConnection);
        await(() -> server.memory().snapshot().streams() == 0, "the first ping's stream to close");
        baseline = server.memory().snapshot();
    }

    @AfterEach
    void stop() throws IOException {
        testOver.countDown();
        for (HostileClient stranger : strangers) {
            stranger.close();
        }
        honest.close();
        server.close();
    }

    @Test
    void neverReadStreamsStayWithinTheBudgetWhileAnHonestPeerPings() throws Exception {
        long heapBefore = liveHeap();
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger resets = new AtomicInteger();
        AtomicLong peakReserved = new AtomicLong();
        for (int c = 0; c < 8; c++) {
            HostileClient stranger = connect(c);
            AtomicInteger reopens = new AtomicInteger();
            stranger.drain(frame -> {
                if (frame.has(FrameHeader.RST)) {
                    resets.incrementAndGet();
                    // The attacker replaces every stream the host resets, to keep the pressure on.
                    if (attacking.get() && reopens.incrementAndGet() <= 64) {
                        fillNeverReadStream(stranger);
                    }
                }
            });
            for (int s = 0; s < 64; s++) {
                fillNeverReadStream(stranger);
            }
        }

        int pings = 0;
        while (server.memory().snapshot().refusals() == 0 || pings < 20) {
            assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
            pings++;
            peakReserved.accumulateAndGet(server.memory().snapshot().reservedBytes(), Math::max);
        }
        long heapDuring = liveHeap();
        attacking.set(false);

        assertThat(resets).as("streams reset for want of memory").hasPositiveValue();
        assertThat(peakReserved.get()).isLessThanOrEqualTo(LIMITS.nodeBytes());
        // Beyond the budget: each connection's Noise and socket buffers, the handlers' threads, the strangers' side.
        assertThat(heapDuring - heapBefore).isLessThan(LIMITS.nodeBytes() + 16L * MIB);
        endAttack();
    }

    @Test
    void aPeerThatGrantsNoWindowHasItsPingEchoResetAtTheStallDeadline() throws Exception {
        HostileClient stranger = connect(0);
        CompletableFuture<Void> granted = new CompletableFuture<>();
        CompletableFuture<Long> resetAt = new CompletableFuture<>();
        stranger.drain(frame -> {
            if (frame.has(FrameHeader.RST)) {
                resetAt.complete(System.nanoTime());
            } else if (frame.type() == FrameType.WINDOW_UPDATE && frame.length() > 0) {
                granted.complete(null);
            }
        });
        byte[] negotiation = HostileClient.negotiation(PingService.PROTOCOL_ID);
        int id = stranger.openStream(PingService.PROTOCOL_ID, new byte[0]);
        stranger.sendData(id, new byte[WINDOW - negotiation.length], 16 * 1024);
        granted.get();
        // More pings than the echo has window to answer: it must wait for a window the stranger never grants.
        long sent = System.nanoTime();
        stranger.sendData(id, new byte[64 * 1024], 16 * 1024);

        long waited = resetAt.get() - sent;
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(LIMITS.stallTimeout())
                .isLessThan(PingService.IDLE_TIMEOUT);
        await(() -> atBaseline(server.memory().snapshot(), 1), "the echo's buffers to be released");
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void openThenResetChurnReturnsMemoryAtOnce() throws Exception {
        long heapBefore = liveHeap();
        HostileClient stranger = connect(0);
        stranger.drain(frame -> { });
        byte[] data = new byte[60 * 1024];
        for (int i = 0; i < 2000; i++) {
            int id = stranger.openStream(PingService.PROTOCOL_ID, data);
            stranger.send(FrameHeader.windowUpdate(id, FrameHeader.RST, 0));
        }
        stranger.pingAndAwait();
        long churned = System.nanoTime();

        await(() -> atBaseline(server.memory().snapshot(), 1), "every churned stream to be released");
        long heapAfter = liveHeap();
        // 2000 streams of 60 KiB each were buffered: 117 MiB if anything kept them until a timer's time came.
        assertThat(heapAfter - heapBefore).isLessThan(24L * MIB);
        assertThat(Duration.ofNanos(System.nanoTime() - churned)).isLessThan(Duration.ofSeconds(5));
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
        endAttack();
    }

    @Test
    void windowUpdateToAllOnesClosesOnlyThatConnection() throws Exception {
        HostileClient stranger = connect(0);
        stranger.drain(frame -> { });

        stranger.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0xFFFF_FFFFL));

        assertThat(stranger.awaitEnd()).isEqualTo(FrameHeader.goAway(GoAwayCode.PROTOCOL_ERROR));
        await(() -> atBaseline(server.memory().snapshot(), 0), "the stranger's connection to be released");
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void firstFrameLargerThanTheWindowClosesOnlyThatConnection() throws Exception {
        HostileClient stranger = connect(0);
        stranger.drain(frame -> { });

        // The header's claim is what the host refuses, before it reads a byte of the payload; the payload itself is
        // not sent: bytes the host never reads make its kernel reset the connection when it closes, and a reset may
        // discard the go-away before the stranger reads it (TCP's behaviour, not the host's).
        stranger.send(FrameHeader.data(1, FrameHeader.SYN, WINDOW + 1));

        assertThat(stranger.awaitEnd()).isEqualTo(FrameHeader.goAway(GoAwayCode.PROTOCOL_ERROR));
        await(() -> atBaseline(server.memory().snapshot(), 0), "the stranger's connection to be released");
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
    }

    // ---- helpers ----

    private HostileClient connect(int index) throws IOException {
        HostileClient stranger = HostileClient.connect(address, HostileClient.loopbackSource(index));
        strangers.add(stranger);
        return stranger;
    }

    /** Opens a stream to the handler that never reads and sends it a whole window. */
    private static void fillNeverReadStream(HostileClient stranger) {
        try {
            byte[] negotiation = HostileClient.negotiation(SINK);
            int id = stranger.openStream(SINK, new byte[0]);
            stranger.sendData(id, new byte[WINDOW - negotiation.length], 16 * 1024);
        } catch (IOException e) {
            // The host closed this stranger's connection; the test looks at the host, not at the stranger.
        }
    }

    /** Closes the strangers' connections and waits until the host has released all they held. */
    private void endAttack() throws Exception {
        testOver.countDown();
        for (HostileClient stranger : strangers) {
            stranger.close();
        }
        await(() -> atBaseline(server.memory().snapshot(), 0), "every stranger's connection to be released");
    }

    /** The baseline plus {@code strangerConnections} connections of strangers, holding nothing. */
    private boolean atBaseline(MemorySnapshot now, int strangerConnections) {
        return now.reservedBytes() == baseline.reservedBytes() && now.streams() == baseline.streams()
                && now.connections() == baseline.connections() + strangerConnections
                && now.peers() == baseline.peers() + strangerConnections;
    }

    /** Heap in use after a full collection. */
    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Waits for a condition the host reaches on its own threads, checking every few milliseconds. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 30 s for %s", what).isNegative();
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
