package dev.parley.transport.ws;

import static dev.parley.transport.TestProtocols.echoOver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.spi.TransportListener;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket transport between Java hosts and with js-libp2p's {@code @libp2p/websockets}, on loopback. */
class WebSocketTransportTest {
    private static final Multiaddr LOOPBACK_WS = Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws");
    /** Well beyond what loopback's TCP send and receive buffers hold between a writer and a reader that waits. */
    private static final long FAR_MORE_THAN_SOCKET_BUFFERS = 256L << 20;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
    }

    private Host host() {
        return host(ResourceLimits.defaults());
    }

    private Host host(ResourceLimits limits) {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(limits));
        host.addTransport(new WebSocketTransport());
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        started.add(host);
        return host;
    }

    @Test
    void javaHostsTalkOverWebSocketWithManyStreamsAndMuchData() throws Exception {
        Host server = host(ResourceLimits.defaults().withMaxInboundStreams(256, 128));
        Host client = host();
        Multiaddr address = server.listen(LOOPBACK_WS).withPeerId(server.peerId());
        assertThat(address.toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/.*");

        Connection connection = client.dial(address);
        assertThat(connection.remoteAddress().toString()).endsWith("/ws");
        byte[] data = new byte[16 << 20];
        new Random(6).nextBytes(data);
        assertThat(echoOver(connection, data)).isEqualTo(data);

        assertThat(TestProtocols.echoOnConcurrentStreams(connection, 100, Duration.ofSeconds(60)))
                .as("echo matches, 100 streams open at once").hasSize(100).containsOnly(true);
    }

    @Test
    void plainHttpAndTextMessagesAreTurnedAwayAndTheNodeKeepsServing() throws Exception {
        Host server = host();
        Multiaddr address = server.listen(LOOPBACK_WS);
        Connection alreadyOpen = host().dial(address.withPeerId(server.peerId()));
        int port = WebSocketTransport.tcpPart(address).orElseThrow().toSocketAddress().getPort();
        HttpClient http = HttpClient.newHttpClient();
        started.add(http);

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(404);

        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        WebSocket text = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"),
                new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onClose(WebSocket socket, int statusCode, String reason) {
                        closedWith.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        text.sendText("/multistream/1.0.0\n", true);
        assertThat(closedWith.get(10, TimeUnit.SECONDS)).as("1003: binary messages only").isEqualTo(1003);

        assertThat(echoOver(alreadyOpen, new byte[] {8})).containsExactly(8);
        assertThat(echoOver(host().dial(address.withPeerId(server.peerId())), new byte[] {9})).containsExactly(9);
    }

    @Test
    void aDialToAServerThatNeverAnswersTheUpgradeGivesUpAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            WebSocketTransport transport = new WebSocketTransport();
            started.add(transport::close);
            Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort() + "/ws");
            long start = System.nanoTime();
            assertThatThrownBy(() -> transport.dial(address, Duration.ofMillis(500)))
                    .isInstanceOf(IOException.class).hasMessageContaining(address + " within PT0.5S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void webSocketAddressesAreRecognisedAndHostNamesAreNotListenedOn() {
        WebSocketTransport transport = new WebSocketTransport();
        assertThat(transport.canDial(Multiaddr.parse("/dns4/relay.example/tcp/443/ws"))).isTrue();
        assertThat(transport.canDial(Multiaddr.parse("/ip6/2001:db8::1/tcp/80/ws/p2p/"
                + PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey())))).isTrue();
        assertThat(transport.canDial(Multiaddr.parse("/ip4/192.0.2.1/tcp/80"))).isFalse();
        assertThat(transport.canListen(Multiaddr.parse("/ip6/::/tcp/0/ws"))).isTrue();
        assertThat(transport.canListen(Multiaddr.parse("/dns4/localhost/tcp/0/ws"))).isFalse();
        assertThatThrownBy(() -> host().listen(Multiaddr.parse("/dns4/localhost/tcp/0/ws")))
                .isInstanceOf(IOException.class).hasMessageContaining("/dns4/localhost/tcp/0/ws");
    }

    @Test
    void ipv6LoopbackWorksBothWays() throws Exception {
        Host server = host();
        Multiaddr address = server.listen(Multiaddr.parse("/ip6/::1/tcp/0/ws")).withPeerId(server.peerId());
        assertThat(address.toString()).startsWith("/ip6/::1/tcp/");
        assertThat(echoOver(host().dial(address), new byte[] {6})).containsExactly(6);
    }

    @Test
    void closingTheHostClosesItsWebSocketListenerAndConnections() throws Exception {
        Host server = host();
        Multiaddr address = server.listen(LOOPBACK_WS).withPeerId(server.peerId());
        Connection connection = host().dial(address);
        assertThat(echoOver(connection, new byte[] {1})).containsExactly(1);

        server.close();

        await(() -> !connection.isOpen(), "the client's connection ends when the server host closes");
        InetSocketAddress port = WebSocketTransport.tcpPart(address).orElseThrow().toSocketAddress();
        assertThatThrownBy(() -> new Socket(port.getAddress(), port.getPort()).close())
                .as("nothing listens on %s any more", port).isInstanceOf(ConnectException.class);
    }

    @Test
    void aSenderWaitsWhileNobodyReadsAndEverythingArrivesOnceReadingStarts() throws Exception {
        JdkClientPair pair = acceptFromJdkClient(new WebSocket.Listener() {
        });
        WebSocket sender = pair.theirs();
        RawConnection unread = pair.ours();

        byte[] message = new byte[64 * 1024];
        long sent = 0;
        CompletableFuture<WebSocket> last = CompletableFuture.completedFuture(sender);
        while (sent < FAR_MORE_THAN_SOCKET_BUFFERS) {
            message[0] = (byte) (sent / message.length);
            last = sender.sendBinary(ByteBuffer.wrap(message), true);
            try {
                last.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException stalled) {
                break;
            }
            sent += message.length;
        }
        assertThat(sent).as("bytes the remote got rid of before it had to wait for our reader")
                .isLessThan(FAR_MORE_THAN_SOCKET_BUFFERS);

        byte[] received = unread.in().readNBytes((int) sent + message.length);
        last.get(10, TimeUnit.SECONDS);
        assertThat(received).hasSize((int) sent + message.length);
        for (int i = 0; i < received.length / message.length; i++) {
            assertThat(received[i * message.length]).as("first byte of message %d", i).isEqualTo((byte) i);
        }
    }

    @Test
    void oneLargeWriteLeavesAsMessagesOfAtMostTheLimitWithEveryByteInOrder() throws Exception {
        byte[] data = new byte[(1 << 20) + 5];
        new Random(8).nextBytes(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        List<Integer> messageSizes = new ArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        JdkClientPair pair = acceptFromJdkClient(new WebSocket.Listener() {
            private int messageSize;

            @Override
            public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer part, boolean last) {
                messageSize += part.remaining();
                byte[] bytes = new byte[part.remaining()];
                part.get(bytes);
                received.writeBytes(bytes);
                if (last) {
                    messageSizes.add(messageSize);
                    messageSize = 0;
                }
                if (received.size() >= data.length) {
                    all.complete(null);
                }
                socket.request(1);
                return null;
            }
        });

        pair.ours().out().write(data);
        pair.ours().out().flush();

        all.get(10, TimeUnit.SECONDS);
        assertThat(received.toByteArray()).isEqualTo(data);
        assertThat(messageSizes).allSatisfy(size -> assertThat(size)
                .isBetween(1, WebSocketConnection.MAX_MESSAGE_OUT));
    }

    @Test
    void aMessageOverTheLimitClosesThatConnection() throws Exception {
        Host server = host();
        Multiaddr address = server.listen(LOOPBACK_WS);
        HttpClient http = HttpClient.newHttpClient();
        started.add(http);
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        WebSocket tooBig = http.newWebSocketBuilder().buildAsync(uri(address), new WebSocket.Listener() {
            @Override
            public CompletableFuture<?> onClose(WebSocket socket, int statusCode, String reason) {
                closedWith.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        tooBig.sendBinary(ByteBuffer.allocate((int) WebSocketTransport.MAX_MESSAGE_IN + 1), true);
        assertThat(closedWith.get(10, TimeUnit.SECONDS)).as("1009: message too big").isEqualTo(1009);

        assertThat(echoOver(host().dial(address.withPeerId(server.peerId())), new byte[] {5})).containsExactly(5);
    }

    /** Our side and the JDK client's of a WebSocket accepted by our transport; closed after the test. */
    private record JdkClientPair(RawConnection ours, WebSocket theirs) {
    }

    private JdkClientPair acceptFromJdkClient(WebSocket.Listener theirSide) throws Exception {
        WebSocketTransport transport = new WebSocketTransport();
        started.add(transport::close);
        CompletableFuture<RawConnection> accepted = new CompletableFuture<>();
        TransportListener listener = transport.listen(LOOPBACK_WS, InboundHandler.unlimited(accepted::complete));
        started.add(listener);
        HttpClient http = HttpClient.newHttpClient();
        started.add(http);
        WebSocket theirs = http.newWebSocketBuilder().buildAsync(uri(listener.address()), theirSide)
                .get(10, TimeUnit.SECONDS);
        started.add(theirs::abort);
        RawConnection ours = accepted.get(10, TimeUnit.SECONDS);
        started.add(ours);
        return new JdkClientPair(ours, theirs);
    }

    private static URI uri(Multiaddr wsAddress) {
        InetSocketAddress target = WebSocketTransport.tcpPart(wsAddress).orElseThrow().toSocketAddress();
        return URI.create("ws://" + target.getHostString() + ":" + target.getPort() + "/");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void jsDialsUsOverWebSocketAndWeDialJs() throws Exception {
        JsPeer.assumeNodeAvailable();
        JsPeer js = JsPeer.start(List.of("--listen", "/ip4/127.0.0.1/tcp/0/ws"), ProcessLauncher.LOCAL);
        started.add(js);
        Host parley = host();
        Multiaddr ours = parley.listen(LOOPBACK_WS).withPeerId(parley.peerId());

        assertThat(js.dial(ours.toString()).path("remoteAddr").asText()).contains("/ws");
        assertThat(js.echo(ours.toString(), 100_000, 4).path("bytes").asInt()).isEqualTo(400_000);

        Connection toJs = parley.dial(Multiaddr.parse(js.address()));
        assertThat(toJs.remoteAddress().toString()).endsWith("/ws");
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        assertThat(echoOver(toJs, data)).isEqualTo(data);
    }
}
