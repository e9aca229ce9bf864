package dev.parley.app.engine;

import dev.parley.app.Node;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to one peer over one long-lived chat stream that we open, and hears the peer's acks.
 *
 * <p>Envelopes are written pipelined: nothing waits for an ack before writing the next. After a stream opens
 * (on every new connection, either side's) the link <em>flushes</em>: it writes the outbox's entries for the peer
 * in queueing order, a page at a time, skipping those already written on this stream and not yet acked. Once
 * a page comes back short, the link is <em>live</em>: envelopes queued from then on are handed over in memory
 * and written at once. A failed stream drops what was in flight back to the outbox, which the next stream
 * flushes again; the peer deduplicates by message id. While the outbox holds something for a peer that is not
 * connected, the link dials it, backing off from half a second up to {@link #MAX_RETRY}.
 *
 * <p>One virtual thread per link writes; acks arrive on the stream's reader thread.
 */
final class PeerLink {
    /** Outbox entries read per query while flushing; also the most written and not yet acked while flushing. */
    static final int FLUSH_PAGE = 1_000;
    /** Envelopes handed over in memory while live before the link falls back to flushing from the store. */
    static final int MAX_LIVE_QUEUE = 4_096;
    static final int MAX_EPHEMERAL_QUEUE = 16;
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    /** Serves the chat stream a link opened: reads what the peer sends on it (its acks) until it ends. */
    @FunctionalInterface
    interface StreamServer {
        void serve(ChatStream stream) throws IOException;
    }

    /** An envelope in the outbox, as the link writes it. */
    record Queued(MessageId id, EnvelopeKind kind, byte[] envelope) {
    }

    /**
     * One chat stream, what was written on it and not yet acked, and whether the peer acked anything on it. When
     * the stream ends, the session is dropped whole: whatever the worker still writes to it afterwards is in the
     * outbox and goes out on the next one.
     */
    private record Session(ChatStream stream, Map<MessageId, EnvelopeKind> inFlight, AtomicBoolean delivered) {
        Session(ChatStream stream) {
            this(stream, new ConcurrentHashMap<>(), new AtomicBoolean());
        }
    }

    private final PeerId peer;
    private final String recipient;
    private final Node node;
    private final SqliteStore store;
    private final EventDispatcher events;
    private final StreamServer server;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private boolean signalled;
    private boolean closed;
    /** The outbox may hold entries for the peer that no stream has taken (checked before dialling for them). */
    private boolean backlog;
    /** Entries were queued while flushing: query again before going live. */
    private boolean queuedWhileFlushing;
    private boolean live;
    /** Dial once even with nothing to send (at start, to tell contacts we are online). */
    private boolean connectRequested;
    private final ArrayDeque<Queued> liveQueue = new ArrayDeque<>();
    private final ArrayDeque<byte[]> ephemeral = new ArrayDeque<>();
    private Session session;
    private int dialFailures;
    private long nextDialNanos = System.nanoTime();

    private final Thread worker;

    PeerLink(PeerId peer, Node node, SqliteStore store, EventDispatcher events, StreamServer server) {
        this.peer = peer;
        this.recipient = peer.toBase58();
        this.node = node;
        this.store = store;
        this.events = events;
        this.server = server;
        this.worker = Thread.ofVirtual().name("chat-link " + peer).start(this::run);
    }

    /** The outbox may hold entries for the peer (at start, from the store). */
    void backlog() {
        changeAndSignal(() -> backlog = true);
    }

    /** An envelope was committed to the outbox: write it now if live, else flush it with the rest. */
    void queued(Queued entry) {
        changeAndSignal(() -> {
            if (live && liveQueue.size() < MAX_LIVE_QUEUE) {
                liveQueue.add(entry);
            } else {
                // Beyond the live queue's bound the store holds the rest; the next flush reads it from there.
                live = false;
                liveQueue.clear();
                queuedWhileFlushing = true;
                backlog = true;
            }
        });
    }

    /** A typing notice: written if a stream is or can be opened on a connection there is; never stored or retried. */
    void ephemeral(byte[] envelope) {
        changeAndSignal(() -> {
            if (ephemeral.size() < MAX_EPHEMERAL_QUEUE) {
                ephemeral.add(envelope);
            }
        });
    }

    /** A connection to the peer opened: dial no more, and open a stream if there is something to send. */
    void connectionOpened() {
        changeAndSignal(() -> {
            dialFailures = 0;
            nextDialNanos = System.nanoTime();
        });
    }

    void requestConnection() {
        changeAndSignal(() -> connectRequested = true);
    }

    /** Whether this link has nothing waiting and nothing unacknowledged. */
    boolean idle() {
        lock.lock();
        try {
            return !backlog && !queuedWhileFlushing && liveQueue.isEmpty()
                    && (session == null || session.inFlight().isEmpty());
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void changeAndSignal(Runnable change) {
        lock.lock();
        try {
            change.run();
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Session current;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                current = session;
            } finally {
                lock.unlock();
            }
            try {
                if (current == null) {
                    current = openSession();
                }
                if (current == null || !writeWhatIsDue(current)) {
                    awaitChange();
                }
            } catch (IOException e) {
                log.debug("chat stream to {} failed: {}", peer, e.getMessage());
                current.stream().reset();
                streamEnded(current.stream());
            } catch (StoreException e) {
                log.warn("delivering to {} paused: {}", peer, e.getMessage());
                retryLater();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Opens a chat stream on the peer's connection, dialling it first if something waits; null if not now. */
    private Session openSession() {
        boolean wantStream;
        boolean wantDial;
        lock.lock();
        try {
            boolean undelivered = backlog || queuedWhileFlushing || !liveQueue.isEmpty();
            wantStream = undelivered || !ephemeral.isEmpty();
            wantDial = undelivered || connectRequested;
        } finally {
            lock.unlock();
        }
        if (System.nanoTime() < dialDue()) {
            return null;
        }
        Optional<Connection> connection = node.host().connection(peer);
        if (connection.isPresent()) {
            lock.lock();
            try {
                connectRequested = false;
            } finally {
                lock.unlock();
            }
        } else {
            if (!wantDial || !worthDialling()) {
                return null;
            }
            connection = dial();
            if (connection.isEmpty()) {
                return null;
            }
        }
        if (!wantStream) {
            return null;
        }
        ChatStream opened;
        try {
            opened = new ChatStream(connection.get().newStream(ChatFrames.PROTOCOL_ID));
        } catch (IOException e) {
            log.debug("no chat stream to {}: {}", peer, e.getMessage());
            retryLater();
            return null;
        }
        Session started = new Session(opened);
        lock.lock();
        try {
            if (closed) {
                opened.reset();
                return null;
            }
            session = started;
            live = false;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("chat-acks " + peer).start(() -> serve(opened));
        return started;
    }

    /**
     * Whether a dial is called for: asked to connect, or something queued, or a backlog the outbox confirms. A
     * stream that ended leaves a backlog that may be nothing; an offline peer is not dialled for nothing.
     */
    private boolean worthDialling() {
        lock.lock();
        try {
            if (connectRequested || queuedWhileFlushing || !liveQueue.isEmpty()) {
                return true;
            }
        } finally {
            lock.unlock();
        }
        if (!store.outbox().pending(recipient, 1).isEmpty()) {
            return true;
        }
        lock.lock();
        try {
            backlog = false;
            return queuedWhileFlushing || !liveQueue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private Optional<Connection> dial() {
        changeAndSignal(() -> connectRequested = false);
        try {
            Connection connection = node.connect(peer);
            lock.lock();
            try {
                dialFailures = 0;
            } finally {
                lock.unlock();
            }
            return Optional.of(connection);
        } catch (IOException e) {
            log.debug("could not reach {}: {}", peer, e.getMessage());
            retryLater();
            return Optional.empty();
        }
    }

    private long dialDue() {
        lock.lock();
        try {
            return nextDialNanos;
        } finally {
            lock.unlock();
        }
    }

    private void retryLater() {
        lock.lock();
        try {
            long delay = Math.min(MAX_RETRY.toNanos(), FIRST_RETRY.toNanos() << Math.min(dialFailures, 16));
            dialFailures++;
            nextDialNanos = System.nanoTime() + delay;
        } finally {
            lock.unlock();
        }
    }

    private void serve(ChatStream opened) {
        try {
            server.serve(opened);
        } catch (IOException e) {
            log.debug("chat stream to {} ended: {}", peer, e.getMessage());
        } finally {
            streamEnded(opened);
        }
    }

    /**
     * Whatever was in flight on {@code ended}, or about to be written to it, goes back to the outbox. A stream that
     * ended before the peer acked anything on it (a peer that refuses what we send) is retried with back-off.
     */
    private void streamEnded(ChatStream ended) {
        changeAndSignal(() -> {
            if (session == null || session.stream() != ended) {
                return;
            }
            if (!session.delivered().get()) {
                retryLater();
            }
            session = null;
            backlog = true;
            liveQueue.clear();
            ephemeral.clear();
            live = false;
        });
    }

    /** Writes what is due on {@code current}; false if there was nothing, and the worker may wait. */
    private boolean writeWhatIsDue(Session current) throws IOException {
        List<ChatFrame> frames = new ArrayList<>();
        List<Queued> due = new ArrayList<>();
        boolean flushing;
        lock.lock();
        try {
            ephemeral.forEach(envelope -> frames.add(ChatFrames.envelope(envelope)));
            ephemeral.clear();
            flushing = !live;
            if (flushing) {
                queuedWhileFlushing = false;
            } else {
                due.addAll(liveQueue);
                liveQueue.clear();
            }
        } finally {
            lock.unlock();
        }
        int pageSize = 0;
        if (flushing) {
            List<OutboxEntry> page = store.outbox().pending(recipient, FLUSH_PAGE);
            pageSize = page.size();
            for (OutboxEntry entry : page) {
                due.add(queued(entry));
            }
        }
        for (Queued entry : due) {
            if (current.inFlight().putIfAbsent(entry.id(), entry.kind()) == null) {
                frames.add(ChatFrames.envelope(entry.envelope()));
            }
        }
        if (!frames.isEmpty()) {
            current.stream().write(frames);
        }
        if (flushing) {
            lock.lock();
            try {
                if (!queuedWhileFlushing && pageSize < FLUSH_PAGE && session == current) {
                    live = true;
                    backlog = false;
                }
                return queuedWhileFlushing || !frames.isEmpty();
            } finally {
                lock.unlock();
            }
        }
        return !frames.isEmpty();
    }

    private Queued queued(OutboxEntry entry) {
        MessageId id = MessageId.parse(entry.messageId());
        try {
            return new Queued(id, Envelope.decode(entry.envelope()).header().kind(), entry.envelope());
        } catch (EnvelopeException e) {
            throw new IllegalStateException("the outbox holds a damaged envelope for " + entry.messageId(), e);
        }
    }

    private void awaitChange() throws InterruptedException {
        lock.lock();
        try {
            long wait = session == null && (backlog || connectRequested)
                    ? Math.max(0, nextDialNanos - System.nanoTime()) : MAX_RETRY.toNanos();
            while (!signalled && !closed && wait > 0) {
                wait = changed.awaitNanos(wait);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The peer acknowledged these envelopes: each leaves the outbox, and a message of ours is DELIVERED (the
     * first ack of it says so once). An id we never queued for the peer is ignored: only an outbox entry for
     * this peer makes an ack count.
     */
    void acked(List<MessageId> ids) {
        Instant now = Instant.now();
        Session current = currentSession();
        Map<MessageId, EnvelopeKind> inFlight = current != null ? current.inFlight() : new ConcurrentHashMap<>();
        if (current != null && ids.stream().anyMatch(inFlight::containsKey)) {
            current.delivered().set(true);
            changeAndSignal(() -> dialFailures = 0);
        }
        try {
            // All submitted before any is awaited, so that they share the store's commits.
            List<CompletableFuture<Boolean>> delivered = ids.stream()
                    .map(id -> store.outbox().acknowledgeAsync(id.toString(), recipient, now)).toList();
            for (int i = 0; i < ids.size(); i++) {
                if (delivered.get(i).join()) {
                    events.publish(new EngineEvent.Delivered(peer, ids.get(i)));
                }
            }
        } catch (StoreException | CompletionException e) {
            if (isClosed()) {
                log.debug("acks from {} not recorded while closing: {}", peer, e.getMessage());
            } else {
                log.warn("acks from {} not recorded; the envelopes stay queued and are sent again: {}", peer,
                        e.getMessage());
            }
        }
        ids.forEach(inFlight::remove);
        changeAndSignal(() -> { });
    }

    private Session currentSession() {
        lock.lock();
        try {
            return session;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        Session current;
        lock.lock();
        try {
            closed = true;
            current = session;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        if (current != null) {
            current.stream().reset();
        }
        try {
            if (!worker.join(Duration.ofSeconds(5))) {
                Exception where = new Exception("stack of the link to " + peer);
                where.setStackTrace(worker.getStackTrace());
                log.warn("the link to {} did not stop within 5 s; state {}", peer, worker.getState(), where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
