package dev.parley.transport.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ProtocolDeadlines;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.Stream;
import dev.parley.transport.StreamHandler;
import dev.parley.transport.autonat.AutoNatConfig;
import dev.parley.transport.autonat.AutoNatService;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemorySnapshot;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Strangers that open a stream of a protocol, negotiate it, then say nothing (transport/README.md, "Memory and
 * deadlines"): the node under test serves identify, AutoNAT, the relay and the relay transport, with every protocol
 * deadline cut to one second. Each silent stream, whether the stranger opened it or the node did and waits for the
 * stranger's answer, is reset at its deadline and not before, the node's memory budget is back at its baseline, and
 * an honest peer pings the node while the stream is held and after.
 */
@Timeout(120)
class SilentStreamsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final ProtocolDeadlines DEFAULTS = ProtocolDeadlines.defaults();
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    private final List<Host> strangers = new ArrayList<>();
    private Host node;
    private Multiaddr address;
    private AutoNatService autoNat;
    private RelayTransport relayTransport;
    private Host honest;
    private Connection honestConnection;
    private PingService honestPing;
    private MemorySnapshot baseline;

    @BeforeEach
    void startNode() throws Exception {
        node = new Host(HostConfig.of(Ed25519PrivateKey.generate())
                .withLimits(ResourceLimits.defaults().withDeadlines(ProtocolDeadlines.all(DEADLINE))));
        new PingService(node);
        IdentifyService identify = new IdentifyService(node, "parley-silent-streams-test");
        autoNat = new AutoNatService(node, identify, AutoNatConfig.defaults().dialingPrivateAddresses());
        RelayService.start(node, RelayLimits.defaults());
        relayTransport = RelayTransport.install(node, true);
        address = node.listen(LOOPBACK).withPeerId(node.peerId());

        honest = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        honestPing = new PingService(honest);
        honestConnection = honest.dial(address);
        honestPing.ping(honestConnection);
        Await.until(() -> node.memory().snapshot().streams() == 0, Duration.ofSeconds(30),
                () -> "the honest peer's first streams to close: " + node.memory().snapshot());
        baseline = node.memory().snapshot();
    }

    @AfterEach
    void stop() {
        for (Host stranger : strangers.reversed()) {
            stranger.close();
        }
        honest.close();
        node.close();
    }

    // ---- streams a stranger opens and leaves silent ----

    @Test
    void anIdentifyPushThatNeverComesIsResetAtTheDeadline() throws Exception {
        opensSilently(IdentifyService.PUSH_PROTOCOL_ID, DEFAULTS.identify());
    }

    @Test
    void anAutoNatRequestThatNeverComesIsResetAtTheDeadline() throws Exception {
        opensSilently(AutoNatService.PROTOCOL_ID, DEFAULTS.autoNat());
    }

    @Test
    void aHopRequestThatNeverComesIsResetAtTheDeadline() throws Exception {
        opensSilently(RelayService.HOP, DEFAULTS.relay());
    }

    @Test
    void aStopRequestThatNeverComesIsResetAtTheDeadline() throws Exception {
        opensSilently(RelayService.STOP, DEFAULTS.relay());
    }

    // ---- streams the node opens to a stranger that never answers ----

    @Test
    void anIdentifyAnswerThatNeverComesIsResetAtTheDeadline() throws Exception {
        Host stranger = stranger();
        Silence silence = new Silence();
        stranger.setHandler(IdentifyService.PROTOCOL_ID, silence);

        // The node identifies every new connection: this one's answer never comes.
        stranger.dial(address);
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));

        assertThat(silence.heldFor()).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEFAULTS.identify());
        awaitBaselineAndPing();
    }

    @Test
    void anAutoNatAnswerThatNeverComesFailsTheRequestAtTheDeadline() throws Exception {
        Host stranger = stranger();
        Silence silence = new Silence();
        stranger.setHandler(AutoNatService.PROTOCOL_ID, silence);
        stranger.dial(address);
        // The stranger's dial returns once its end is up; the node asks over the connection once its own end is.
        Await.until(() -> node.connection(stranger.peerId()).isPresent(), Duration.ofSeconds(30),
                () -> "the node to see the stranger's connection");

        long asked = System.nanoTime();
        assertThatThrownBy(() -> autoNat.ask(stranger.peerId(), List.of(LOOPBACK))).isInstanceOf(IOException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(DEADLINE)
                .isLessThan(DEFAULTS.autoNat());
        silence.heldFor();
        awaitBaselineAndPing();
    }

    @Test
    void aReservationAnswerThatNeverComesFailsAtTheDeadline() throws Exception {
        Host stranger = stranger();
        Silence silence = new Silence();
        stranger.setHandler(RelayService.HOP, silence);
        Multiaddr strangerAddress = stranger.listen(LOOPBACK).withPeerId(stranger.peerId());

        long asked = System.nanoTime();
        assertThatThrownBy(() -> relayTransport.reservations().reserve(strangerAddress))
                .isInstanceOf(IOException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(DEADLINE)
                .isLessThan(DEFAULTS.relay());
        silence.heldFor();
        awaitBaselineAndPing();
    }

    @Test
    void aStopAnswerThatNeverComesFailsTheCircuitAtTheDeadline() throws Exception {
        // A target that reserves on the node, then leaves the node's stop stream unanswered.
        Host target = stranger();
        RelayTransport.install(target, false);
        target.listen(address.encapsulate(CIRCUIT));
        Silence silence = new Silence();
        target.setHandler(RelayService.STOP, silence);
        Host source = stranger();
        RelayTransport.install(source, false);

        assertThatThrownBy(() -> source.dial(address.encapsulate(CIRCUIT).withPeerId(target.peerId())))
                .isInstanceOf(IOException.class);

        assertThat(silence.heldFor()).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEFAULTS.relay());
        awaitBaselineAndPing();
    }

    // ---- a circuit, once up, is no longer under its handshake's deadline ----

    @Test
    void aRelayedConnectionOutlivesTheDeadlineOfItsHandshake() throws Exception {
        Host target = stranger();
        RelayTransport.install(target, false);
        new PingService(target);
        target.listen(address.encapsulate(CIRCUIT));
        Host source = stranger();
        RelayTransport.install(source, false);
        PingService sourcePing = new PingService(source);
        Connection relayed = source.dial(address.encapsulate(CIRCUIT).withPeerId(target.peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        // Both ends and the relay set a deadline while they waited for the hop and stop messages; a silent stream
        // opened after the circuit came up is reset at the same deadline, so by then the circuit has been quiet for
        // longer than its handshake's deadline.
        awaitReset(stranger().dial(address).newStream(RelayService.HOP));

        assertThat(sourcePing.ping(relayed)).isLessThan(Duration.ofSeconds(5));
        assertThat(relayed.isOpen()).isTrue();
    }

    // ---- helpers ----

    private Host stranger() {
        Host stranger = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        strangers.add(stranger);
        return stranger;
    }

    /**
     * Opens a stream of {@code protocol} from a new stranger, negotiates it and sends nothing; checks that the node
     * resets it at the deadline, well before the protocol's default one ({@code defaultDeadline}), serving the honest
     * peer meanwhile, and releases all it held.
     */
    private void opensSilently(String protocol, Duration defaultDeadline) throws Exception {
        Connection connection = stranger().dial(address);
        awaitBaseline("the stranger's connection to settle");

        long opened = System.nanoTime();
        Stream stream = connection.newStream(protocol);
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
        long held = awaitReset(stream) - opened;

        assertThat(Duration.ofNanos(held)).isGreaterThanOrEqualTo(DEADLINE).isLessThan(defaultDeadline);
        awaitBaselineAndPing();
    }

    /**
     * Reads until the node resets {@code stream}; the time it did. Fails if the node closes it instead, or keeps it
     * longer than any default deadline.
     */
    private static long awaitReset(Stream stream) {
        stream.setReadDeadline(Duration.ofSeconds(45));
        try {
            while (stream.in().read() >= 0) {
                // What the node sends before it gives up (a request of its own) is not an answer to wait for.
            }
        } catch (SocketTimeoutException kept) {
            throw new AssertionError(stream + " was still open after 45 s", kept);
        } catch (IOException reset) {
            return System.nanoTime();
        }
        throw new AssertionError(stream + " was closed, not reset");
    }

    private void awaitBaselineAndPing() throws Exception {
        awaitBaseline("the silent stream's memory to be released");
        assertThat(honestPing.ping(honestConnection)).isLessThan(Duration.ofSeconds(5));
    }

    /** Waits until the node holds no more stream memory than before the test: no stream open, no byte reserved. */
    private void awaitBaseline(String what) throws InterruptedException {
        Await.until(() -> {
            MemorySnapshot now = node.memory().snapshot();
            return now.streams() == baseline.streams() && now.reservedBytes() == baseline.reservedBytes();
        }, Duration.ofSeconds(30), () -> what + ": " + node.memory().snapshot() + ", baseline " + baseline);
    }

    /** A stranger's handler that answers nothing and notes how long the node kept the stream before resetting it. */
    private static final class Silence implements StreamHandler {
        private final CompletableFuture<Duration> held = new CompletableFuture<>();

        @Override
        public void handle(Stream stream) {
            long opened = System.nanoTime();
            try {
                held.complete(Duration.ofNanos(awaitReset(stream) - opened));
            } catch (AssertionError closed) {
                held.completeExceptionally(closed);
            }
        }

        /** Waits for the node to reset the stream. */
        Duration heldFor() throws Exception {
            return held.get(60, TimeUnit.SECONDS);
        }
    }
}
