package dev.parley.transport.yamux;

import dev.parley.transport.memory.MemoryScope;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical stream of a {@link YamuxSession}, with blocking streams in both directions and Yamux flow control
 * behind them.
 *
 * <p>{@link #in()} blocks for data, returns -1 once the peer half-closed and the buffer is drained, and throws
 * after a reset or the end of the session. {@link #out()} sends each write at once as DATA frames (wrap it in
 * a {@code BufferedOutputStream} for many small writes) and blocks while the peer's window is exhausted, at most
 * for the stall timeout, after which the stream is reset; closing it half-closes the stream. Once both sides have
 * closed (or either reset), the session forgets the stream and closes its memory scope; buffered data stays
 * readable.
 */
public final class YamuxStream implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(YamuxStream.class);

    private static final int FIN_SENT = 1;
    private static final int FIN_RECEIVED = 1 << 1;
    private static final int RESET = 1 << 2;
    private static final int FORGOTTEN = 1 << 3;
    private static final int ACKNOWLEDGED = 1 << 4;

    private final YamuxSession session;
    private final int id;
    private final boolean outbound;
    private final long initialWindow;
    private final MemoryScope memory;
    private final ReceiveBuffer receiveBuffer;
    private final SendWindow sendWindow;
    /** Keeps the frames of one write together and the FIN after them. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger state = new AtomicInteger();
    private final InputStream in = new StreamInput();
    private final OutputStream out = new StreamOutput();

    /** @param memory the stream's own scope, which this stream closes once the session forgets it */
    YamuxStream(YamuxSession session, int id, boolean outbound, YamuxConfig config, MemoryScope memory) {
        this.session = session;
        this.id = id;
        this.outbound = outbound;
        this.initialWindow = config.initialWindow();
        this.memory = memory;
        long unsignedId = Integer.toUnsignedLong(id);
        this.receiveBuffer = new ReceiveBuffer(unsignedId, config.receiveWindowLimit(), session::rttNanos, memory);
        this.sendWindow = new SendWindow(unsignedId, config.maxWindow(), memory.stallTimeout());
    }

    /** The stream id; an unsigned 32-bit number, odd for streams the dialer opened. */
    public int id() {
        return id;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** The stream's scope of the memory budget, which its receive buffer and its protocol's messages reserve from. */
    public MemoryScope memory() {
        return memory;
    }

    /**
     * Makes reads fail ({@link java.net.SocketTimeoutException}) once {@code timeout} has passed from now, until
     * the deadline is set again; null removes it. Deadlines need no timer, so a stream reset before its deadline
     * leaves nothing behind.
     */
    public void setReadDeadline(Duration timeout) {
        receiveBuffer.setReadDeadline(timeout);
    }

    /** Half-closes: sends FIN after any write in progress; reading goes on until the peer closes too. */
    public void closeWrite() throws IOException {
        if (!sendWindow.close()) {
            return;
        }
        writeLock.lock();
        try {
            // Forget first: a peer that sees our FIN may open its next stream at once and must find the slot free.
            setAndMaybeForget(FIN_SENT);
            session.send(FrameHeader.windowUpdate(id, FrameHeader.FIN, 0));
        } finally {
            writeLock.unlock();
        }
    }

    /** Aborts both directions at once: buffered data is dropped and the peer is sent RST. */
    public void reset() {
        boolean wasForgotten = (state.get() & FORGOTTEN) != 0;
        if (!abort("reset locally")) {
            return;
        }
        if (!wasForgotten) {
            try {
                session.send(FrameHeader.windowUpdate(id, FrameHeader.RST, 0));
            } catch (IOException e) {
                log.debug("RST for yamux stream {} not sent: {}", unsignedId(), e.toString());
            }
        }
    }

    /**
     * Half-closes and stops reading: what is buffered or still arrives is dropped (and its window handed back,
     * so the peer can finish writing). The session forgets the stream when the peer closes too.
     */
    @Override
    public void close() {
        try {
            closeRead();
            closeWrite();
        } catch (IOException e) {
            log.debug("yamux stream {} closed without telling the peer: {}", unsignedId(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "YamuxStream[" + unsignedId() + (outbound ? ", outbound" : ", inbound") + "]";
    }

    boolean isOutbound() {
        return outbound;
    }

    /** Sends the stream's first frame: SYN when we open it, ACK when we accept it, with any larger window. */
    void open(int flag) throws IOException {
        long delta = receiveBuffer.openWindow(initialWindow);
        session.send(FrameHeader.windowUpdate(id, flag, delta));
    }

    /** A DATA frame for this stream arrived; reads its payload (reader thread). */
    void onData(FrameHeader frame, FrameReader reader) throws IOException {
        onAcknowledgement(frame);
        long delta;
        try {
            delta = receiveBuffer.receive(reader, frame.length());
        } catch (YamuxStreamException refused) {
            log.debug("{}", refused.getMessage());
            resetFromReader(refused);
            return;
        }
        if (delta > 0) {
            session.sendFromReader(FrameHeader.windowUpdate(id, 0, delta));
        }
        onClosingFlags(frame);
    }

    void onWindowUpdate(FrameHeader frame) throws YamuxProtocolException {
        onAcknowledgement(frame);
        sendWindow.grant(frame.length());
        onClosingFlags(frame);
    }

    void onSessionEnd(IOException cause) {
        receiveBuffer.sessionEnded(cause);
        sendWindow.fail(cause);
        memory.close();
    }

    int bufferedBytes() {
        return receiveBuffer.available();
    }

    int peakBufferedBytes() {
        return receiveBuffer.peakBuffered();
    }

    long receiveWindow() {
        return receiveBuffer.window();
    }

    long sendCredit() {
        return sendWindow.credit();
    }

    private void closeRead() throws IOException {
        long delta = receiveBuffer.closeRead();
        if (delta > 0) {
            session.send(FrameHeader.windowUpdate(id, 0, delta));
        }
    }

    private void onAcknowledgement(FrameHeader frame) {
        if (frame.has(FrameHeader.ACK)) {
            acknowledge();
        }
    }

    private void onClosingFlags(FrameHeader frame) {
        if (frame.has(FrameHeader.FIN)) {
            // Forget before waking readers, so a reader that sees end of stream sees the stream gone too.
            setAndMaybeForget(FIN_RECEIVED);
            receiveBuffer.finish();
        }
        if (frame.has(FrameHeader.RST)) {
            abort("reset by the peer");
        }
    }

    /** Resets the stream from the reader thread, which must not block on the channel. */
    private void resetFromReader(IOException cause) throws IOException {
        boolean wasForgotten = (state.get() & FORGOTTEN) != 0;
        if (abort(cause) && !wasForgotten) {
            session.sendFromReader(FrameHeader.windowUpdate(id, FrameHeader.RST, 0));
        }
    }

    /** Ends both directions at once, dropping buffered data; false if the stream was already reset. */
    private boolean abort(String how) {
        return abort(new IOException("yamux stream " + unsignedId() + " was " + how));
    }

    private boolean abort(IOException cause) {
        if (!setFlag(RESET)) {
            return false;
        }
        receiveBuffer.reset(cause);
        sendWindow.fail(cause);
        forgetIfDone();
        return true;
    }

    /** Frees our slot in the session's backlog of unacknowledged streams, once. */
    private void acknowledge() {
        if (outbound && setFlag(ACKNOWLEDGED)) {
            session.acknowledged();
        }
    }

    private void setAndMaybeForget(int flag) {
        setFlag(flag);
        forgetIfDone();
    }

    private void forgetIfDone() {
        int s = state.get();
        boolean sendDone = (s & (FIN_SENT | RESET)) != 0;
        boolean receiveDone = (s & (FIN_RECEIVED | RESET)) != 0;
        if (sendDone && receiveDone && setFlag(FORGOTTEN)) {
            acknowledge();
            session.forget(this);
            memory.close();
        }
    }

    /** Sets a state flag; true if it was not set before. */
    private boolean setFlag(int flag) {
        int before = state.getAndUpdate(s -> s | flag);
        return (before & flag) == 0;
    }

    private long unsignedId() {
        return Integer.toUnsignedLong(id);
    }

    private final class StreamInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int n = receiveBuffer.read(b, off, len);
            if (n > 0) {
                long delta = receiveBuffer.windowUpdate();
                if (delta > 0) {
                    session.send(FrameHeader.windowUpdate(id, 0, delta));
                }
            }
            return n;
        }

        @Override
        public int available() {
            return receiveBuffer.available();
        }

        /** Stops reading, like {@link YamuxStream#close()} without the half-close. */
        @Override
        public void close() throws IOException {
            closeRead();
        }
    }

    private final class StreamOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            writeLock.lock();
            try {
                int offset = off;
                int remaining = len;
                while (remaining > 0) {
                    int n = sendWindow.acquire(Math.min(remaining, FrameHeader.MAX_DATA_LENGTH));
                    session.sendData(FrameHeader.data(id, 0, n), b, offset);
                    offset += n;
                    remaining -= n;
                }
            } catch (YamuxStreamException stalled) {
                log.debug("{}", stalled.getMessage());
                reset();
                throw stalled;
            } finally {
                writeLock.unlock();
            }
        }

        /** Half-closes the stream (FIN). */
        @Override
        public void close() throws IOException {
            closeWrite();
        }
    }
}
