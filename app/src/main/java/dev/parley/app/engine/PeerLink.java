package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.MonotonicClock;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to one peer over one long-lived chat stream that we open, and hears the peer's acks.
 *
 * <p>Envelopes are written pipelined: nothing waits for an ack before writing the next. After a stream opens
 * (on every new connection, either side's) the link <em>flushes</em>: it writes the outbox's entries for the peer
 * in queueing order, a page at a time, skipping those already written on this stream and not yet acked (unless
 * sealed anew meanwhile, under a new session: the peer cannot open the copy it has). Once
 * a page comes back short, the link is <em>live</em>: envelopes queued from then on are handed over in memory, in
 * the order they were sealed and before their commits, and each is written as soon as it and all handed before it
 * are durable. A failed stream drops what was in flight back to the outbox, which the next stream
 * flushes again; the peer deduplicates by message id. While the outbox holds something for a peer that is not
 * connected, the link dials it, backing off from half a second up to {@link #MAX_RETRY} ({@link #backOff}).
 *
 * <pre>
 *              stream opened               short page, nothing queued meanwhile
 *   NO_STREAM ────────────────> FLUSHING ────────────────────────────────────> LIVE
 *       ▲                         │   ▲                                         │
 *       │                         │   └──────────── live queue full ────────────┤
 *       └───── stream ended ──────┴─────────────────────────────────────────────┘
 *   every state ── close() ──> CLOSED
 * </pre>
 *
 * <p>One virtual thread per link writes; acks arrive on the stream's reader thread. The link reaches its peer
 * through a {@link Connector} ({@link NodeConnector} on the node) and reads time from a {@link MonotonicClock}.
 */
final class PeerLink {
    /** Outbox entries read per query while flushing; also the most written and not yet acked while flushing. */
    static final int FLUSH_PAGE = 1_000;
    /** Envelopes handed over in memory while live before the link falls back to flushing from the store. */
    static final int MAX_LIVE_QUEUE = 4_096;
    /**
     * Acks that wake a flush waiting on a full page of envelopes in flight. Waking on every ack frame read the page
     * again for every few acks (a thousand rows and envelopes each time, most of the CPU of a burst).
     */
    static final int ACKS_TO_READ_AGAIN = FLUSH_PAGE / 8;
    static final int MAX_EPHEMERAL_QUEUE = 16;
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** Doublings after which {@link #FIRST_RETRY} is far past {@link #MAX_RETRY}; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 16;
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

    /** How the link reaches its peer: the connection there is now, if any, or a dial. */
    interface Connector {
        /** The open connection to the peer, if there is one. */
        Optional<Route> connection();

        /** Connects to the peer; throws if it cannot be reached. */
        Route dial() throws IOException;
    }

    /** A connection to the peer, on which the link opens its chat stream. */
    @FunctionalInterface
    interface Route {
        OutboundStream openStream() throws IOException;
    }

    /** The chat stream a link opened: the link writes its envelopes on it and hears the peer's acks from it. */
    interface OutboundStream {
        /** Writes the frames and flushes them. */
        void write(List<ChatFrame> frames) throws IOException;

        /** Reads what the peer sends on this stream (its acks) until the stream ends; runs on a thread of its own. */
        void serve() throws IOException;

        /** Aborts the stream both ways. */
        void reset();
    }

    /** An envelope in the outbox, as the link writes it. */
    record Queued(MessageId id, EnvelopeKind kind, byte[] envelope) {
    }

    /**
     * An envelope handed to the link before its outbox entry is durable, in the order it was sealed: the live queue
     * writes it once {@code durable} completed (with whether the entry is in the outbox), and nothing queued after it
     * before. {@code live} says whether the live queue holds it still; one that is not is read from the store, once
     * durable ({@link #queued}).
     */
    private static final class Handed {
        final Queued entry;
        final CompletableFuture<Boolean> durable;
        // Locking: lock
        boolean live;

        Handed(Queued entry, CompletableFuture<Boolean> durable) {
            this.entry = entry;
            this.durable = durable;
        }

        /** Once durable: whether its entry is in the outbox (not failed to be written, nor acknowledged meanwhile). */
        boolean inOutbox() {
            return !durable.isCompletedExceptionally() && durable.join();
        }
    }

    /** What the link does with its chat stream; {@code moveTo} allows only the changes {@link #mayBecome} lists. */
    private enum State {
        /** No stream: one opens when something waits and the peer is connected, or can be dialled now. */
        NO_STREAM,
        /** A stream is open; the link writes the outbox's entries from the store, a page at a time. */
        FLUSHING,
        /** A stream is open and the outbox was read to its end: queued envelopes are handed over in memory. */
        LIVE,
        /** The worker stops; nothing changes any more. */
        CLOSED;

        boolean mayBecome(State next) {
            return switch (this) {
                case NO_STREAM -> next == FLUSHING || next == CLOSED;
                case FLUSHING -> next == LIVE || next == NO_STREAM || next == CLOSED;
                case LIVE -> next == FLUSHING || next == NO_STREAM || next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    /** What the outbox may hold for the peer that no stream has taken. */
    private enum Backlog {
        /** Nothing: the outbox was read to its end on the stream there is, or said it held nothing for the peer. */
        NONE,
        /** Perhaps something (at start, or a stream ended): the outbox is asked before the peer is dialled for it. */
        POSSIBLE,
        /** Envelopes were queued since the outbox was last read: dial for them, read it again before going live. */
        QUEUED
    }

    /** What a turn of the worker finds called for: a stream (something to write), a dial (something to deliver). */
    private record Wanted(boolean stream, boolean dial) {
    }

    /**
     * One chat stream, what was written on it and not yet acked (a fingerprint of each envelope, by id), and whether
     * the peer acked anything on it. When the stream ends, the session is dropped whole: whatever the worker still
     * writes to it afterwards is in the outbox and goes out on the next one.
     */
    private record Session(OutboundStream stream, Map<MessageId, Long> inFlight, AtomicBoolean delivered) {
        Session(OutboundStream stream) {
            this(stream, new ConcurrentHashMap<>(), new AtomicBoolean());
        }
    }

    private final PeerId peer;
    private final String recipient;
    private final Connector connector;
    private final SqliteStore store;
    private final EventDispatcher events;
    private final MonotonicClock clock;
    /** When an ack arrived: the time its DELIVERED receipt records. */
    private final InstantSource wall;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private State state = State.NO_STREAM;
    /** The open stream's; set in FLUSHING and LIVE (and kept when closing), null in NO_STREAM. */
    private Session session;
    private Backlog backlog = Backlog.NONE;
    /**
     * Envelopes handed over while LIVE, not yet written, in the order they were sealed (a session's receiver opens them
     * in the order they come: out of order, it keeps skipped keys, and beyond the ratchet's maximum skip renews the
     * session); empty in every other state.
     */
    private final ArrayDeque<Handed> liveQueue = new ArrayDeque<>();
    private final ArrayDeque<byte[]> ephemeral = new ArrayDeque<>();
    /** Dial once even with nothing to send (at start, to tell contacts we are online). */
    private boolean connectRequested;
    /** Dials and streams that failed in a row: they set {@link #nextDialNanos} by {@link #backOff}. */
    private int failures;
    private long nextDialNanos;
    /** Something changed since the worker last looked: it looks again before it waits. */
    private boolean signalled;
    /**
     * FLUSHING: the last page read was full and all of it in flight, so only acks make room on it: the worker is woken
     * by {@link #ACKS_TO_READ_AGAIN} of them, or by anything else that changes.
     */
    private boolean waitingForAcks;
    /** Acks heard while {@link #waitingForAcks}. */
    private int acksWhileWaiting;
    /** Completes once every ack frame heard so far is recorded (and reported): a flush reads the outbox after it. */
    private CompletableFuture<Void> acksRecorded = CompletableFuture.completedFuture(null);

    private final Tasks tasks;
    private final Thread worker;

    PeerLink(PeerId peer, Connector connector, SqliteStore store, EventDispatcher events, Clocks clocks,
             Tasks tasks) {
        this.peer = peer;
        this.recipient = peer.toBase58();
        this.connector = connector;
        this.store = store;
        this.events = events;
        this.clock = clocks.elapsed();
        this.wall = clocks.wall();
        this.tasks = tasks;
        this.nextDialNanos = clock.nanoTime();
        this.worker = tasks.start("chat-link " + peer, this::run);
    }

    /**
     * How long to wait before the next dial or stream after {@code failures} failures in a row (at least one):
     * {@link #FIRST_RETRY}, doubling with each failure, at most {@link #MAX_RETRY}.
     */
    static Duration backOff(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("back-off after " + failures + " failures; at least one is needed");
        }
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, MAX_DOUBLINGS));
        return delay.compareTo(MAX_RETRY) < 0 ? delay : MAX_RETRY;
    }

    /** The outbox may hold entries for the peer (at start, from the store). */
    void backlog() {
        changeAndSignal(() -> backlog = max(backlog, Backlog.POSSIBLE));
    }

    /** An envelope was committed to the outbox: write it now if live, else flush it with the rest. */
    void queued(Queued entry) {
        queued(entry, CompletableFuture.completedFuture(true));
    }

    /**
     * An envelope whose outbox entry completes {@code durable} once committed, with whether it is in the outbox (or
     * fails it). Called in the order the
     * envelopes to the peer were sealed (under the peer's session lock, where the entry's write is submitted too), so
     * that they are written in that order: while live, it waits in the live queue until it is durable and written
     * after those handed before it; otherwise, once durable, the outbox is read again for it, which holds the entries in
     * the order they were queued.
     */
    void queued(Queued entry, CompletableFuture<Boolean> durable) {
        Handed handed = new Handed(entry, durable);
        change(() -> {
            if (state == State.LIVE && liveQueue.size() < MAX_LIVE_QUEUE) {
                handed.live = true;
                liveQueue.add(handed);
            } else if (state == State.LIVE) {
                fellBehind();
            }
        });
        durable.whenComplete((inOutbox, failure) -> changeAndSignal(() -> {
            if (failure != null || !inOutbox || handed.live || state == State.CLOSED) {
                return;
            }
            // Not written live: a read of the outbox must follow its commit, and go live only after it.
            if (state == State.LIVE) {
                fellBehind();
            } else {
                backlog = Backlog.QUEUED;
            }
        }));
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
            failures = 0;
            nextDialNanos = clock.nanoTime();
        });
    }

    /** Connects to the peer once even with nothing to send (at start, to tell contacts we are online). */
    void requestConnection() {
        changeAndSignal(() -> connectRequested = true);
    }

    /** Whether this link has nothing waiting and nothing unacknowledged. */
    boolean idle() {
        return locked(() -> backlog == Backlog.NONE && liveQueue.isEmpty()
                && (session == null || session.inFlight().isEmpty()));
    }

    // The transitions of the state, each under the lock with the data that goes with it.

    private void moveTo(State next) {
        assert lock.isHeldByCurrentThread();
        if (!state.mayBecome(next)) {
            throw new IllegalStateException("the link to " + peer + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    /** NO_STREAM → FLUSHING: a stream opened; the outbox goes out on it from its oldest entry. */
    private void streamOpened(Session opened) {
        moveTo(State.FLUSHING);
        session = opened;
    }

    /** FLUSHING → LIVE: the outbox was read to its end on this stream, and nothing was queued meanwhile. */
    private void caughtUp() {
        moveTo(State.LIVE);
        backlog = Backlog.NONE;
    }

    /** LIVE → FLUSHING: more was queued than the live queue holds; the store has it all, the next page reads it. */
    private void fellBehind() {
        moveTo(State.FLUSHING);
        dropLiveQueue();
        backlog = Backlog.QUEUED;
    }

    /** What the live queue held is read from the outbox instead, each entry once it is durable ({@link #queued}). */
    private void dropLiveQueue() {
        assert lock.isHeldByCurrentThread();
        liveQueue.forEach(handed -> handed.live = false);
        liveQueue.clear();
    }

    /** FLUSHING or LIVE → NO_STREAM: the stream ended; what was in flight on it, or handed over, is in the outbox. */
    private void lostStream() {
        moveTo(State.NO_STREAM);
        session = null;
        backlog = max(backlog, Backlog.POSSIBLE);
        dropLiveQueue();
        ephemeral.clear();
    }

    private static Backlog max(Backlog a, Backlog b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // The worker.

    private void run() {
        try {
            while (!locked(() -> state == State.CLOSED)) {
                turn();
            }
        } catch (InterruptedException e) {
            // close() interrupts the worker to stop it; there is nothing left to do.
        }
    }

    /** Opens a stream if there is none and one is called for, writes what is due on it, or waits for a change. */
    private void turn() throws InterruptedException {
        Session current = locked(() -> session);
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
        } catch (RuntimeException e) {
            // A store that fails (StoreException), or anything else unforeseen, may not end the worker: the peer
            // would get nothing until a restart while both sides look online. What was written goes back to the
            // outbox, and the link tries again after a back-off.
            log.warn("delivering to {} paused: {}", peer, e.toString(), e);
            if (current != null) {
                current.stream().reset();
                streamEnded(current.stream());
            }
            change(this::retryLater);
        }
    }

    /** Opens a chat stream on the peer's connection, dialling it first if something waits; null if not now. */
    private Session openSession() {
        Wanted wanted = locked(this::wanted);
        if (clock.nanoTime() < locked(() -> nextDialNanos)) {
            return null;
        }
        Optional<Route> route = connector.connection();
        if (route.isPresent()) {
            change(() -> connectRequested = false);
        } else {
            if (!wanted.dial() || !worthDialling()) {
                return null;
            }
            route = dial();
            if (route.isEmpty()) {
                return null;
            }
        }
        if (!wanted.stream()) {
            return null;
        }
        OutboundStream opened;
        try {
            opened = route.get().openStream();
        } catch (IOException e) {
            log.debug("no chat stream to {}: {}", peer, e.getMessage());
            change(this::retryLater);
            return null;
        }
        Session started = new Session(opened);
        boolean open = locked(() -> {
            if (state == State.CLOSED) {
                return false;
            }
            streamOpened(started);
            return true;
        });
        if (!open) {
            opened.reset();
            return null;
        }
        tasks.start("chat-acks " + peer, () -> serve(started));
        return started;
    }

    private Wanted wanted() {
        assert lock.isHeldByCurrentThread();
        boolean undelivered = backlog != Backlog.NONE || !liveQueue.isEmpty();
        return new Wanted(undelivered || !ephemeral.isEmpty(), undelivered || connectRequested);
    }

    /**
     * Whether a dial is called for: asked to connect, or something queued, or a backlog the outbox confirms. A
     * stream that ended leaves a backlog that may be nothing; an offline peer is not dialled for nothing.
     */
    private boolean worthDialling() {
        if (locked(() -> connectRequested || backlog == Backlog.QUEUED)) {
            return true;
        }
        if (!store.outbox().pending(recipient, 1).isEmpty()) {
            return true;
        }
        return locked(() -> {
            if (backlog == Backlog.POSSIBLE) {
                backlog = Backlog.NONE;
            }
            return backlog == Backlog.QUEUED;
        });
    }

    private Optional<Route> dial() {
        change(() -> connectRequested = false);
        try {
            Route route = connector.dial();
            change(() -> failures = 0);
            return Optional.of(route);
        } catch (IOException e) {
            log.debug("could not reach {}: {}", peer, e.getMessage());
            change(this::retryLater);
            return Optional.empty();
        }
    }

    /** One more failure in a row: the next dial or stream waits {@link #backOff} for it. */
    private void retryLater() {
        assert lock.isHeldByCurrentThread();
        failures++;
        nextDialNanos = clock.nanoTime() + backOff(failures).toNanos();
    }

    private void serve(Session opened) {
        try {
            opened.stream().serve();
        } catch (IOException e) {
            log.debug("chat stream to {} ended: {}", peer, e.getMessage());
        } finally {
            streamEnded(opened.stream());
        }
    }

    /**
     * Whatever was in flight on {@code ended}, or about to be written to it, goes back to the outbox. A stream that
     * ended before the peer acked anything on it (a peer that refuses what we send) is retried with back-off.
     */
    private void streamEnded(OutboundStream ended) {
        changeAndSignal(() -> {
            if (state == State.CLOSED || session == null || session.stream() != ended) {
                return;
            }
            if (!session.delivered().get()) {
                retryLater();
            }
            lostStream();
        });
    }

    /** Writes what is due on {@code current}; false if there was nothing, and the worker may wait. */
    private boolean writeWhatIsDue(Session current) throws IOException {
        List<ChatFrame> frames = new ArrayList<>();
        List<Queued> due = new ArrayList<>();
        boolean flushing = locked(() -> {
            waitingForAcks = false;
            acksWhileWaiting = 0;
            ephemeral.forEach(envelope -> frames.add(ChatFrames.envelope(envelope)));
            ephemeral.clear();
            if (state == State.LIVE) {
                takeDurable(due);
                return false;
            }
            if (backlog == Backlog.QUEUED) {
                backlog = Backlog.POSSIBLE;
            }
            return true;
        });
        boolean shortPage = false;
        boolean fullPageInFlight = false;
        if (flushing) {
            // What the peer acked is out of the outbox first: it is not written again.
            locked(() -> acksRecorded).join();
            List<OutboxEntry> page = store.outbox().pending(recipient, FLUSH_PAGE);
            shortPage = page.size() < FLUSH_PAGE;
            for (OutboxEntry entry : page) {
                // While acks trickle in, a page is mostly what is in flight already: decoded only to be written.
                if (takeInFlight(current, MessageId.parse(entry.messageId()), entry.envelope())) {
                    frames.add(ChatFrames.envelope(entry.envelope()));
                }
            }
            fullPageInFlight = !shortPage && frames.isEmpty();
        }
        for (Queued entry : due) {
            if (takeInFlight(current, entry.id(), entry.envelope())) {
                frames.add(ChatFrames.envelope(entry.envelope()));
            }
        }
        if (!frames.isEmpty()) {
            current.stream().write(frames);
        }
        if (!flushing) {
            return !frames.isEmpty();
        }
        boolean readToTheEnd = shortPage;
        boolean onlyAcksMakeRoom = fullPageInFlight;
        return locked(() -> {
            boolean queuedMeanwhile = backlog == Backlog.QUEUED;
            if (state == State.FLUSHING && session == current && readToTheEnd && !queuedMeanwhile) {
                caughtUp();
            }
            waitingForAcks = state == State.FLUSHING && session == current && onlyAcksMakeRoom && !signalled;
            return queuedMeanwhile || !frames.isEmpty();
        });
    }

    /**
     * Takes from the head of the live queue what is durable, up to the first entry that is not yet: it and all handed
     * after it wait, so that they go in the order they were sealed. One whose write failed is in no outbox and is
     * dropped.
     */
    private void takeDurable(List<Queued> due) {
        assert lock.isHeldByCurrentThread();
        while (!liveQueue.isEmpty() && liveQueue.peekFirst().durable.isDone()) {
            Handed head = liveQueue.pollFirst();
            if (head.inOutbox()) {
                due.add(head.entry);
            }
        }
    }

    /**
     * Records the envelope as in flight on {@code current}; false if it was already, and need not be written again.
     * An id in flight goes again only sealed anew (under a new session, whose peer cannot open the first).
     */
    private static boolean takeInFlight(Session current, MessageId id, byte[] envelope) {
        Long fingerprint = fingerprint(envelope);
        return !fingerprint.equals(current.inFlight().put(id, fingerprint));
    }


    /**
     * Waits for a signal: until the next dial is due while there is no stream and something to dial for, at most
     * {@link #MAX_RETRY} otherwise.
     */
    private void awaitChange() throws InterruptedException {
        lock.lock();
        try {
            long wait = state == State.NO_STREAM && (backlog != Backlog.NONE || connectRequested)
                    ? Math.max(0, nextDialNanos - clock.nanoTime()) : MAX_RETRY.toNanos();
            while (!signalled && state != State.CLOSED && wait > 0) {
                wait = clock.awaitNanos(changed, wait);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /** Tells an envelope from another sealed for the same id, without holding its bytes: length and hash. */
    private static Long fingerprint(byte[] envelope) {
        return (long) envelope.length << 32 | Arrays.hashCode(envelope) & 0xffffffffL;
    }

    // Acks, from the stream's reader thread.

    /**
     * The peer acknowledged these envelopes: each leaves the outbox, and a message of ours is DELIVERED (the
     * first ack of it says so once). An id we never queued for the peer is ignored: only an outbox entry for
     * this peer makes an ack count.
     */
    void acked(List<MessageId> ids) {
        Instant now = wall.instant();
        Session current = locked(() -> session);
        Map<MessageId, Long> inFlight = current != null ? current.inFlight() : new ConcurrentHashMap<>();
        if (current != null && ids.stream().anyMatch(inFlight::containsKey)) {
            current.delivered().set(true);
            // The back-off starts over; the worker need not wake for it (the wake below is for room on a page).
            change(() -> failures = 0);
        }
        CompletableFuture<List<Boolean>> written;
        try {
            // One write for the frame's ids; not awaited here, so that the frames read meanwhile share its commit.
            written = store.outbox().acknowledgeAllAsync(ids.stream().map(MessageId::toString).toList(), recipient,
                    now);
        } catch (StoreException e) {
            written = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<Boolean>> write = written;
        change(() -> acksRecorded = acksRecorded.thenCompose(previous -> write.handle((delivered, failure) -> {
            recorded(ids, inFlight, delivered, failure);
            return null;
        })));
    }

    /**
     * What an ack frame's write came to, in the order the frames came: its envelopes are no longer in flight, its
     * messages DELIVERED; a flush held back by a full page may go on, once there is room for a good part of one.
     */
    private void recorded(List<MessageId> ids, Map<MessageId, Long> inFlight, List<Boolean> delivered,
                          Throwable failure) {
        ids.forEach(inFlight::remove);
        if (failure != null) {
            if (locked(() -> state == State.CLOSED)) {
                log.debug("acks from {} not recorded while closing: {}", peer, failure.getMessage());
            } else {
                log.warn("acks from {} not recorded; the envelopes stay queued and are sent again: {}", peer,
                        failure.getMessage());
            }
        } else {
            for (int i = 0; i < ids.size(); i++) {
                if (delivered.get(i)) {
                    events.publish(new EngineEvent.Delivered(peer, ids.get(i)));
                }
            }
        }
        lock.lock();
        try {
            acksWhileWaiting += ids.size();
            if (!waitingForAcks || acksWhileWaiting >= ACKS_TO_READ_AGAIN) {
                signalled = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void close() {
        Session current = locked(() -> {
            if (state != State.CLOSED) {
                moveTo(State.CLOSED);
            }
            changed.signalAll();
            return session;
        });
        worker.interrupt();
        if (current != null) {
            current.stream().reset();
        }
        try {
            // A link made while the engine closed has a worker that never started, which a timed join refuses.
            if (worker.getState() != Thread.State.NEW && !worker.join(Duration.ofSeconds(5))) {
                Exception where = new Exception("stack of the link to " + peer);
                where.setStackTrace(worker.getStackTrace());
                log.warn("the link to {} did not stop within 5 s; state {}", peer, worker.getState(), where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // The lock.

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    /** Makes a change and wakes the worker to look at it. */
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
}
