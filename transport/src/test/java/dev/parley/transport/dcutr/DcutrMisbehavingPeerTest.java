package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that piles exchanges onto a connection gets one answered at a time: the newest, as js-libp2p's B
 * retries on a new stream. (Peers that fall silent half-way
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
    void aNewExchangeOnAConnectionTakesOverFromOneStillWaitingForSync() throws Exception {
        Connection connection = peers.directConnectionTo(peers.peer());

        try (Stream first = connection.newStream(DcutrService.PROTOCOL_ID);
             Stream second = connection.newStream(DcutrService.PROTOCOL_ID)) {
            sendConnect(first);
            assertThat(HolePunch.parseFrom(readFrame(first)).getType()).isEqualTo(HolePunch.Type.CONNECT);
            long start = System.nanoTime();
            sendConnect(second);
            assertThat(HolePunch.parseFrom(readFrame(second)).getType()).as("the new exchange is answered")
                    .isEqualTo(HolePunch.Type.CONNECT);
            assertThat(endOf(first)).as("the old one is ended").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not at the attempt's end")
                    .isLessThan(DcutrLoopbackPeers.ATTEMPT_TIMEOUT.dividedBy(2));
        }
        assertThat(TestProtocols.echoOver(connection, new byte[] {8})).containsExactly(8);
    }

    private static int endOf(Stream stream) {
        try {
            return stream.in().read();
        } catch (IOException reset) {
            return -1;
        }
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
