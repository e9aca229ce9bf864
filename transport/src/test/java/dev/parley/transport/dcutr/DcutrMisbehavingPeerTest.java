package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that piles exchanges onto a connection gets one answered at a time. (Peers that fall silent half-way
 * through an exchange are in {@link DcutrExchangeTest}.)
 */
class DcutrMisbehavingPeerTest {
    private DcutrLoopbackPeers peers;

    @BeforeEach
    void startRelay() throws IOException {
        peers = new DcutrLoopbackPeers();
    }

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    @Test
    void aAnswersOneExchangeAtATimeOnAConnection() throws Exception {
        Connection connection = peers.directConnectionTo(peers.peer());

        try (Stream first = connection.newStream(DcutrService.PROTOCOL_ID)) {
            sendConnect(first);
            assertThat(HolePunch.parseFrom(readFrame(first)).getType()).isEqualTo(HolePunch.Type.CONNECT);
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                try (Stream second = connection.newStream(DcutrService.PROTOCOL_ID)) {
                    sendConnect(second);
                    readFrame(second);
                }
            }).as("the second exchange is refused")
                    .isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not at the attempt's end")
                    .isLessThan(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.dividedBy(2));
        }
        assertThat(answeredWithin(connection, DcutrLoopbackPeers.ATTEMPT_TIMEOUT)).as("once the first has ended")
                .isTrue();
    }

    /** Whether A answers a new exchange on {@code connection} before {@code time} is up, asking again as it refuses. */
    private static boolean answeredWithin(Connection connection, Duration time) throws Exception {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream stream = connection.newStream(DcutrService.PROTOCOL_ID)) {
                sendConnect(stream);
                return HolePunch.parseFrom(readFrame(stream)).getType() == HolePunch.Type.CONNECT;
            } catch (IOException refused) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static void sendConnect(Stream stream) throws IOException {
        byte[] connect = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT)
                .addObsAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/9").bytes()))
                .build().toByteArray();
        Varint.write(connect.length, stream.out());
        stream.out().write(connect);
        stream.out().flush();
    }

    /** One length-prefixed message; an {@link java.io.EOFException} if the stream ends first. */
    private static byte[] readFrame(Stream stream) throws IOException {
        int length = (int) Varint.read(stream.in());
        return stream.in().readNBytes(length);
    }
}
