package dev.parley.transport.yamux;

import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.memory.MemoryScope;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session (github.com/hashicorp/yamux spec.md, as adopted by libp2p) over a secure channel: many
 * {@link YamuxStream}s over one pair of blocking streams.
 *
 * <p>One virtual reader thread demultiplexes frames and never waits on the application: inbound streams are
 * handed to {@code inboundStreams} each on a new virtual thread, and frames the reader must answer are written
 * by a separate sender. Application threads write their own frames, one at a time under a lock.
 *
 * <p>Every stream reserves its buffers from a scope of its own within the session's memory scope, which the
 * session closes when it ends (transport/README.md, "Memory and deadlines").
 *
 * <p>Any protocol violation by the peer (malformed header, data beyond the window, window overflow, SYN for a
 * stream that exists) ends the session with a go-away carrying the protocol-error code.
 */
public final class YamuxSession implements Closeable {
    public static final String PROTOCOL_ID = "/yamux/1.0.0";

    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);
    /** The libp2p spec's advice: at most this many streams we opened may await the peer's ACK. */
    static final int MAX_ACK_BACKLOG = 256;
    private static final Duration GO_AWAY_GRACE = Duration.ofSeconds(1);
    private static final long MAX_STREAM_ID = 0xFFFF_FFFFL;

    private final InputStream in;
    private final OutputStream out;
    private final boolean initiator;
    private final YamuxConfig config;
    private final Consumer<YamuxStream> inboundStreams;
    private final FrameWriter writer;
    private final ControlSender control;
    private final PingTracker pings = new PingTracker();
    private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition backlogFreed = stateLock.newCondition();
    private final List<Runnable> closeListeners = new ArrayList<>();
    private volatile boolean open = true;
    private boolean started;
    // Locking: stateLock until started, then only read
    private MemoryScope memory;
    private boolean remoteGoAway;
    private long nextStreamId;
    private int unacknowledged;
    private int inbound;

    private volatile long rttNanos;

    /**
     * @param initiator      true on the side that dialled the connection (it opens odd stream ids)
     * @param inboundStreams receives each stream the peer opens, on its own virtual thread
     */
    public YamuxSession(InputStream in, OutputStream out, boolean initiator, YamuxConfig config,
                        Consumer<YamuxStream> inboundStreams) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.initiator = initiator;
        this.config = Objects.requireNonNull(config, "config");
        this.inboundStreams = Objects.requireNonNull(inboundStreams, "inboundStreams");
        this.writer = new FrameWriter(out, e -> shutdown(null, new IOException("yamux connection failed", e)));
        this.control = new ControlSender(writer);
        this.nextStreamId = initiator ? 1 : 2;
    }

    /** Starts without a memory budget: for sessions outside a host. */
    public void start() {
        start(MemoryBudget.unlimited().openConnection("an unbudgeted session"));
    }

    /**
     * Starts reading frames, and pinging: once to measure the round trip, then as keep-alive if configured. Streams
     * reserve their buffers within {@code connectionScope}, which the session closes when it ends.
     */
    public void start(MemoryScope connectionScope) {
        Objects.requireNonNull(connectionScope, "connectionScope");
        stateLock.lock();
        try {
            if (started) {
                throw new IllegalStateException("yamux session already started");
            }
            started = true;
            memory = connectionScope;
        } finally {
            stateLock.unlock();
        }
        Thread.ofVirtual().name("yamux-reader").start(this::readFrames);
        Thread.ofVirtual().name("yamux-keep-alive").start(this::keepAlive);
    }

    /**
     * Opens a stream: sends SYN (a window update, as js-libp2p does) and returns without waiting for the ACK.
     * Waits only when {@value #MAX_ACK_BACKLOG} of our streams are still unacknowledged.
     */
    public YamuxStream openStream() throws IOException {
        YamuxStream stream;
        stateLock.lock();
        try {
            while (open && !remoteGoAway && unacknowledged >= MAX_ACK_BACKLOG) {
                backlogFreed.await();
            }
            if (!open) {
                throw new IOException("yamux session is closed");
            }
            if (remoteGoAway) {
                throw new IOException("yamux peer sent go-away; it accepts no new streams");
            }
            if (nextStreamId > MAX_STREAM_ID) {
                throw new IOException("yamux session has used up its stream ids");
            }
            stream = new YamuxStream(this, (int) nextStreamId, true, config,
                    memory.openStream("stream " + nextStreamId));
            nextStreamId += 2;
            unacknowledged++;
            streams.put(stream.id(), stream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to open a yamux stream");
        } finally {
            stateLock.unlock();
        }
        stream.open(FrameHeader.SYN);
        return stream;
    }

    /** Measures one round trip with a yamux ping. */
    public Duration ping() throws IOException {
        PingTracker.Outstanding ping = pings.register();
        long start = System.nanoTime();
        try {
            // Checked after registering, so a session ending meanwhile is sure to fail this ping.
            if (!open) {
                throw new IOException("yamux session is closed");
            }
            // Queued, not written here, and queued within the ping's timeout: a peer that stopped reading our
            // connection then fails the ping by its timeout instead of blocking the keep-alive, which is how such
            // a connection gets closed, even when its own pings have filled the control queue.
            long deadline = start + config.pingTimeout().toNanos();
            control.send(FrameHeader.ping(FrameHeader.SYN, ping.opaque()), config.pingTimeout());
            ping.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException("yamux ping got no answer within " + config.pingTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("yamux ping failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a yamux ping answer");
        } finally {
            pings.abandon(ping.opaque());
        }
        long rtt = Math.max(1, System.nanoTime() - start);
        rttNanos = rtt;
        return Duration.ofNanos(rtt);
    }

    public boolean isOpen() {
        return open;
    }

    /** Registers a listener run once when the session ends for any reason; at once if it already has. */
    public void onClose(Runnable listener) {
        stateLock.lock();
        try {
            if (open) {
                closeListeners.add(listener);
                return;
            }
        } finally {
            stateLock.unlock();
        }
        listener.run();
    }

    /** Streams not yet closed by both sides (nor reset). */
    public int activeStreams() {
        return streams.size();
    }

    /**
     * Sends go-away (normal), ends every stream (readers see the end of what the peer finished, a reset
     * otherwise) and closes the channel.
     */
    @Override
    public void close() {
        shutdown(GoAwayCode.NORMAL, new IOException("yamux session closed"));
    }

    // ---- used by YamuxStream ----

    long rttNanos() {
        return rttNanos;
    }

    void send(FrameHeader frame) throws IOException {
        writer.write(frame);
    }

    void sendData(FrameHeader frame, byte[] payload, int offset) throws IOException {
        writer.writeData(frame, payload, offset);
    }

    /** Sends from the reader thread, which must not block on the channel. */
    void sendFromReader(FrameHeader frame) throws InterruptedIOException {
        control.send(frame);
    }

    void acknowledged() {
        stateLock.lock();
        try {
            unacknowledged--;
            backlogFreed.signal();
        } finally {
            stateLock.unlock();
        }
    }

    void forget(YamuxStream stream) {
        if (streams.remove(stream.id(), stream) && !stream.isOutbound()) {
            stateLock.lock();
            try {
                inbound--;
            } finally {
                stateLock.unlock();
            }
        }
    }

    // ---- reader thread ----

    private void readFrames() {
        FrameReader reader = new FrameReader(in);
        try {
            FrameHeader frame;
            while ((frame = reader.next()) != null) {
                dispatch(frame, reader);
            }
            shutdown(null, new EOFException("yamux connection closed by the peer"));
        } catch (YamuxProtocolException e) {
            if (open) {
                log.warn("yamux peer broke the protocol: {}", e.getMessage());
            }
            shutdown(GoAwayCode.PROTOCOL_ERROR, e);
        } catch (IOException e) {
            shutdown(null, e);
        } catch (RuntimeException e) {
            log.error("yamux reader failed", e);
            shutdown(GoAwayCode.INTERNAL_ERROR, new IOException("yamux internal error", e));
        }
    }

    private void dispatch(FrameHeader frame, FrameReader reader) throws IOException {
        switch (frame.type()) {
            case DATA, WINDOW_UPDATE -> onStreamFrame(frame, reader);
            case PING -> onPing(frame);
            case GO_AWAY -> onGoAway(frame);
        }
    }

    private void onStreamFrame(FrameHeader frame, FrameReader reader) throws IOException {
        if (frame.streamId() == FrameHeader.SESSION_STREAM_ID) {
            throw new YamuxProtocolException(frame.type() + " frame on the session stream 0");
        }
        YamuxStream stream = frame.has(FrameHeader.SYN) ? accept(frame) : streams.get(frame.streamId());
        boolean data = frame.type() == FrameType.DATA;
        if (stream == null) {
            // A frame for a stream we reset, refused or forgot may still be in flight; it is bounded by the window.
            if (data && frame.length() > config.maxWindow()) {
                throw new YamuxProtocolException("data frame of " + frame.length() + " bytes for stream "
                        + frame.unsignedStreamId() + " exceeds the maximum window of " + config.maxWindow());
            }
            if (data) {
                reader.skipPayload(frame.length());
            }
        } else if (data) {
            stream.onData(frame, reader);
        } else {
            stream.onWindowUpdate(frame);
        }
    }

    /** Registers a stream the peer opens; null when refused (beyond the limit, or we are closing). */
    private YamuxStream accept(FrameHeader frame) throws IOException {
        int id = frame.streamId();
        boolean peerParity = ((id & 1) == 1) != initiator;
        if (!peerParity) {
            throw new YamuxProtocolException("peer opened stream " + frame.unsignedStreamId()
                    + ", an id of our parity");
        }
        if (streams.containsKey(id)) {
            throw new YamuxProtocolException("peer opened stream " + frame.unsignedStreamId()
                    + ", which is already open");
        }
        YamuxStream stream = null;
        stateLock.lock();
        try {
            if (open && inbound < config.maxInboundStreams()) {
                stream = new YamuxStream(this, id, false, config,
                        memory.openStream("stream " + frame.unsignedStreamId()));
                inbound++;
                streams.put(id, stream);
            }
        } finally {
            stateLock.unlock();
        }
        if (stream == null) {
            log.debug("refusing yamux stream {}: {} inbound streams open", frame.unsignedStreamId(),
                    config.maxInboundStreams());
            control.send(FrameHeader.windowUpdate(id, FrameHeader.RST, 0));
            return null;
        }
        YamuxStream accepted = stream;
        Thread.ofVirtual().name("yamux-stream-" + frame.unsignedStreamId()).start(() -> serve(accepted));
        return stream;
    }

    private void serve(YamuxStream stream) {
        try {
            stream.open(FrameHeader.ACK);
        } catch (IOException e) {
            log.debug("yamux stream {} not acknowledged: {}", stream, e.toString());
            stream.reset();
            return;
        }
        try {
            inboundStreams.accept(stream);
        } catch (RuntimeException e) {
            log.warn("handler of {} failed; resetting it", stream, e);
            stream.reset();
        }
    }

    private void onPing(FrameHeader frame) throws IOException {
        if (frame.streamId() != FrameHeader.SESSION_STREAM_ID) {
            throw new YamuxProtocolException("ping on stream " + frame.unsignedStreamId() + " instead of 0");
        }
        int opaque = (int) frame.length();
        if (frame.has(FrameHeader.SYN)) {
            control.send(FrameHeader.ping(FrameHeader.ACK, opaque));
        } else if (frame.has(FrameHeader.ACK)) {
            pings.answered(opaque);
        } else {
            throw new YamuxProtocolException("ping with flags 0x" + Integer.toHexString(frame.flags())
                    + ", neither SYN nor ACK");
        }
    }

    private void onGoAway(FrameHeader frame) throws IOException {
        if (frame.streamId() != FrameHeader.SESSION_STREAM_ID) {
            throw new YamuxProtocolException("go-away on stream " + frame.unsignedStreamId() + " instead of 0");
        }
        GoAwayCode code = GoAwayCode.fromCode(frame.length()).orElse(null);
        if (code == GoAwayCode.NORMAL) {
            log.debug("yamux peer sent go-away; existing streams continue");
            stateLock.lock();
            try {
                remoteGoAway = true;
                backlogFreed.signalAll();
            } finally {
                stateLock.unlock();
            }
            return;
        }
        String reason = code == null ? "unknown code " + frame.length() : code.toString();
        shutdown(null, new IOException("yamux peer went away: " + reason));
    }

    // ---- keep-alive ----

    private void keepAlive() {
        Duration interval = config.keepAliveInterval();
        do {
            try {
                ping();
            } catch (IOException e) {
                if (!open) {
                    return;
                }
                if (interval.isZero()) {
                    log.debug("yamux round-trip ping failed: {}", e.getMessage());
                    return;
                }
                log.info("yamux keep-alive failed, closing the session: {}", e.getMessage());
                shutdown(null, new IOException("yamux keep-alive failed", e));
                return;
            }
        } while (!interval.isZero() && !awaitClosed(interval));
    }

    private boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    // ---- shutdown ----

    /** Ends the session once: fails streams and pings, says go-away if {@code goAway} is given, closes the channel. */
    private void shutdown(GoAwayCode goAway, IOException cause) {
        List<Runnable> listeners;
        stateLock.lock();
        try {
            if (!open) {
                return;
            }
            open = false;
            backlogFreed.signalAll();
            listeners = List.copyOf(closeListeners);
            closeListeners.clear();
        } finally {
            stateLock.unlock();
        }
        closed.countDown();
        log.debug("yamux session ends: {}", cause.getMessage());
        streams.values().forEach(stream -> stream.onSessionEnd(cause));
        streams.clear();
        if (memory != null) {
            memory.close();
        }
        pings.failAll(cause);
        if (goAway == null) {
            writer.end();
        } else {
            sayGoAway(goAway);
        }
        // The input first: closing it closes the socket, which frees a writer blocked on a peer that stopped
        // reading; closing the output first would flush into that full socket and block with it.
        closeQuietly(in);
        closeQuietly(out);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("yamux close listener failed", e);
            }
        }
    }

    /** Writes go-away, waiting a moment at most: a peer that stopped reading must not hold up the close. */
    private void sayGoAway(GoAwayCode code) {
        Thread sender = Thread.ofVirtual().name("yamux-go-away").start(() -> {
            try {
                writer.writeLast(FrameHeader.goAway(code));
            } catch (IOException e) {
                log.debug("yamux go-away not sent: {}", e.toString());
            }
        });
        try {
            if (!sender.join(GO_AWAY_GRACE)) {
                writer.end();
                log.debug("yamux go-away not sent within {} ms", GO_AWAY_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            writer.end();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("closing the yamux channel: {}", e.toString());
        }
    }
}
