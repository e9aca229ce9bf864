package dev.parley.transport.yamux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a session does with frames a peer sends, well-formed or hostile, seen from a raw peer. */
@Timeout(30)
class YamuxPeerInputTest {
    private static final YamuxConfig CONFIG = YamuxConfig.defaults();
    private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;

    private final BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();

    @Test
    void synWithDataOpensTheStreamWithThatData() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.data(1, FrameHeader.SYN | FrameHeader.FIN, 2), "hi".getBytes(UTF_8));

            YamuxStream stream = accepted.take();
            assertThat(stream.in().readAllBytes()).isEqualTo("hi".getBytes(UTF_8));
            FrameHeader ack = peer.next();
            assertThat(ack).isEqualTo(FrameHeader.windowUpdate(1, FrameHeader.ACK, 0));
        }
    }

    @Test
    void pingIsAnsweredWithTheSameOpaqueValue() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.ping(FrameHeader.SYN, 0xCAFEBABE));

            assertThat(peer.next(FrameType.PING)).isEqualTo(FrameHeader.ping(FrameHeader.ACK, 0xCAFEBABE));
        }
    }

    @Test
    void streamsBeyondTheInboundLimitAreAnsweredWithReset() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG.withMaxInboundStreams(1), accepted::add)) {
            peer.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0));
            peer.send(FrameHeader.data(3, FrameHeader.SYN, 5), new byte[5]);

            FrameHeader first = peer.next();
            FrameHeader second = peer.next();
            assertThat(List.of(first, second)).containsExactlyInAnyOrder(
                    FrameHeader.windowUpdate(1, FrameHeader.ACK, 0),
                    FrameHeader.windowUpdate(3, FrameHeader.RST, 0));
            assertThat(peer.session().activeStreams()).isEqualTo(1);
            assertThat(peer.session().isOpen()).isTrue();
        }
    }

    @Test
    void dataForAnUnknownStreamIsSkipped() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.data(99, 0, 1000), new byte[1000]);
            peer.send(FrameHeader.ping(FrameHeader.SYN, 5));

            assertThat(peer.next(FrameType.PING)).isEqualTo(FrameHeader.ping(FrameHeader.ACK, 5));
            assertThat(peer.session().isOpen()).isTrue();
        }
    }

    @Test
    void goAwayStopsNewStreamsButExistingOnesFinish() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0));
            YamuxStream stream = accepted.take();

            peer.send(FrameHeader.goAway(GoAwayCode.NORMAL));
            peer.send(FrameHeader.data(1, FrameHeader.FIN, 3), "end".getBytes(UTF_8));

            assertThat(stream.in().readAllBytes()).isEqualTo("end".getBytes(UTF_8));
            assertThatThrownBy(() -> peer.session().openStream()).hasMessageContaining("go-away");
            stream.out().write(7);
            assertThat(peer.next(FrameType.DATA)).isEqualTo(FrameHeader.data(1, 0, 1));
            assertThat(peer.lastPayload()).containsExactly(7);
            assertThat(peer.session().isOpen()).isTrue();
        }
    }

    @Test
    void goAwayWithAnErrorEndsTheSession() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            CountDownLatch closed = new CountDownLatch(1);
            peer.session().onClose(closed::countDown);

            peer.send(FrameHeader.goAway(GoAwayCode.INTERNAL_ERROR));

            closed.await();
            assertThat(peer.session().isOpen()).isFalse();
        }
    }

    @Test
    void firstFrameLargerThanTheWindowIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.data(1, FrameHeader.SYN, WINDOW + 1), new byte[WINDOW + 1]);

            expectProtocolError(peer);
        }
    }

    @Test
    void dataBeyondTheRemainingWindowIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.data(1, FrameHeader.SYN, WINDOW - 10), new byte[WINDOW - 10]);
            peer.send(FrameHeader.data(1, 0, 11), new byte[11]);

            expectProtocolError(peer);
        }
    }

    @Test
    void windowUpdateOverflowingThirtyTwoBitsIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            YamuxStream stream = peer.session().openStream();
            assertThat(peer.next()).isEqualTo(FrameHeader.windowUpdate(stream.id(), FrameHeader.SYN, 0));

            peer.send(FrameHeader.windowUpdate(stream.id(), FrameHeader.ACK, 0xFFFF_FFFFL));

            expectProtocolError(peer);
            assertThatThrownBy(() -> stream.out().write(1)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void windowUpdateBeyondTheMaximumWindowIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            YamuxStream stream = peer.session().openStream();
            peer.send(FrameHeader.windowUpdate(stream.id(), FrameHeader.ACK, CONFIG.maxWindow() - WINDOW));
            peer.send(FrameHeader.windowUpdate(stream.id(), 0, 1));

            expectProtocolError(peer);
        }
    }

    @Test
    void unsupportedVersionIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.sendBytes(new byte[] {1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1});

            expectProtocolError(peer);
        }
    }

    @Test
    void unknownFrameTypeIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.sendBytes(new byte[] {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});

            expectProtocolError(peer);
        }
    }

    @Test
    void pingOffTheSessionStreamIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(new FrameHeader(FrameType.PING, FrameHeader.SYN, 1, 0));

            expectProtocolError(peer);
        }
    }

    @Test
    void dataOnTheSessionStreamIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.data(0, 0, 1), new byte[1]);

            expectProtocolError(peer);
        }
    }

    @Test
    void synForAnOpenStreamIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0));
            peer.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0));

            expectProtocolError(peer);
        }
    }

    @Test
    void synWithTheListenersParityIsAProtocolError() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            peer.send(FrameHeader.windowUpdate(2, FrameHeader.SYN, 0));

            expectProtocolError(peer);
        }
    }

    @Test
    void truncatedHeaderEndsTheSession() throws Exception {
        try (RawPeer peer = RawPeer.connect(CONFIG, accepted::add)) {
            CountDownLatch closed = new CountDownLatch(1);
            peer.session().onClose(closed::countDown);

            peer.sendBytes(new byte[] {0, 0, 0});
            peer.closeOutput();

            closed.await();
            assertThat(peer.session().isOpen()).isFalse();
        }
    }

    /** The session says go-away with the protocol-error code, then closes the connection. */
    private static void expectProtocolError(RawPeer peer) throws IOException {
        assertThat(peer.next(FrameType.GO_AWAY)).isEqualTo(FrameHeader.goAway(GoAwayCode.PROTOCOL_ERROR));
        assertThat(peer.next()).isNull();
        assertThat(peer.session().isOpen()).isFalse();
    }
}
