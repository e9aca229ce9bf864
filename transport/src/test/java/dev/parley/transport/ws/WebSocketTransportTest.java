package dev.parley.transport.ws;

import static dev.parley.transport.TestProtocols.echoOver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.ProcessLauncher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket transport between Java hosts and with js-libp2p's {@code @libp2p/websockets}, on loopback. */
class WebSocketTransportTest {
    private static final Multiaddr LOOPBACK_WS = Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws");

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
    }

    private Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        host.addTransport(new WebSocketTransport());
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        started.add(host);
        return host;
    }

    @Test
    void javaHostsTalkOverWebSocketWithManyStreamsAndMuchData() throws Exception {
        Host server = host();
        Host client = host();
        Multiaddr address = server.listen(LOOPBACK_WS).withPeerId(server.peerId());
        assertThat(address.toString()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/.*");

        Connection connection = client.dial(address);
        assertThat(connection.remoteAddress().toString()).endsWith("/ws");
        byte[] data = new byte[16 << 20];
        new Random(6).nextBytes(data);
        assertThat(echoOver(connection, data)).isEqualTo(data);

        List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] small = {(byte) i, 1, 2};
            echoes.add(CompletableFuture.supplyAsync(() -> echoUnchecked(connection, small)));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(echoes.get(i).get(30, TimeUnit.SECONDS)).containsExactly((byte) i, 1, 2);
        }
    }

    private static byte[] echoUnchecked(Connection connection, byte[] data) {
        try {
            return echoOver(connection, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void plainHttpAndTextMessagesAreTurnedAwayAndTheNodeKeepsServing() throws Exception {
        Host server = host();
        Multiaddr address = server.listen(LOOPBACK_WS);
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

        Host client = host();
        assertThat(echoOver(client.dial(address.withPeerId(server.peerId())), new byte[] {9})).containsExactly(9);
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
