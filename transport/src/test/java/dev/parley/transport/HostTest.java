package dev.parley.transport;
import static dev.parley.transport.TestProtocols.ECHO;
import static dev.parley.transport.TestProtocols.echoOver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.ProtocolNotSupportedException;
import dev.parley.transport.noise.NoiseHandshakeException;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.tcp.SocketConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two Java hosts over real loopback sockets. */
class HostTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    private Host newHost() {
        return newHost(ResourceLimits.defaults());
    }

    private Host newHost(ResourceLimits limits) {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(limits));
        hosts.add(host);
        host.setHandler(ECHO, TestProtocols::echo);
        return host;
    }

    private Multiaddr listen(Host host) throws IOException {
        return host.listen(LOOPBACK).withPeerId(host.peerId());
    }

    @Test
    void dialAuthenticatesThePeerAndStreamsEchoBothWays() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Multiaddr address = listen(server);

        Connection connection = client.dial(address);
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        byte[] echoed = echoOver(connection, data);

        assertThat(connection.remotePeer()).isEqualTo(server.peerId());
        assertThat(connection.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(echoed).isEqualTo(data);
        assertThat(server.connection(client.peerId())).hasValueSatisfying(
                inbound -> assertThat(inbound.direction()).isEqualTo(Direction.INBOUND));
    }

    @Test
    void aConnectionTakesStreamsTheMomentItCanBeFound() throws Exception {
        Host server = newHost();
        Multiaddr address = listen(server);
        for (int round = 0; round < 40; round++) {
            Host client = newHost();
            // Watches for the inbound connection as closely as a thread can, and opens a stream on what it finds.
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Thread watcher = Thread.ofPlatform().start(() -> {
                try {
                    Connection found;
                    while ((found = server.connection(client.peerId()).orElse(null)) == null) {
                        Thread.onSpinWait();
                    }
                    echoed.complete(echoOver(found, new byte[] {(byte) 1, (byte) 2}));
                } catch (Throwable e) {
                    echoed.completeExceptionally(e);
                }
            });

            client.dial(address);

            assertThat(echoed.get(20, TimeUnit.SECONDS)).as("round %d", round).containsExactly(1, 2);
            watcher.join();
            client.close();
        }
    }

    @Test
    void dialRefusesAPeerOtherThanTheOneNamedInTheAddress() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Multiaddr address = server.listen(LOOPBACK).withPeerId(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()));

        assertThatThrownBy(() -> client.dial(address)).isInstanceOf(NoiseHandshakeException.class);
        assertThat(client.connections()).isEmpty();
    }

    @Test
    void garbageFromOneClientClosesOnlyItsSocket() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Multiaddr address = listen(server);

        try (Socket garbage = new Socket()) {
            garbage.connect(address.toSocketAddress(), 5_000);
            garbage.setSoTimeout(10_000);
            garbage.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
            garbage.getOutputStream().flush();
            InputStream in = garbage.getInputStream();
            assertThat(in.readAllBytes()).as("the server's multistream header, then the close")
                    .hasSizeLessThan(64);
        }

        assertThat(echoOver(client.dial(address), new byte[] {4, 2})).containsExactly(4, 2);
    }

    @Test
    void socketsBeyondThePendingHandshakeLimitAreClosedUnanswered() throws Exception {
        Host server = newHost(ResourceLimits.defaults().withMaxPendingUpgrades(2));
        Multiaddr address = listen(server);
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket();
                socket.connect(address.toSocketAddress(), 5_000);
                silent.add(socket);
                socket.setSoTimeout(10_000);
                assertThat(socket.getInputStream().read()).as("a handshake under way gets the multistream header")
                        .isPositive();
            }
            try (Socket excess = new Socket()) {
                excess.connect(address.toSocketAddress(), 5_000);
                excess.setSoTimeout(10_000);
                assertThat(excess.getInputStream().read()).as("the third is closed unanswered").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
        assertThat(server.resources().refused(InboundLimit.PENDING_TOTAL)).isEqualTo(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.resources().pendingHandshakes() > 0) {
            assertThat(System.nanoTime()).as("the closed sockets' slots given back").isLessThan(deadline);
            Thread.sleep(10);
        }

        Host client = newHost();
        assertThat(echoOver(client.dial(address), new byte[] {8})).containsExactly(8);
    }

    @Test
    void aHandshakeThatStallsIsClosedAtTheUpgradeTimeout() throws Exception {
        Host server = newHost(ResourceLimits.defaults().withUpgradeTimeout(Duration.ofMillis(500)));
        Multiaddr address = listen(server);

        try (Socket stalled = new Socket()) {
            stalled.connect(address.toSocketAddress(), 5_000);
            stalled.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(stalled.getInputStream().readAllBytes()).as("the server's multistream header, then the close")
                    .hasSizeLessThan(64);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }

        Host client = newHost();
        assertThat(echoOver(client.dial(address), new byte[] {5})).containsExactly(5);
    }

    @Test
    void aRawConnectionIsUpgradedInTheRoleEachSideIsGiven() throws Exception {
        Host client = newHost();
        Host server = newHost();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket dialled = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            // The side that accepted the socket runs the handshakes as client: DCUtR's roles, not TCP's.
            RawConnection dialledRaw = new SocketConnection(dialled);
            CompletableFuture<Connection> serverSide = CompletableFuture.supplyAsync(
                    () -> upgradeUnchecked(server, dialledRaw, Direction.INBOUND, client.peerId()));
            Connection clientSide = client.upgrade(new SocketConnection(accepted), Direction.OUTBOUND, server.peerId());

            assertThat(echoOver(clientSide, new byte[] {6, 7})).containsExactly(6, 7);
            assertThat(serverSide.get(10, TimeUnit.SECONDS).direction()).isEqualTo(Direction.INBOUND);
            assertThat(server.connection(client.peerId())).isPresent();
            assertThat(client.connection(server.peerId())).contains(clientSide);
        }
    }

    @Test
    void upgradeRefusesAPeerOtherThanTheOneExpected() throws Exception {
        Host client = newHost();
        Host server = newHost();
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket dialled = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            RawConnection dialledRaw = new SocketConnection(dialled);
            CompletableFuture<Connection> serverSide = CompletableFuture.supplyAsync(
                    () -> upgradeUnchecked(server, dialledRaw, Direction.INBOUND, someoneElse));
            client.upgrade(new SocketConnection(accepted), Direction.OUTBOUND, server.peerId());

            assertThatThrownBy(() -> serverSide.get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("expected " + someoneElse);
            assertThat(server.connections()).isEmpty();
        }
    }

    private static Connection upgradeUnchecked(Host host, RawConnection raw, Direction role, PeerId expected) {
        try {
            return host.upgrade(raw, role, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void externalAddressesAreAdvertisedUntilWithdrawn() throws Exception {
        Host host = newHost();
        Multiaddr bound = host.listen(LOOPBACK);
        List<Integer> changes = new CopyOnWriteArrayList<>();
        host.onListenAddressesChanged(() -> changes.add(host.listenAddresses().size()));
        Multiaddr mapped = Multiaddr.parse("/ip4/203.0.113.7/tcp/40001");

        host.addExternalAddress(mapped.withPeerId(host.peerId()));
        host.addExternalAddress(mapped);
        assertThat(host.listenAddresses()).containsExactly(bound, mapped);

        host.removeExternalAddress(mapped);
        assertThat(host.listenAddresses()).containsExactly(bound);
        assertThat(changes).as("one change each way; the repeated add is none").containsExactly(2, 1);
    }

    @Test
    void unsupportedProtocolIsReportedAndTheConnectionStaysUsable() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Connection connection = client.dial(listen(server));

        assertThatThrownBy(() -> connection.newStream("/no/such/1.0.0"))
                .isInstanceOf(ProtocolNotSupportedException.class);
        assertThat(echoOver(connection, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }

    @Test
    void aFailingHandlerResetsOnlyItsOwnStream() throws Exception {
        Host server = newHost();
        server.setHandler("/parley-test/fail/1.0.0", stream -> {
            throw new IOException("handler gives up");
        });
        Host client = newHost();
        Connection connection = client.dial(listen(server));

        // The reset may overtake the end of the negotiation, so either step may be the one that fails.
        assertThatThrownBy(() -> {
            try (Stream failing = connection.newStream("/parley-test/fail/1.0.0")) {
                failing.in().read();
            }
        }).isInstanceOf(IOException.class);
        assertThat(echoOver(connection, new byte[] {9})).containsExactly(9);
    }

    @Test
    void pingAndIdentifyWorkBetweenJavaHosts() throws Exception {
        Host server = newHost();
        Host client = newHost();
        IdentifyService serverIdentify = new IdentifyService(server, "parley-test/server");
        IdentifyService clientIdentify = new IdentifyService(client, "parley-test/client");
        PingService ping = new PingService(client);
        new PingService(server);
        Multiaddr address = listen(server);

        Connection connection = client.dial(address);
        List<Duration> rtts = ping.ping(connection, 5);
        IdentifyInfo info = clientIdentify.awaitInfo(server.peerId(), Duration.ofSeconds(10));
        IdentifyInfo reverse = serverIdentify.awaitInfo(client.peerId(), Duration.ofSeconds(10));

        assertThat(rtts).hasSize(5).allSatisfy(rtt -> assertThat(rtt).isPositive());
        assertThat(info.agentVersion()).isEqualTo("parley-test/server");
        assertThat(info.publicKey()).isEqualTo(server.config().identity().publicKey());
        assertThat(info.protocols()).contains(ECHO, PingService.PROTOCOL_ID, IdentifyService.PROTOCOL_ID);
        assertThat(info.listenAddresses()).containsExactly(address.withoutPeerId());
        assertThat(info.observedAddress()).contains(connection.localAddress());
        assertThat(reverse.agentVersion()).isEqualTo("parley-test/client");
        assertThat(client.addressBook().addresses(server.peerId())).contains(address.withoutPeerId());
    }

    /** The app counts on this order: who awaits a peer's identify finds what listeners made of it done. */
    @Test
    void identifyListenersHaveRunWhenAwaitInfoReturns() throws Exception {
        Host server = newHost();
        Host client = newHost();
        new IdentifyService(server, "server");
        IdentifyService clientIdentify = new IdentifyService(client, "client");
        List<IdentifyInfo> heard = new CopyOnWriteArrayList<>();
        clientIdentify.onIdentified(heard::add);
        clientIdentify.onIdentified(info -> {
            throw new IllegalStateException("a listener that fails stops neither identify nor the others");
        });
        clientIdentify.onIdentified(info -> client.addressBook().remove(info.peer(),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9"))));
        client.addressBook().add(server.peerId(), Multiaddr.parse("/ip4/127.0.0.1/tcp/9"));

        client.dial(listen(server));
        IdentifyInfo info = clientIdentify.awaitInfo(server.peerId(), Duration.ofSeconds(10));

        assertThat(heard).containsExactly(info);
        assertThat(client.addressBook().addresses(server.peerId())).containsExactlyElementsOf(info.listenAddresses());
    }

    @Test
    void identifyPushTellsConnectedPeersAboutNewProtocols() throws Exception {
        Host server = newHost();
        Host client = newHost();
        new IdentifyService(server, "server");
        IdentifyService clientIdentify = new IdentifyService(client, "client");
        client.dial(listen(server));
        clientIdentify.awaitInfo(server.peerId(), Duration.ofSeconds(10));

        server.setHandler("/parley-test/new/1.0.0", TestProtocols::echo);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !clientIdentify.info(server.peerId()).orElseThrow()
                .protocols().contains("/parley-test/new/1.0.0")) {
            Thread.sleep(10);
        }
        assertThat(clientIdentify.info(server.peerId()).orElseThrow().protocols()).contains("/parley-test/new/1.0.0");
    }

    @Test
    void connectByPeerIdUsesTheAddressBook() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Multiaddr address = listen(server);
        client.addressBook().add(server.peerId(), address);

        Connection first = client.connect(server.peerId());
        Connection again = client.connect(server.peerId());

        assertThat(first.remotePeer()).isEqualTo(server.peerId());
        assertThat(again).isSameAs(first);
    }

    @Test
    void aThousandConcurrentStreamsOnOneConnection() throws Exception {
        Host server = newHost(ResourceLimits.defaults().withMaxInboundStreams(1024, 1024));
        Host client = newHost();
        Connection connection = client.dial(listen(server));

        List<Boolean> echoed = TestProtocols.echoOnConcurrentStreams(connection, 1000, Duration.ofSeconds(60));

        assertThat(echoed).as("echo matches").hasSize(1000).containsOnly(true);
    }

    @Test
    void oneGibibyteThroughOneStreamArrivesIntact() throws Exception {
        Host server = newHost();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        CountDownLatch done = new CountDownLatch(1);
        server.setHandler("/parley-test/sink/1.0.0", stream -> {
            byte[] buffer = new byte[64 * 1024];
            InputStream in = stream.in();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.update(buffer, 0, n);
                count[0] += n;
            }
            done.countDown();
        });
        Host client = newHost();
        Connection connection = client.dial(listen(server));
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long total = 1L << 30;

        try (Stream stream = connection.newStream("/parley-test/sink/1.0.0")) {
            OutputStream out = stream.out();
            byte[] chunk = new byte[256 * 1024];
            Random random = new Random(7);
            for (long left = total; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
            out.flush();
            stream.closeWrite();
            assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count[0]).isEqualTo(total);
        assertThat(received.digest()).isEqualTo(sent.digest());
    }

    @Test
    void perfMovesTheRequestedBytesEachWay() throws Exception {
        Host server = newHost();
        PerfService.enable(server);
        Host client = newHost();
        Connection connection = client.dial(listen(server));

        PerfResult result = PerfService.run(connection, 3_000_000, 5_000_000);

        assertThat(result.uploadBytes()).isEqualTo(3_000_000);
        assertThat(result.downloadBytes()).isEqualTo(5_000_000);
    }

    @Test
    void streamsPerProtocolAboveTheLimitAreReset() throws Exception {
        Host server = newHost();
        CountDownLatch release = new CountDownLatch(1);
        server.setHandler("/parley-test/hold/1.0.0", stream -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Host client = newHost();
        Connection connection = client.dial(listen(server));
        int limit = server.config().limits().maxInboundStreamsPerProtocol();
        List<Stream> held = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            held.add(connection.newStream("/parley-test/hold/1.0.0"));
        }

        // As in go-libp2p, the stream over the limit is reset right after negotiation; the reset may
        // overtake the negotiation's answer, so either step may be the one that fails.
        assertThatThrownBy(() -> {
            try (Stream excess = connection.newStream("/parley-test/hold/1.0.0")) {
                excess.in().read();
            }
        }).isInstanceOf(IOException.class);
        assertThat(echoOver(connection, new byte[] {5})).containsExactly(5);
        release.countDown();
        held.forEach(Stream::close);
    }

    @Test
    void closingAHostClosesItsConnectionsOnBothSides() throws Exception {
        Host server = newHost();
        Host client = newHost();
        Connection connection = client.dial(listen(server));
        List<Connection> closedOnServer = new CopyOnWriteArrayList<>();
        CountDownLatch serverSaw = new CountDownLatch(1);
        server.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed(Connection c) {
                closedOnServer.add(c);
                serverSaw.countDown();
            }
        });

        client.close();

        assertThat(serverSaw.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(connection.isOpen()).isFalse();
        assertThat(closedOnServer).extracting(Connection::remotePeer).containsExactly(client.peerId());
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void closeReturnsOnceTheHostsTimerThreadHasEnded() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Host host = newHost();
        listen(host);
        List<Thread> timers = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.getName().equals("host-timer")).toList();
        assertThat(timers).as("the host's timer, started by its first task").hasSize(1);

        host.close();

        assertThat(timers.getFirst().isAlive()).as("the timer's thread alive once close returned").isFalse();
    }

    /**
     * A host closed while a handshake with it finishes either refuses the connection or closes it with the others;
     * none stays open. Closing the server the moment the client's side of the handshake is done lands, in about one
     * round in fifty, just as the server's side admits the connection: one admitted after close had taken its list of
     * connections used to stay open on both sides for good, its muxer still answering, so that the client kept it as
     * the peer's oldest connection (the app's delivery to a contact that had just restarted stalled on one).
     */
    @Test
    void aHostClosedAsAHandshakeWithItFinishesLeavesNoConnectionOpen() throws Exception {
        Host client = newHost();
        for (int round = 0; round < 500; round++) {
            Host server = newHost();
            Multiaddr address = listen(server);
            CompletableFuture<Connection> closedOnClient = new CompletableFuture<>();
            ConnectionListener closeTheServer = new ConnectionListener() {
                @Override
                public void connectionOpened(Connection connection) {
                    server.close();
                }

                @Override
                public void connectionClosed(Connection connection) {
                    closedOnClient.complete(connection);
                }
            };
            client.addConnectionListener(closeTheServer);
            try {
                client.dial(address);
                assertThat(closedOnClient).as("round %d: the client's connection closes", round)
                        .succeedsWithin(Duration.ofSeconds(10));
            } catch (IOException closedFirst) {
                // The server closed before the client's side of the handshake was done: nothing was admitted.
            }
            client.removeConnectionListener(closeTheServer);
            assertThat(server.connection(client.peerId())).as("round %d: open on the closed server", round).isEmpty();
            server.close();
        }
    }
}
