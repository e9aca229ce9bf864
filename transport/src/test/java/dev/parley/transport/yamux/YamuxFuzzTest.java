package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fuzz targets for Yamux input: a frame header decodes or is a {@link YamuxProtocolException}, and a session fed
 * any byte stream ends when it ends, having broken off with a protocol error at worst — never with an internal
 * error (a {@link RuntimeException} in its reader, which it answers with go-away INTERNAL_ERROR) and never
 * hanging. Corpus in {@code YamuxFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class YamuxFuzzTest {
    private static final YamuxConfig CONFIG = YamuxConfig.defaults();

    @FuzzTest
    void frameHeader(byte[] data) {
        if (data.length < FrameHeader.LENGTH) {
            return;
        }
        FrameHeader header;
        try {
            header = FrameHeader.decode(data, 0);
        } catch (YamuxProtocolException refused) {
            return;
        }
        byte[] encoded = new byte[FrameHeader.LENGTH];
        header.encode(encoded, 0);
        assertThat(encoded).isEqualTo(java.util.Arrays.copyOf(data, FrameHeader.LENGTH));
    }

    /** The session under test listens, so the input opens odd stream ids as a dialling peer would. */
    @FuzzTest
    void sessionInput(byte[] data) throws InterruptedException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                written.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                written.write(b, off, len);
            }
        };
        YamuxSession session = new YamuxSession(new ByteArrayInputStream(data), out, false, CONFIG,
                YamuxStream::close);
        CountDownLatch closed = new CountDownLatch(1);
        session.onClose(closed::countDown);
        session.start();
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("session closed at the end of its input").isTrue();
        byte[] sent;
        synchronized (out) {
            sent = written.toByteArray();
        }
        assertThat(goAwayCodes(sent)).doesNotContain((long) GoAwayCode.INTERNAL_ERROR.code());
    }

    /** The codes of the go-away frames among what the session sent (its data frames carry no payload here). */
    private static java.util.List<Long> goAwayCodes(byte[] sent) {
        java.util.List<Long> codes = new java.util.ArrayList<>();
        for (int at = 0; at + FrameHeader.LENGTH <= sent.length; ) {
            FrameHeader frame;
            try {
                frame = FrameHeader.decode(sent, at);
            } catch (YamuxProtocolException e) {
                throw new AssertionError("the session wrote a frame it cannot read back: " + e.getMessage(), e);
            }
            at += FrameHeader.LENGTH + (frame.type() == FrameType.DATA ? (int) frame.length() : 0);
            if (frame.type() == FrameType.GO_AWAY) {
                codes.add(frame.length());
            }
        }
        return codes;
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        FuzzSeeds headers = FuzzSeeds.of(YamuxFuzzTest.class, "frameHeader");
        FuzzSeeds sessions = FuzzSeeds.of(YamuxFuzzTest.class, "sessionInput");
        FrameHeader[] frames = {FrameHeader.data(1, FrameHeader.SYN, 2), FrameHeader.windowUpdate(1, FrameHeader.SYN, 0),
                FrameHeader.windowUpdate(3, FrameHeader.ACK, 1 << 20), FrameHeader.ping(FrameHeader.SYN, 7),
                FrameHeader.goAway(GoAwayCode.NORMAL), FrameHeader.data(1, FrameHeader.FIN, 0),
                FrameHeader.windowUpdate(1, FrameHeader.RST, 0)};
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (FrameHeader frame : frames) {
            byte[] bytes = new byte[FrameHeader.LENGTH + (frame.type() == FrameType.DATA ? (int) frame.length() : 0)];
            frame.encode(bytes, 0);
            headers.add(java.util.Arrays.copyOf(bytes, FrameHeader.LENGTH));
            all.writeBytes(bytes);
        }
        sessions.add(all.toByteArray());
        byte[] openAndSend = new byte[2 * FrameHeader.LENGTH + 5];
        FrameHeader.windowUpdate(1, FrameHeader.SYN, 0).encode(openAndSend, 0);
        FrameHeader.data(1, FrameHeader.FIN, 5).encode(openAndSend, FrameHeader.LENGTH);
        sessions.add(openAndSend);
    }
}
