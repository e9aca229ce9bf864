package dev.parley.transport.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake.PayloadFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Java peer that lies in its Noise handshake payload, against a real js-libp2p node: js must refuse it
 * whichever side dialled. (That Parley refuses such a peer is shown in {@link NoiseHandshakeTest}.)
 */
class NoiseJsInteropTest {
    private static JsPeer js;
    private final Ed25519PrivateKey hostile = Ed25519PrivateKey.generate();

    @BeforeEach
    void startJsOnce() {
        JsPeer.assumeNodeAvailable();
        if (js == null) {
            js = JsPeer.start();
        }
    }

    @AfterAll
    static void stopJs() {
        if (js != null) {
            js.close();
        }
    }

    static Stream<Arguments> lies() {
        return Stream.of(
                Arguments.of("signs another static key", HostilePayload.SIGNS_OTHER_STATIC_KEY),
                Arguments.of("presents another identity", HostilePayload.PRESENTS_OTHER_IDENTITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void jsRefusesAHostileListener(String lie, PayloadFactory payloads) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> listener = threads.submit(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                    MultistreamSelect.respond(in, out, NoiseHandshake.PROTOCOL_ID::equals,
                            () -> List.of(NoiseHandshake.PROTOCOL_ID));
                    return NoiseHandshake.respond(in, out, hostile, payloads);
                }
            });
            String address = "/ip4/127.0.0.1/tcp/" + server.getLocalPort() + "/p2p/" + PeerId.fromPublicKey(hostile.publicKey());

            JsonNode reply = js.call(Map.of("cmd", "dial", "addr", address));

            assertThat(reply.path("ok").asBoolean()).as("js dial of a peer that %s", lie).isFalse();
            assertThat(reply.path("name").asText()).as(reply.toString()).isEqualTo("EncryptionFailedError");
            assertThatThrownBy(() -> listener.get(30, TimeUnit.SECONDS))
                    .as("js must hang up instead of finishing the handshake")
                    .hasCauseInstanceOf(IOException.class);
        }
        assertThat(js.connectedPeers()).doesNotContain(PeerId.fromPublicKey(hostile.publicKey()).toBase58());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void jsRefusesAHostileDialer(String lie, PayloadFactory payloads) throws Exception {
        Multiaddr target = Multiaddr.parse(js.address());
        try (Socket socket = new Socket()) {
            socket.connect(target.toSocketAddress(), 10_000);
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            MultistreamSelect.select(in, out, List.of(NoiseHandshake.PROTOCOL_ID));
            SecureChannel channel = NoiseHandshake.initiate(in, out, hostile, js.peerId(), payloads);

            assertThat(channel.remotePeer()).isEqualTo(js.peerId());
            assertThatThrownBy(() -> MultistreamSelect.select(channel.in(), channel.out(), List.of("/yamux/1.0.0")))
                    .as("js keeps talking to a peer that %s", lie)
                    .isInstanceOf(IOException.class);
        }
        assertThat(js.connectedPeers()).doesNotContain(PeerId.fromPublicKey(hostile.publicKey()).toBase58());
    }
}
