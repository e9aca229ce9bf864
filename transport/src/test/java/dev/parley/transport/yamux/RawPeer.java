package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.testing.InMemoryPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The far end of a session under test, speaking raw frames, so tests can send what a well-behaved
 * session never would. It is the dialer: it opens odd stream ids.
 */
final class RawPeer implements AutoCloseable {
    private final InputStream in;
    private final OutputStream out;
    private final YamuxSession session;
    private byte[] lastPayload = new byte[0];

    private RawPeer(InputStream in, OutputStream out, YamuxSession session) {
        this.in = in;
        this.out = out;
        this.session = session;
    }

    /** Starts a listener session wired to a raw peer. */
    static RawPeer connect(YamuxConfig config, Consumer<YamuxStream> inboundStreams) {
        InMemoryPipe pipe = InMemoryPipe.open();
        InMemoryPipe.End end = pipe.listener();
        YamuxSession session = new YamuxSession(end.in(), end.out(), false, config, inboundStreams);
        session.start();
        return new RawPeer(pipe.dialer().in(), pipe.dialer().out(), session);
    }

    YamuxSession session() {
        return session;
    }

    void send(FrameHeader frame) {
        send(frame, new byte[0]);
    }

    void send(FrameHeader frame, byte[] payload) {
        byte[] bytes = new byte[FrameHeader.LENGTH + payload.length];
        frame.encode(bytes, 0);
        System.arraycopy(payload, 0, bytes, FrameHeader.LENGTH, payload.length);
        sendBytes(bytes);
    }

    /**
     * Sends bytes as far as the session reads them. A session that found a protocol error stops reading
     * mid-frame; the tests then look at what it answered, so the unread rest is not an error here.
     */
    void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            assertThat(session.isOpen()).as("session still open, yet not reading: %s", e).isFalse();
        }
    }

    /** The next frame from the session, answering its pings along the way; null at end of stream. */
    FrameHeader next() throws IOException {
        while (true) {
            byte[] header = in.readNBytes(FrameHeader.LENGTH);
            if (header.length < FrameHeader.LENGTH) {
                return null;
            }
            FrameHeader frame = FrameHeader.decode(header, 0);
            lastPayload = frame.type() == FrameType.DATA ? in.readNBytes((int) frame.length()) : new byte[0];
            if (frame.type() == FrameType.PING && frame.has(FrameHeader.SYN)) {
                answerPing(frame);
                continue;
            }
            return frame;
        }
    }

    private void answerPing(FrameHeader ping) {
        send(FrameHeader.ping(FrameHeader.ACK, (int) ping.length()));
    }

    /** The next frame of the given type, skipping others. */
    FrameHeader next(FrameType type) throws IOException {
        FrameHeader frame;
        do {
            frame = next();
        } while (frame != null && frame.type() != type);
        return frame;
    }

    /** Ends what the peer sends, as a closed connection would. */
    void closeOutput() throws IOException {
        out.close();
    }

    byte[] lastPayload() {
        return lastPayload;
    }

    @Override
    public void close() throws IOException {
        session.close();
        in.close();
        out.close();
    }
}
