package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Direction;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.tcp.TcpListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One side of DCUtR at a time, over a real relayed connection on loopback, with the other side scripted message
 * by message: what each side sends, that it dials from its TCP listening port, and in which role it runs the
 * handshakes on what it dialled. {@link DcutrServiceTest} runs both real sides together.
 *
 * <p>On loopback no NAT drops the SYNs, so the scripted side never dials back: it takes the real side's dial on
 * a listener of its own and runs the handshake in the opposite role, which is what the other end of a TCP
 * simultaneous open does.
 */
class DcutrExchangeTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final int SPEC_MAX_MESSAGE = 4096;
    private static final DcutrConfig ON_LOOPBACK = new DcutrConfig(Duration.ofSeconds(2), 3, Duration.ofMillis(300),
            true);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    private Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        resources.add(host);
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        RelayTransport.install(host, false);
        return host;
    }

    private Multiaddr relayCircuit() throws IOException {
        Host relay = host();
        new IdentifyService(relay, "dcutr-exchange-test-relay");
        RelayService.start(relay, RelayLimits.defaults());
        return relay.listen(LOOPBACK).withPeerId(relay.peerId()).encapsulate(CIRCUIT);
    }

    private static void send(HolePunch.Type type, List<Multiaddr> addresses, OutputStream out) throws IOException {
        HolePunch.Builder message = HolePunch.newBuilder().setType(type);
        addresses.forEach(address -> message.addObsAddrs(ByteString.copyFrom(address.bytes())));
        LengthPrefixed.write(message.build(), SPEC_MAX_MESSAGE, out, "DCUtR", DcutrProtocolException::new);
        out.flush();
    }

    private static HolePunch receive(InputStream in) throws IOException {
        return LengthPrefixed.read(in, MemoryScope.uncounted(), HolePunch.parser(), SPEC_MAX_MESSAGE, "DCUtR",
                DcutrProtocolException::new);
    }

    private static List<Multiaddr> addressesOf(HolePunch message) {
        return message.getObsAddrsList().stream().map(bytes -> Multiaddr.fromBytes(bytes.toByteArray())).toList();
    }

    private static int port(Multiaddr address) {
        return address.toSocketAddress().getPort();
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Optional<T> value = probe.get(); ; value = probe.get()) {
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Optional<Connection> directConnection(Host host, PeerId peer) {
        return host.connection(peer).filter(connection -> !connection.isRelayed());
    }

    /** A TCP listener outside any host, whose accepted connections {@code host} upgrades in {@code role}. */
    private TcpListener punchTarget(Host host, Direction role, Supplier<PeerId> peer,
                                    CompletableFuture<RawConnection> dialled, CompletableFuture<Connection> upgraded)
            throws IOException {
        TcpListener listener = TcpListener.bind(LOOPBACK, InboundHandler.unlimited(raw -> {
            dialled.complete(raw);
            try {
                upgraded.complete(host.upgrade(raw, role, peer.get()));
            } catch (IOException e) {
                upgraded.completeExceptionally(e);
            }
        }));
        resources.add(listener);
        return listener;
    }

    /** The spec's A, scripted: answers B's CONNECT with {@code offer}, records what B sent, and never dials. */
    private record ScriptedA(CompletableFuture<HolePunch> connect, CompletableFuture<HolePunch> sync) {
    }

    private ScriptedA scriptedA(Host a, Supplier<List<Multiaddr>> offer) {
        ScriptedA scripted = new ScriptedA(new CompletableFuture<>(), new CompletableFuture<>());
        a.setHandler(DcutrService.PROTOCOL_ID, stream -> {
            scripted.connect().complete(receive(stream.in()));
            send(HolePunch.Type.CONNECT, offer.get(), stream.out());
            scripted.sync().complete(receive(stream.in()));
        });
        return scripted;
    }

    /** The spec's B, real, listening on TCP and on the relay's circuit. */
    private record RealB(Host host, DcutrService service, Multiaddr tcp, CompletableFuture<HolePunchResult> result) {
    }

    private RealB realB(Multiaddr circuit, DcutrConfig config) throws IOException {
        Host b = host();
        DcutrService service = new DcutrService(b, new IdentifyService(b, "dcutr-exchange-test-b"), config);
        Multiaddr tcp = b.listen(LOOPBACK);
        b.listen(circuit);
        CompletableFuture<HolePunchResult> result = new CompletableFuture<>();
        service.onResult(result::complete);
        return new RealB(b, service, tcp, result);
    }

    /** The spec's A, real, listening on TCP. */
    private record RealA(Host host, DcutrService service, Multiaddr tcp, CompletableFuture<HolePunchResult> result) {
    }

    private RealA realA() throws IOException {
        Host a = host();
        DcutrService service = new DcutrService(a, new IdentifyService(a, "dcutr-exchange-test-a"), ON_LOOPBACK);
        Multiaddr tcp = a.listen(LOOPBACK);
        CompletableFuture<HolePunchResult> result = new CompletableFuture<>();
        service.onResult(result::complete);
        return new RealA(a, service, tcp, result);
    }

    @Test
    void bSendsItsTcpAddressesTimesTheAnswerSendsSyncAndDialsFromItsListenPortAsTheServer() throws Exception {
        Multiaddr circuit = relayCircuit();
        RealB realB = realB(circuit, ON_LOOPBACK);
        Host b = realB.host();
        Multiaddr bTcp = realB.tcp();

        // A runs no identify: B learns of no address to reverse to, so it has to punch
        Host a = host();
        CompletableFuture<RawConnection> dialled = new CompletableFuture<>();
        CompletableFuture<Connection> aDirect = new CompletableFuture<>();
        TcpListener target = punchTarget(a, Direction.OUTBOUND, b::peerId, dialled, aDirect);
        ScriptedA scripted = scriptedA(a, () -> List.of(target.address()));

        Connection relayed = a.dial(circuit.withPeerId(b.peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        HolePunchResult result = realB.result().get(20, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).as("one exchange, after connection reversal found nothing").isEqualTo(1);
        assertThat(result.peer()).isEqualTo(a.peerId());

        assertThat(scripted.connect().get().getType()).isEqualTo(HolePunch.Type.CONNECT);
        List<Multiaddr> offered = addressesOf(scripted.connect().get());
        assertThat(offered).contains(bTcp).allMatch(Multiaddr::isTcp).noneMatch(Multiaddr::isCircuit);
        assertThat(scripted.sync().get(5, TimeUnit.SECONDS).getType()).isEqualTo(HolePunch.Type.SYNC);

        RawConnection punched = dialled.get(5, TimeUnit.SECONDS);
        assertThat(port(punched.remoteAddress())).as("B dials from the port it listens on").isEqualTo(port(bTcp));
        Connection onA = aDirect.get(5, TimeUnit.SECONDS);
        assertThat(onA.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(onA.remotePeer()).isEqualTo(b.peerId());

        Connection onB = await("B's direct connection", () -> directConnection(b, a.peerId()));
        assertThat(onB.direction()).as("B is the server on the punched connection").isEqualTo(Direction.INBOUND);
        assertThat(result.direct()).contains(onB);
        assertThat(realB.service().isHolePunched(onB)).isTrue();
        assertThat(TestProtocols.echoOver(onB, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        await("the relayed connection closed after its grace",
                () -> relayed.isOpen() ? Optional.empty() : Optional.of(true));
        assertThat(a.connection(b.peerId())).contains(onA);
    }

    @Test
    void aAnswersConnectWithItsTcpAddressesAndOnSyncDialsFromItsListenPortAsTheClient() throws Exception {
        Multiaddr circuit = relayCircuit();
        RealA realA = realA();
        Host a = realA.host();
        Multiaddr aTcp = realA.tcp();

        Host b = host();
        b.listen(circuit);
        CompletableFuture<RawConnection> dialled = new CompletableFuture<>();
        CompletableFuture<Connection> bDirect = new CompletableFuture<>();
        TcpListener target = punchTarget(b, Direction.INBOUND, a::peerId, dialled, bDirect);

        Connection relayedOnA = a.dial(circuit.withPeerId(b.peerId()));
        Connection relayedOnB = await("B's relayed connection", () -> b.connection(a.peerId()));
        assertThat(relayedOnB.isRelayed()).isTrue();
        List<Multiaddr> offered;
        try (Stream stream = relayedOnB.newStream(DcutrService.PROTOCOL_ID)) {
            send(HolePunch.Type.CONNECT, List.of(target.address()), stream.out());
            HolePunch answer = receive(stream.in());
            assertThat(answer.getType()).isEqualTo(HolePunch.Type.CONNECT);
            offered = addressesOf(answer);
            send(HolePunch.Type.SYNC, List.of(), stream.out());

            RawConnection punched = dialled.get(5, TimeUnit.SECONDS);
            assertThat(port(punched.remoteAddress())).as("A dials from the port it listens on")
                    .isEqualTo(port(aTcp));
        }
        assertThat(offered).contains(aTcp).allMatch(Multiaddr::isTcp).noneMatch(Multiaddr::isCircuit);

        Connection onB = bDirect.get(5, TimeUnit.SECONDS);
        assertThat(onB.direction()).as("the scripted B ran the handshake as server").isEqualTo(Direction.INBOUND);
        HolePunchResult result = realA.result().get(20, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.peer()).isEqualTo(b.peerId());
        Connection onA = directConnection(a, b.peerId()).orElseThrow();
        assertThat(onA.direction()).as("A is the client on the punched connection").isEqualTo(Direction.OUTBOUND);
        assertThat(result.direct()).contains(onA);
        assertThat(realA.service().isHolePunched(onA)).isTrue();
        assertThat(TestProtocols.echoOver(onA, new byte[] {4, 5})).containsExactly(4, 5);
        await("A closed the relayed connection after its grace",
                () -> relayedOnA.isOpen() ? Optional.empty() : Optional.of(true));
    }

    @Test
    void aWhoseDialsAllFailReportsFailureAndKeepsTheRelayedConnection() throws Exception {
        Multiaddr circuit = relayCircuit();
        RealA realA = realA();
        Host a = realA.host();
        Host b = host();
        b.listen(circuit);
        Multiaddr nobodyListens;
        try (ServerSocket closedAgain = new ServerSocket(0)) {
            nobodyListens = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + closedAgain.getLocalPort());
        }

        Connection relayedOnA = a.dial(circuit.withPeerId(b.peerId()));
        Connection relayedOnB = await("B's relayed connection", () -> b.connection(a.peerId()));
        long start = System.nanoTime();
        try (Stream stream = relayedOnB.newStream(DcutrService.PROTOCOL_ID)) {
            send(HolePunch.Type.CONNECT, List.of(nobodyListens), stream.out());
            receive(stream.in());
            send(HolePunch.Type.SYNC, List.of(), stream.out());
            HolePunchResult result = realA.result().get(20, TimeUnit.SECONDS);

            assertThat(result.success()).isFalse();
            assertThat(result.direct()).isEmpty();
            assertThat(result.attempts()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("A waits the attempt's time for the other side's SYN").isGreaterThanOrEqualTo(
                            ON_LOOPBACK.attemptTimeout());
        }
        assertThat(directConnection(a, b.peerId())).isEmpty();
        assertThat(relayedOnA.isOpen()).isTrue();
        assertThat(a.connection(b.peerId())).contains(relayedOnA);
        assertThat(TestProtocols.echoOver(relayedOnA, new byte[] {6})).containsExactly(6);
    }

    @Test
    void bClosesADialStillHandshakingOnceAnotherSucceeded() throws Exception {
        Multiaddr circuit = relayCircuit();
        RealB realB = realB(circuit, ON_LOOPBACK);
        Host a = host();
        CompletableFuture<Connection> aDirect = new CompletableFuture<>();
        TcpListener target = punchTarget(a, Direction.OUTBOUND, realB.host()::peerId, new CompletableFuture<>(),
                aDirect);
        // a listener that answers no handshake, as the other side's host listener does when our SYN reaches it:
        // it waits as responder, and so does B in its INBOUND role
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(LOOPBACK.toSocketAddress());
            Multiaddr silentAddress = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort());
            scriptedA(a, () -> List.of(silentAddress, target.address()));

            a.dial(circuit.withPeerId(realB.host().peerId()));
            try (Socket waiting = silent.accept()) {
                HolePunchResult result = realB.result().get(20, TimeUnit.SECONDS);
                assertThat(result.success()).isTrue();
                assertThat(result.direct()).map(c -> c.remoteAddress().withoutPeerId()).contains(target.address());

                waiting.setSoTimeout(3000);
                assertThatCode(() -> waiting.getInputStream().readAllBytes())
                        .as("B closed its dial to the silent listener well before the 10 s upgrade timeout")
                        .doesNotThrowAnyException();
            }
        }
        assertThat(aDirect.get(5, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void bGivesUpOnAnAWhoNeverAnswersAfterThreeAttemptsOfTheAttemptsTimeEach() throws Exception {
        Multiaddr circuit = relayCircuit();
        DcutrConfig quick = new DcutrConfig(Duration.ofMillis(500), 3, Duration.ofMillis(300), true);
        RealB realB = realB(circuit, quick);
        Host a = host();
        CountDownLatch connects = new CountDownLatch(3);
        CountDownLatch testOver = new CountDownLatch(1);
        a.setHandler(DcutrService.PROTOCOL_ID, stream -> {
            receive(stream.in());
            connects.countDown();
            try {
                testOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        resources.add(testOver::countDown);

        Connection relayed = a.dial(circuit.withPeerId(realB.host().peerId()));
        HolePunchResult result = realB.result().get(20, TimeUnit.SECONDS);

        assertThat(result.success()).isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(connects.await(0, TimeUnit.SECONDS)).as("each attempt sent its CONNECT").isTrue();
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(quick.attemptTimeout().multipliedBy(3))
                .isLessThan(Duration.ofSeconds(10));
        assertThat(relayed.isOpen()).isTrue();
        assertThat(TestProtocols.echoOver(relayed, new byte[] {8})).containsExactly(8);
    }

    @Test
    void aWaitsForSyncNoLongerThanAnAttemptsTime() throws Exception {
        Multiaddr circuit = relayCircuit();
        Host a = realA().host();
        Host b = host();
        b.listen(circuit);
        Multiaddr bTcp = b.listen(LOOPBACK);

        a.dial(circuit.withPeerId(b.peerId()));
        Connection relayedOnB = await("B's relayed connection", () -> b.connection(a.peerId()));
        try (Stream stream = relayedOnB.newStream(DcutrService.PROTOCOL_ID)) {
            send(HolePunch.Type.CONNECT, List.of(bTcp), stream.out());
            receive(stream.in());
            long answered = System.nanoTime();

            assertThatCode(() -> stream.in().readAllBytes()).as("A ends the stream").isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - answered))
                    .isLessThan(ON_LOOPBACK.attemptTimeout().plusSeconds(2));
        }
        assertThat(directConnection(a, b.peerId())).as("no SYNC, no dial").isEmpty();
        assertThat(TestProtocols.echoOver(relayedOnB, new byte[] {9})).containsExactly(9);
    }
}
