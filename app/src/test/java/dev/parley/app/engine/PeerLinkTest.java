package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.PeerLink.Queued;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.time.MonotonicClock;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alice's link to Bob, driven without sockets: a fake connector and fake chat streams stand for the node, a clock
 * that moves only when the test moves it for time, and Alice's real store (a SQLite file) holds the outbox. The
 * acks a stream's reader would hand over are handed to the link directly, as the engine does.
 */
class PeerLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final Identity alice = Identity.generate();
    private final Identity bob = Identity.generate();
    private final ContactCard bobsCard = ContactCard.create(bob, "Bob");
    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final HybridClock hlc = new HybridClock(InstantSource.system());
    private final FakeClock clock = new FakeClock();
    private final FakeConnector connector = new FakeConnector();
    private final EventLog events = new EventLog();
    private SqliteStore store;
    private ContactBook contacts;
    private EventDispatcher dispatcher;
    private PeerLink link;
    private long idMillis = System.currentTimeMillis();

    @BeforeEach
    void openAlicesStore() {
        store = SqliteStore.open(temp.resolve("alice.db"));
        contacts = ContactBook.load(store, alice.peerId(), InstantSource.system());
        contacts.put(bobsCard, ContactState.ACCEPTED);
        dispatcher = new EventDispatcher();
        dispatcher.subscribe(events);
    }

    @AfterEach
    void closeAll() {
        if (link != null) {
            link.close();
        }
        dispatcher.close();
        store.close();
    }

    @Test
    void backOffStartsAtHalfASecondAndDoublesUpToThirtySeconds() {
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(PeerLink::backOff)).containsExactly(
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertThat(PeerLink.backOff(Integer.MAX_VALUE)).isEqualTo(PeerLink.MAX_RETRY);
        assertThatThrownBy(() -> PeerLink.backOff(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachablePeerIsDialledAgainOnlyOnceItsBackOffHasPassed() throws Exception {
        MessageId hello = send("hello").id();
        start();
        assertThat(clock.nextWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(connector.dials()).isEqualTo(1);

        clock.advance(Duration.ofMillis(499));
        wake();
        assertThat(clock.nextWait()).as("1 ms before the dial is due").isEqualTo(Duration.ofMillis(1));
        assertThat(connector.dials()).isEqualTo(1);

        Duration due = Duration.ofMillis(1);
        for (Duration next : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            int dialled = connector.dials();
            clock.advance(due);
            wake();
            assertThat(clock.nextWait()).isEqualTo(next);
            assertThat(connector.dials()).isEqualTo(dialled + 1);
            due = next;
        }

        connector.reachable = true;
        clock.advance(due);
        wake();
        assertThat(connector.nextStream().awaitWritten(1)).containsExactly(hello);
        assertThat(connector.dials()).isEqualTo(9);
    }

    @Test
    void aConnectionThePeerOpensEndsTheBackOff() throws Exception {
        MessageId hello = send("hello").id();
        start();
        assertThat(clock.nextWait()).isEqualTo(Duration.ofMillis(500));

        connector.connected = true;
        link.connectionOpened();
        assertThat(connector.nextStream().awaitWritten(1)).containsExactly(hello);
        assertThat(connector.dials()).isEqualTo(1);
    }

    @Test
    void anUnexpectedFailurePausesTheLinkForItsBackOffInsteadOfEndingIt() throws Exception {
        MessageId hello = send("hello").id();
        start();
        assertThat(clock.nextWait()).isEqualTo(Duration.ofMillis(500));

        connector.connected = true;
        connector.failNextLookup = new IllegalStateException("a bug on the way to Bob (a test's fake)");
        clock.advance(Duration.ofMillis(500));
        wake();
        assertThat(clock.nextWait()).as("the worker still waits, backing off").isEqualTo(Duration.ofSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        wake();
        assertThat(connector.nextStream().awaitWritten(1)).containsExactly(hello);
    }

    @Test
    void aFlushWritesTheOutboxInOrderAndSkipsWhatIsInFlight() throws Exception {
        connector.connected = true;
        connector.holdWrites = true;
        MessageId first = send("first").id();
        MessageId second = send("second").id();
        start();
        FakeStream stream = connector.nextStream();
        stream.awaitWriteStarted();

        Queued third = send("third");
        link.queued(third);
        stream.releaseWrites();

        assertThat(stream.awaitWritten(3)).containsExactly(first, second, third.id());
        assertThat(clock.nextWait()).as("live, with nothing to write").isEqualTo(PeerLink.MAX_RETRY);
        assertThat(stream.writes()).containsExactly(List.of(first, second), List.of(third.id()));
    }

    @Test
    void aShortPageMakesTheLinkLiveAndWhatIsQueuedThenIsWrittenFromMemory() throws Exception {
        connector.connected = true;
        MessageId stored = send("stored").id();
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(1)).containsExactly(stored);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);

        Queued notInTheOutbox = seal("handed over only");
        link.queued(notInTheOutbox);
        assertThat(stream.awaitWritten(2)).containsExactly(stored, notInTheOutbox.id());
    }

    @Test
    void whatIsHandedOverLiveGoesInTheOrderHandedEachOnceDurableAndOneNeverStoredNot() throws Exception {
        connector.connected = true;
        MessageId stored = send("stored").id();
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(1)).containsExactly(stored);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);

        // Handed over as they are sealed, before their commits: a session's receiver opens them in the order they come.
        Queued first = seal("first");
        Queued second = seal("second");
        Queued neverStored = seal("never stored");
        Queued third = seal("third");
        CompletableFuture<Boolean> firstDurable = new CompletableFuture<>();
        CompletableFuture<Boolean> secondDurable = new CompletableFuture<>();
        CompletableFuture<Boolean> neverStoredDurable = new CompletableFuture<>();
        CompletableFuture<Boolean> thirdDurable = new CompletableFuture<>();
        link.queued(first, firstDurable);
        link.queued(second, secondDurable);
        link.queued(neverStored, neverStoredDurable);
        link.queued(third, thirdDurable);

        secondDurable.complete(true);
        assertThat(clock.nextWait()).as("the link looked, and waits again").isEqualTo(PeerLink.MAX_RETRY);
        thirdDurable.complete(true);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);
        neverStoredDurable.completeExceptionally(new IllegalStateException("the disk is full"));
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);
        assertThat(stream.writes()).as("nothing goes before the first handed over is durable")
                .containsExactly(List.of(stored));

        firstDurable.complete(true);
        assertThat(stream.awaitWritten(4)).containsExactly(stored, first.id(), second.id(), third.id());
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);
        assertThat(stream.writes()).as("the one never stored is not written").hasSize(2);
    }

    @Test
    void anEnvelopeSealedAnewIsWrittenAgainWhileItsIdIsInFlightAndTheSameBytesAreNot() throws Exception {
        connector.connected = true;
        Queued first = send("sealed under a session the peer no longer holds");
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(1)).containsExactly(first.id());
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);

        link.queued(first);
        link.queued(seal(first.id(), "the same message, sealed anew"));

        assertThat(stream.awaitWritten(2)).containsExactly(first.id(), first.id());
        assertThat(clock.nextWait()).as("nothing more to write").isEqualTo(PeerLink.MAX_RETRY);
        assertThat(stream.writes().stream().mapToInt(List::size).sum()).isEqualTo(2);
    }

    @Test
    void aFullPageKeepsTheLinkFlushingUntilThePeerAcksIt() throws Exception {
        connector.connected = true;
        List<MessageId> page = queueAll(PeerLink.FLUSH_PAGE);
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(PeerLink.FLUSH_PAGE)).hasSize(PeerLink.FLUSH_PAGE);
        assertThat(clock.nextWait()).as("read the page again, all in flight").isEqualTo(PeerLink.MAX_RETRY);

        Queued whileFlushing = seal("queued while flushing, never stored");
        link.queued(whileFlushing);
        assertThat(clock.nextWait()).as("read the page again, all in flight").isEqualTo(PeerLink.MAX_RETRY);
        link.acked(page);
        awaitIdle();
        Queued whileLive = seal("queued while live, never stored");
        link.queued(whileLive);

        List<MessageId> written = stream.awaitWritten(PeerLink.FLUSH_PAGE + 1);
        assertThat(written).hasSize(PeerLink.FLUSH_PAGE + 1).doesNotContain(whileFlushing.id());
        assertThat(written.getLast()).isEqualTo(whileLive.id());
    }

    @Test
    void aFlushWaitingOnAFullPageReadsItAgainOnceAcksMadeRoomForAGoodPartOfIt() throws Exception {
        connector.connected = true;
        List<MessageId> page = queueAll(PeerLink.FLUSH_PAGE);
        queueAll(1);
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(PeerLink.FLUSH_PAGE)).hasSize(PeerLink.FLUSH_PAGE);
        assertThat(clock.nextWait()).as("read the page again, all in flight").isEqualTo(PeerLink.MAX_RETRY);

        // One ack to a frame, as a peer that commits one message at a time sends them.
        for (MessageId acked : page.subList(0, PeerLink.ACKS_TO_READ_AGAIN - 1)) {
            link.acked(List.of(acked));
        }
        assertThat(clock.waits.poll()).as("not woken to read the page again for a few acks").isNull();
        link.acked(List.of(page.get(PeerLink.ACKS_TO_READ_AGAIN - 1)));

        assertThat(stream.awaitWritten(PeerLink.FLUSH_PAGE + 1)).as("the entry beyond the page, once").hasSize(
                PeerLink.FLUSH_PAGE + 1);
    }

    @Test
    void aStreamThatEndsBeforeAnyAckIsOpenedAgainAfterTheBackOff() throws Exception {
        connector.connected = true;
        MessageId refused = send("refused").id();
        start();
        FakeStream first = connector.nextStream();
        assertThat(first.awaitWritten(1)).containsExactly(refused);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);

        first.end();
        assertThat(clock.nextWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(connector.streamsOpened()).isEqualTo(1);

        clock.advance(Duration.ofMillis(500));
        wake();
        assertThat(connector.nextStream().awaitWritten(1)).containsExactly(refused);
    }

    @Test
    void aStreamThatEndsAfterAnAckIsFollowedAtOnceByADialAndTheRest() throws Exception {
        connector.connected = true;
        MessageId acked = send("acked").id();
        MessageId unacked = send("not acked").id();
        start();
        FakeStream first = connector.nextStream();
        assertThat(first.awaitWritten(2)).containsExactly(acked, unacked);
        link.acked(List.of(acked));

        connector.connected = false;
        connector.reachable = true;
        first.end();
        assertThat(connector.nextStream().awaitWritten(1)).containsExactly(unacked);
        assertThat(connector.dials()).isEqualTo(1);
    }

    @Test
    void acksRemoveTheEntriesAndReportDeliveredOnce() throws Exception {
        connector.connected = true;
        MessageId first = send("first").id();
        MessageId second = send("second").id();
        start();
        assertThat(connector.nextStream().awaitWritten(2)).containsExactly(first, second);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);

        link.acked(List.of(first));
        link.acked(List.of(first, MessageId.random()));
        assertThat(link.idle()).as("second is in flight").isFalse();
        link.acked(List.of(second));

        assertThat(events.await(EngineEvent.Delivered.class, 2)).extracting(EngineEvent.Delivered::id)
                .containsExactly(first, second);
        assertThat(store.outbox().pending(bob.peerId().toBase58(), 10)).isEmpty();
        assertThat(link.idle()).isTrue();
    }

    @Test
    void closeStopsTheWorkerAndTheStreamReader() throws Exception {
        connector.connected = true;
        MessageId hello = send("hello").id();
        start();
        FakeStream stream = connector.nextStream();
        assertThat(stream.awaitWritten(1)).containsExactly(hello);
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);
        Thread worker = clock.waiter;
        Thread reader = stream.reader();

        link.close();
        assertThat(worker.isAlive()).isFalse();
        assertThat(stream.wasReset()).isTrue();
        assertThat(reader.join(WAIT)).as("the stream's reader ended").isTrue();
    }

    /**
     * Starts the link as the engine does for a peer the outbox holds envelopes for, once its worker has found nothing
     * to do without being told.
     */
    private void start() throws InterruptedException {
        link = new PeerLink(bob.peerId(), connector, store, dispatcher, new Clocks(InstantSource.system(), clock),
                (name, task) -> Thread.ofVirtual().name(name).start(task));
        assertThat(clock.nextWait()).isEqualTo(PeerLink.MAX_RETRY);
        link.backlog();
    }

    /**
     * Waits until the link has nothing waiting and nothing in flight: once a flush has caught up (live), its
     * worker then waits for a change.
     */
    private void awaitIdle() throws InterruptedException {
        while (!link.idle()) {
            clock.nextWait();
        }
    }

    /**
     * Wakes the worker to look at the clock again, as the end of its timed wait would: the fake clock's time passes
     * only when the test moves it. The outbox does hold something when a test calls this.
     */
    private void wake() {
        link.backlog();
    }

    /** A message of ours to Bob, stored SENDING with its envelope in the outbox, as the engine's send leaves it. */
    private Queued send(String text) {
        Queued queued = seal(text);
        store.messages().insertAndQueueAsync(message(queued.id(), text), List.of(bob.peerId().toBase58()),
                queued.envelope()).join();
        return queued;
    }

    /**
     * {@code count} envelopes queued for Bob, as receipts would be: no stored message behind them. They share one
     * sealed envelope (the link writes an entry's bytes as they are and knows it by the outbox's id), which keeps a
     * full page quick to make.
     */
    private List<MessageId> queueAll(int count) {
        byte[] envelope = seal("one of many").envelope();
        List<MessageId> ids = IntStream.range(0, count).mapToObj(i -> MessageId.random()).toList();
        List<CompletableFuture<?>> stored = new ArrayList<>();
        for (MessageId id : ids) {
            stored.add(store.outbox().addAsync(id.toString(), bob.peerId().toBase58(), envelope, Instant.now()));
        }
        stored.forEach(CompletableFuture::join);
        return ids;
    }

    private StoredMessage message(MessageId id, String text) {
        Instant now = Instant.now();
        return new StoredMessage(id.toString(), contacts.conversationId(bob.peerId()), alice.peerId().toBase58(),
                hlc.now(), now, now, Direction.OUTGOING, MessageKind.TEXT, text, MessageState.SENDING);
    }

    /** An envelope to Bob. Each id is older than the last, so that the order of queueing is not that of the ids. */
    private Queued seal(String text) {
        return seal(MessageId.timeOrdered(idMillis--), text);
    }

    private Queued seal(MessageId id, String text) {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(alice.peerId(), bob.peerId()), hlc.now(),
                EnvelopeKind.TEXT);
        try {
            byte[] envelope = sealer.sealDirect(alice, bobsCard, fields,
                    Text.newBuilder().setBody(text).build().toByteArray()).encode();
            return new Queued(id, EnvelopeKind.TEXT, envelope);
        } catch (EnvelopeException e) {
            throw new AssertionError(e);
        }
    }

    /** Time that passes only when the test moves it. Records each wait the link asks for, and who waits. */
    private static final class FakeClock implements MonotonicClock {
        private final AtomicLong now = new AtomicLong(Duration.ofDays(1).toNanos());
        private final BlockingQueue<Duration> waits = new LinkedBlockingQueue<>();
        private volatile Thread waiter;

        @Override
        public long nanoTime() {
            return now.get();
        }

        /** Waits for a signal only: no time passes here unless the test moves the clock and wakes the link. */
        @Override
        public long awaitNanos(Condition condition, long nanos) throws InterruptedException {
            long deadline = now.get() + nanos;
            waiter = Thread.currentThread();
            waits.add(Duration.ofNanos(nanos));
            condition.await();
            return deadline - now.get();
        }

        void advance(Duration duration) {
            now.addAndGet(duration.toNanos());
        }

        /** The next wait the link asked for. */
        Duration nextWait() throws InterruptedException {
            Duration wait = waits.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            assertThat(wait).as("a wait of the link within " + WAIT).isNotNull();
            return wait;
        }
    }

    /** Bob's side of the node: connected or not, reachable by a dial or not, and the chat streams opened to him. */
    private static final class FakeConnector implements PeerLink.Connector {
        volatile boolean connected;
        volatile boolean reachable;
        /** Streams opened from now on hold their writes until released. */
        volatile boolean holdWrites;
        /** Thrown once by the next look-up of the connection, as a bug on the way would be. */
        volatile RuntimeException failNextLookup;
        private final AtomicInteger dials = new AtomicInteger();
        private final AtomicInteger streamsOpened = new AtomicInteger();
        private final BlockingQueue<FakeStream> opened = new LinkedBlockingQueue<>();

        @Override
        public Optional<PeerLink.Route> connection() {
            RuntimeException failure = failNextLookup;
            if (failure != null) {
                failNextLookup = null;
                throw failure;
            }
            return connected ? Optional.of(this::open) : Optional.empty();
        }

        @Override
        public PeerLink.Route dial() throws IOException {
            dials.incrementAndGet();
            if (!reachable) {
                throw new IOException("Bob cannot be reached (a test's fake)");
            }
            connected = true;
            return this::open;
        }

        private FakeStream open() {
            FakeStream stream = new FakeStream(holdWrites);
            streamsOpened.incrementAndGet();
            opened.add(stream);
            return stream;
        }

        int dials() {
            return dials.get();
        }

        int streamsOpened() {
            return streamsOpened.get();
        }

        FakeStream nextStream() throws InterruptedException {
            FakeStream stream = opened.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            assertThat(stream).as("a chat stream opened within " + WAIT).isNotNull();
            return stream;
        }
    }

    /** A chat stream to Bob: records what is written, and serves until Bob ends it or the link resets it. */
    private static final class FakeStream implements PeerLink.OutboundStream {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        // Guarded by lock:
        private final List<List<MessageId>> writes = new ArrayList<>();
        private boolean held;
        private boolean writeStarted;
        private boolean ended;
        private boolean reset;
        private Thread reader;

        FakeStream(boolean held) {
            this.held = held;
        }

        @Override
        public void write(List<ChatFrame> frames) throws IOException {
            List<MessageId> ids = frames.stream().map(FakeStream::idOf).toList();
            change(() -> writeStarted = true);
            boolean written = once(() -> !held || ended, () -> !ended && writes.add(ids));
            if (!written) {
                throw new IOException("the stream ended");
            }
        }

        @Override
        public void serve() throws IOException {
            change(() -> reader = Thread.currentThread());
            if (once(() -> ended, () -> reset)) {
                throw new IOException("the stream was reset");
            }
        }

        @Override
        public void reset() {
            change(() -> {
                ended = true;
                reset = true;
            });
        }

        /** Bob closes the stream: its reader ends without an error. */
        void end() {
            change(() -> ended = true);
        }

        void releaseWrites() {
            change(() -> held = false);
        }

        void awaitWriteStarted() throws InterruptedException {
            awaitThen(() -> writeStarted, "a write", () -> true);
        }

        /** Waits until {@code count} envelopes were written; returns the ids of all written, in order. */
        List<MessageId> awaitWritten(int count) throws InterruptedException {
            return awaitThen(() -> written().size() >= count, count + " envelopes written", this::written);
        }

        Thread reader() throws InterruptedException {
            return awaitThen(() -> reader != null, "the stream's reader", () -> reader);
        }

        /** The ids each write carried. */
        List<List<MessageId>> writes() throws InterruptedException {
            return awaitThen(() -> true, "", () -> List.copyOf(writes));
        }

        boolean wasReset() throws InterruptedException {
            return awaitThen(() -> true, "", () -> reset);
        }

        private List<MessageId> written() {
            return writes.stream().flatMap(List::stream).toList();
        }

        private void change(Runnable change) {
            lock.lock();
            try {
                change.run();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The link's side: waits as long as it takes until {@code ready}, then takes a step and tells the others. */
        private boolean once(BooleanSupplier ready, BooleanSupplier step) throws InterruptedIOException {
            lock.lock();
            try {
                while (!ready.getAsBoolean()) {
                    changed.await();
                }
                boolean result = step.getAsBoolean();
                changed.signalAll();
                return result;
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted on " + this);
            } finally {
                lock.unlock();
            }
        }

        /** The test's side: waits at most {@link #WAIT} until {@code done}, then reads. */
        private <T> T awaitThen(BooleanSupplier done, String what, Supplier<T> read) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            lock.lock();
            try {
                while (!done.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("expected " + what + " within " + WAIT.toSeconds() + " s");
                    }
                    changed.awaitNanos(left);
                }
                return read.get();
            } finally {
                lock.unlock();
            }
        }

        private static MessageId idOf(ChatFrame frame) {
            try {
                return Envelope.decode(frame.getEnvelope().toByteArray()).header().messageId();
            } catch (EnvelopeException e) {
                throw new AssertionError(e);
            }
        }
    }
}
