package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.Done;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.app.node.Node;
import dev.parley.crypto.RoomId;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways room envelopes travel on {@code /parley/sync/1.0.0}. A <em>push</em> hands new envelopes straight
 * to a member the sender can reach, batched per member on one stream at a time, best effort: a push that cannot
 * go is dropped. A <em>sync</em> repairs everything else: the opener says where it stands in each room it shares
 * with the answerer (log head, each sender's contiguous number, keys it lacks) and the answerer sends what it
 * lacks. Any member serves any member, so a member that was offline catches up from whoever it meets first.
 *
 * <p>What the frames mean is the {@link Party}'s business; this class moves them. Syncs with one peer run one at a
 * time: one asked for while one runs makes it run again after. Syncs and pushes run on the rooms' own threads
 * ({@link RoomTasks}); nothing is synced before {@link #start}, which syncs with every member it reaches anyway.
 */
final class RoomSync {
    /** Envelopes waiting to be pushed to one member; beyond this they are dropped, and a sync brings them. */
    static final int MAX_PUSH_QUEUE = 10_000;
    /**
     * Tries of a batch whose push failed on a reachable member (a stream reset, a connection replaced as both sides
     * dialled) before it is left to the next sync, which may be an anti-entropy round away.
     */
    static final int PUSH_TRIES = 3;
    /** Pause before a failed push is tried again, times the failures so far. */
    static final Duration PUSH_RETRY_PAUSE = Duration.ofMillis(250);
    /** A member that could not be dialled is not dialled again for a push before this. */
    static final Duration REDIAL_AFTER = Duration.ofSeconds(30);
    /**
     * A sync or push stream whose peer has not finished within this is reset: a read deadline, so that no timer
     * outlives a stream (a peer opening and dropping streams leaves nothing queued).
     */
    static final Duration STREAM_TIMEOUT = Duration.ofSeconds(120);
    /** Rounds of one sync: a cut answer, or events that reveal more is missing, ask again up to this often. */
    static final int MAX_ROUNDS = 8;
    /** Frames taken and not yet durable, per stream; reading waits beyond this. */
    static final int MAX_TAKING = 1_000;
    /**
     * Room envelopes read and held before they are taken together (their signatures checked side by side), at most;
     * and their bytes at most, so that a stream holds little beyond what its memory budget counts.
     */
    static final int ENVELOPES_TAKEN_TOGETHER = 64;
    static final int BYTES_TAKEN_TOGETHER = 128 * 1024;
    /** Frames of membership events one stream may carry: a whole log, at 3 events a frame, and some to spare. */
    static final int MAX_EVENT_FRAMES = (RoomLog.MAX_HELD + 2) / 3 + 16;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RoomSync.class);

    /** What the frames mean: the rooms' side of the protocol. */
    interface Party {
        /** Where we stand in the rooms we share with {@code peer}; empty when we share none. */
        Optional<Digest> digest(PeerId peer);

        /**
         * Writes what {@code asker} lacks according to its digest, holding what it reads from the store meanwhile in
         * {@code memory} (the stream's scope of the memory budget); returns whether the answer was cut short.
         */
        boolean answer(PeerId asker, Digest digest, MemoryScope memory, FrameSink out) throws IOException;

        /**
         * Takes a frame {@code from} sent. What it changes in memory is done when this returns, so the next frame
         * sees it; what it stores may still be under way. The future completes once that is durable, with true if
         * the frame shows that we lack something {@code from} may have.
         */
        CompletableFuture<Boolean> take(PeerId from, SyncFrame frame);

        /**
         * Takes room envelope frames {@code from} sent one after another, in their order, as {@link #take} takes each:
         * one future for each frame taken (fewer when the engine closes meanwhile).
         */
        List<CompletableFuture<Boolean>> takeEnvelopes(PeerId from, List<SyncFrame> frames);

        /**
         * Takes the membership events one stream from {@code from} carried, all at once: events that change nothing
         * by themselves are taken only when others among them follow them. Returns whether they show that we lack
         * something {@code from} may have.
         */
        boolean takeEvents(PeerId from, List<RoomEvents> frames);

        /** A sync with {@code peer} ended whole: we hold the log of every room we share with it as it does. */
        void synced(PeerId peer);

        /** Whether a push for {@code room} may still go to {@code member}: it may have left since it was queued. */
        boolean stillMember(RoomId room, PeerId member);

        /** {@code member} ended a push stream cleanly: it has stored every envelope of {@code stored}. */
        void pushed(PeerId member, List<Push> stored);
    }

    /** A room envelope of ours waiting to be pushed, with its number among our envelopes in the room. */
    record Push(RoomId room, byte[] envelope, long senderSeq) {
    }

    @FunctionalInterface
    interface FrameSink {
        void write(SyncFrame frame) throws IOException;
    }

    private final Node node;
    private final EngineThreads threads;
    private final InstantSource clock;
    private final Map<PeerId, Pusher> pushers = new ConcurrentHashMap<>();
    private final ReentrantLock syncsLock = new ReentrantLock();
    // Locking: syncsLock; a peer's entry goes once its syncs have run, so that no peer outlives them here
    private final Map<PeerId, SyncRuns> syncs = new HashMap<>();
    private volatile Party party;
    private final RoomSetup.Mailboxes mailboxes;

    /**
     * @param clock     what the redial wait after a failed dial is measured by
     * @param mailboxes where a push goes for a member that cannot be reached
     */
    RoomSync(Node node, EngineThreads threads, InstantSource clock, RoomSetup.Mailboxes mailboxes) {
        this.node = node;
        this.threads = threads;
        this.clock = clock;
        this.mailboxes = mailboxes;
    }

    /** Serves {@code /parley/sync/1.0.0} for {@code party}, which from now on takes and answers every frame. */
    void start(Party party) {
        this.party = party;
        node.host().setHandler(SyncFrames.PROTOCOL_ID, this::serve);
    }

    /** Queues an envelope for {@code member}, pushed as soon as it can be reached if it is a member then. */
    void push(PeerId member, Push push) {
        if (!threads.isClosing() && party != null) {
            pushers.computeIfAbsent(member, Pusher::new).add(List.of(push));
        }
    }

    /** Syncs with {@code peer} if it is connected: now, or once the sync with it that runs has ended. */
    void syncWith(PeerId peer) {
        if (!threads.isClosing() && party != null && node.host().connection(peer).isPresent()) {
            SyncRuns runs;
            syncsLock.lock();
            try {
                runs = syncs.computeIfAbsent(peer, SyncRuns::new);
                if (!runs.request()) {
                    return;
                }
            } finally {
                syncsLock.unlock();
            }
            threads.start("room-sync " + peer, runs::run);
        }
    }

    private void serve(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        stream.setReadDeadline(STREAM_TIMEOUT);
        // Not try-with-resources: a stream that broke the protocol is reset, and closing it first would not be.
        try {
            // Unbuffered: each frame is read into a buffer the stream's memory budget counts, and nothing more.
            InputStream in = stream.in();
            SyncFrame first = SyncFrames.read(in, stream.memory(), peer);
            if (first == null) {
                return;
            }
            if (first.getFrameCase() == SyncFrame.FrameCase.DIGEST) {
                OutputStream out = new BufferedOutputStream(stream.out(), BUFFER_BYTES);
                boolean cut = party.answer(peer, first.getDigest(), stream.memory(),
                        frame -> SyncFrames.write(frame, out));
                SyncFrames.write(SyncFrame.newBuilder().setDone(Done.newBuilder().setMore(cut)).build(), out);
                out.flush();
                stream.closeWrite();
                return;
            }
            try (Taking taking = new Taking(peer, stream.memory())) {
                taking.take(first);
                for (SyncFrame frame = SyncFrames.read(in, stream.memory(), peer); frame != null;
                        frame = SyncFrames.read(in, stream.memory(), peer)) {
                    taking.take(frame);
                }
                if (taking.behind()) {
                    syncWith(peer);
                }
            }
        } catch (SyncProtocolException | SocketTimeoutException e) {
            log.info("reset a sync stream from {}: {}", peer, e.getMessage());
            stream.reset();
        } finally {
            stream.close();
        }
    }

    /** Runs one exchange as the opener under the stream's deadline; a peer that outlasts it gets a reset. */
    private static <T> T withinDeadline(Stream stream, Exchange<T> exchange) throws IOException {
        stream.setReadDeadline(STREAM_TIMEOUT);
        try (stream) {
            return exchange.run();
        } catch (SocketTimeoutException e) {
            stream.reset();
            throw e;
        }
    }

    /**
     * Whether a member that could not be dialled is still not to be dialled again for a push at {@code now}. A wall
     * clock stepped back holds the redial no longer than {@link #REDIAL_AFTER}.
     */
    static boolean waitingToRedial(Instant noDialBefore, Instant now) {
        return now.isBefore(noDialBefore) && !noDialBefore.isAfter(now.plus(REDIAL_AFTER));
    }

    private interface Exchange<T> {
        T run() throws IOException;
    }

    /** One sync round as the opener; returns whether another round is called for. */
    private boolean syncOnce(PeerId peer) throws IOException {
        Optional<Digest> digest = party.digest(peer);
        Optional<Connection> connection = node.host().connection(peer);
        if (digest.isEmpty() || connection.isEmpty()) {
            return false;
        }
        Stream stream = connection.get().newStream(STREAM_TIMEOUT, SyncFrames.PROTOCOL_ID);
        return withinDeadline(stream, () -> {
            OutputStream out = new BufferedOutputStream(stream.out(), BUFFER_BYTES);
            SyncFrames.write(SyncFrame.newBuilder().setDigest(digest.get()).build(), out);
            out.flush();
            stream.closeWrite();
            InputStream in = stream.in();
            try (Taking taking = new Taking(peer, stream.memory())) {
                for (SyncFrame frame = SyncFrames.read(in, stream.memory(), peer); frame != null;
                        frame = SyncFrames.read(in, stream.memory(), peer)) {
                    if (frame.getFrameCase() == SyncFrame.FrameCase.DONE) {
                        boolean again = taking.behind() || frame.getDone().getMore();
                        if (!again) {
                            party.synced(peer);
                        }
                        return again;
                    }
                    taking.take(frame);
                }
                log.debug("{} ended a sync without saying it was done", peer);
                return taking.behind();
            }
        });
    }

    /**
     * The frames of one stream being taken: a bounded number in flight, membership events held until the stream
     * ends (they are taken together) in the stream's scope of the memory budget, and whether any showed we are
     * behind. Closing it gives back what the events held.
     */
    private final class Taking implements AutoCloseable {
        private final PeerId peer;
        private final MemoryScope memory;
        private final Deque<CompletableFuture<Boolean>> pending = new ArrayDeque<>();
        private final List<RoomEvents> events = new ArrayList<>();
        private final List<SyncFrame> envelopes = new ArrayList<>();
        private long eventBytes;
        private long envelopeBytes;
        private boolean behind;

        Taking(PeerId peer, MemoryScope memory) {
            this.peer = peer;
            this.memory = memory;
        }

        void take(SyncFrame frame) throws SyncProtocolException {
            if (frame.getFrameCase() == SyncFrame.FrameCase.EVENTS) {
                if (events.size() >= MAX_EVENT_FRAMES) {
                    throw new SyncProtocolException(peer + " sent more than " + MAX_EVENT_FRAMES
                            + " frames of membership events on one stream");
                }
                long size = frame.getEvents().getSerializedSize();
                if (!memory.reserve(size, MemoryScope.Priority.BULK)) {
                    throw new SyncProtocolException(peer + " sent more membership events on one stream than its"
                            + " memory budget holds (" + (eventBytes + size) + " bytes)");
                }
                eventBytes += size;
                events.add(frame.getEvents());
                return;
            }
            if (frame.getFrameCase() == SyncFrame.FrameCase.ENVELOPE) {
                envelopes.add(frame);
                envelopeBytes += frame.getEnvelope().size();
                if (envelopes.size() >= ENVELOPES_TAKEN_TOGETHER || envelopeBytes >= BYTES_TAKEN_TOGETHER) {
                    takeEnvelopes();
                }
                return;
            }
            // Whatever comes after envelopes (a key they wait for, say) is taken after them, as it came.
            takeEnvelopes();
            pending.add(party.take(peer, frame));
            settleWhenFull();
        }

        private void takeEnvelopes() {
            if (envelopes.isEmpty()) {
                return;
            }
            pending.addAll(party.takeEnvelopes(peer, List.copyOf(envelopes)));
            envelopes.clear();
            envelopeBytes = 0;
            settleWhenFull();
        }

        private void settleWhenFull() {
            if (pending.size() >= MAX_TAKING) {
                // The older half only: the store commits it while the next frames are read and opened.
                settle(MAX_TAKING / 2);
            }
        }

        /** Takes the events held, waits until everything taken is durable; true if anything showed we are behind. */
        boolean behind() {
            takeEnvelopes();
            if (!events.isEmpty()) {
                behind |= party.takeEvents(peer, List.copyOf(events));
                events.clear();
                close();
            }
            settle(0);
            return behind;
        }

        /** Takes the envelopes still held (a stream that broke off keeps what came before), gives back the events'. */
        @Override
        public void close() {
            takeEnvelopes();
            memory.release(eventBytes);
            eventBytes = 0;
        }

        /** Waits until no more than {@code left} frames taken are not yet durable. */
        private void settle(int left) {
            while (pending.size() > left) {
                try {
                    behind |= pending.removeFirst().join();
                } catch (RuntimeException e) {
                    log.info("a room frame from {} was not kept: {}", peer, e.getMessage());
                }
            }
        }
    }

    /**
     * Runs syncs with one peer one after another, coalescing the requests that arrive meanwhile; it leaves
     * {@link #syncs} when it has run them all.
     */
    private final class SyncRuns {
        private final PeerId peer;
        // Locking: syncsLock
        private boolean running;
        // Locking: syncsLock
        private boolean requested;

        SyncRuns(PeerId peer) {
            this.peer = peer;
        }

        /** Notes a request; whether a thread is to start running it. The caller holds {@link #syncsLock}. */
        boolean request() {
            requested = true;
            if (running) {
                return false;
            }
            running = true;
            return true;
        }

        private void run() {
            while (takeRequest()) {
                try {
                    for (int round = 0; round < MAX_ROUNDS && !threads.isClosing() && syncOnce(peer); round++) {
                        log.debug("another sync round with {}", peer);
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("sync with {} failed: {}", peer, e.toString());
                }
            }
        }

        private boolean takeRequest() {
            syncsLock.lock();
            try {
                if (!requested || threads.isClosing()) {
                    running = false;
                    syncs.remove(peer, this);
                    return false;
                }
                requested = false;
                return true;
            } finally {
                syncsLock.unlock();
            }
        }
    }

    /** Pushes to one member: whatever is queued goes out on one stream, then the next batch on the next. */
    private final class Pusher {
        private final PeerId member;
        private final ReentrantLock lock = new ReentrantLock();
        private final List<Push> queue = new ArrayList<>();
        private boolean running;
        private Instant noDialBefore = Instant.MIN;

        Pusher(PeerId member) {
            this.member = member;
        }

        void add(List<Push> envelopes) {
            lock.lock();
            try {
                int space = MAX_PUSH_QUEUE - queue.size();
                if (space < envelopes.size()) {
                    log.debug("push queue to {} is full; {} envelopes are left to sync", member,
                            envelopes.size() - Math.max(0, space));
                }
                queue.addAll(envelopes.subList(0, Math.max(0, Math.min(space, envelopes.size()))));
                if (running || queue.isEmpty()) {
                    return;
                }
                running = true;
            } finally {
                lock.unlock();
            }
            threads.start("room-push " + member, this::run);
        }

        private void run() {
            List<Push> batch;
            int failures = 0;
            while (!(batch = takeBatch()).isEmpty()) {
                try {
                    Optional<Connection> connection = reach();
                    if (connection.isEmpty()) {
                        log.debug("{} room envelopes not pushed to {}: not reachable now; to its mailbox, if any",
                                batch.size(), member);
                        List<byte[]> wanted = batch.stream().filter(push -> party.stillMember(push.room(), member))
                                .map(Push::envelope).toList();
                        if (!wanted.isEmpty()) {
                            mailboxes.leaveFor(member, wanted);
                        }
                        continue;
                    }
                    write(connection.get(), batch);
                    failures = 0;
                } catch (IOException | RuntimeException e) {
                    failures++;
                    log.debug("push of {} room envelopes to {} failed ({} of {} tries): {}", batch.size(), member,
                            failures, PUSH_TRIES, e.toString());
                    if (failures < PUSH_TRIES) {
                        putBack(batch);
                        pause(PUSH_RETRY_PAUSE.multipliedBy(failures));
                    } else {
                        failures = 0;
                    }
                }
            }
        }

        /** A batch to try again goes before what was queued since, and the queue keeps its bound. */
        private void putBack(List<Push> batch) {
            lock.lock();
            try {
                queue.addAll(0, batch);
                if (queue.size() > MAX_PUSH_QUEUE) {
                    queue.subList(MAX_PUSH_QUEUE, queue.size()).clear();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Waits before trying again; closing interrupts it, and the next batch is then none. */
        private void pause(Duration wait) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<Push> takeBatch() {
            lock.lock();
            try {
                List<Push> batch = List.copyOf(queue);
                queue.clear();
                if (batch.isEmpty() || threads.isClosing()) {
                    running = false;
                    return List.of();
                }
                return batch;
            } finally {
                lock.unlock();
            }
        }

        private Optional<Connection> reach() {
            Optional<Connection> open = node.host().connection(member);
            Instant now = clock.instant();
            if (open.isPresent() || waitingToRedial(noDialBefore, now)) {
                return open;
            }
            try {
                return Optional.of(node.connect(member));
            } catch (IOException e) {
                noDialBefore = now.plus(REDIAL_AFTER);
                log.debug("could not reach {} to push: {}", member, e.getMessage());
                return Optional.empty();
            }
        }

        private void write(Connection connection, List<Push> batch) throws IOException {
            List<Push> wanted = batch.stream().filter(push -> party.stillMember(push.room(), member)).toList();
            if (wanted.isEmpty()) {
                return;
            }
            Stream stream = connection.newStream(STREAM_TIMEOUT, SyncFrames.PROTOCOL_ID);
            withinDeadline(stream, () -> {
                OutputStream out = new BufferedOutputStream(stream.out(), BUFFER_BYTES);
                for (Push push : wanted) {
                    SyncFrames.write(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(push.envelope())).build(),
                            out);
                }
                out.flush();
                stream.closeWrite();
                // The member closes the stream once what it took is durable, and resets it on a broken frame.
                stream.in().readAllBytes();
                return null;
            });
            party.pushed(member, wanted);
        }
    }
}
