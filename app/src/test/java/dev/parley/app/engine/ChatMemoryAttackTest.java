package dev.parley.app.engine;

import static dev.parley.app.engine.RoomMemoryAttackTest.liveHeap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a peer's chat streams can make a node hold in its heap: no more than the memory budget lets one peer hold
 * (transport/README.md, "Memory and deadlines"; issue 18: the budget makes running out of memory unreachable from
 * the network). Real engines on loopback; the node's live heap is read after a full collection, before the attack
 * and while the attacker holds its streams open.
 */
class ChatMemoryAttackTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    /** A text as long as a chat frame lets an envelope be. */
    private static final int BODY_CHARS = 240_000;
    private static final int STREAMS = 3;
    /** A rate that lets Alice's "hello" through and then, for the length of the test, nothing. */
    private static final InboundRate STALLED = new InboundRate(1e-3, 2, 1, 1_000);

    /**
     * A contact sends beyond its {@link InboundRate} (8 MiB at once, then 256 KiB a second) on a few chat streams at
     * once. Flow control is to hold it back, but Bob's reader goes on {@link ChatReader#OPENING_AHEAD} envelopes
     * ahead of the committer that waits, opened and held in no budget: 256 of 240 KB, 60 MiB a stream, and a
     * connection may carry 64 such streams. One envelope sealed once and sent over and over does it: the store would
     * drop the copies, but only once their turn comes. A stranger gets the same for 10 s a stream, while Bob waits
     * for its card (ProfileProtocol.TIMEOUT): three such streams from a stranger held 131 MB of Bob's heap, and a
     * contact's 208 MB. Now a reader stops {@link ChatReader#OPENING_AHEAD_BYTES} ahead, in the stream's budget.
     */
    @Test
    void aContactSendingBeyondItsRateGetsNoMoreOfItsMessagesHeldThanItsShareOfTheBudget() throws Exception {
        TestEngine alice = start("Alice");
        // Bob stores Alice's "hello", and then nothing more while the test runs: his committer waits on the rate.
        TestEngine bob = start("Bob", config -> config.withInboundRate(STALLED));
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "hello");
        alice.awaitOutboxEmptyFor(bob.peerId());
        stop(alice);
        RecordingPeer hostileAlice = recorder(alice.identity, bob);
        byte[] envelope = SEALER.sealDirect(alice.identity, bob.engine.card(),
                HeaderFields.of(ConversationId.direct(alice.peerId(), bob.peerId()), System.currentTimeMillis() << 16,
                        EnvelopeKind.TEXT),
                Text.newBuilder().setBody("x".repeat(BODY_CHARS)).build().toByteArray()).encode();
        long peerLimit = bob.engine.host().memory().limits().peerBytes();
        long before = liveHeap();

        // The one Bob's committer waits on, as many as he read ahead, the one his reader waits to queue, and one more
        // that waits in his window; on all streams at once.
        int perStream = ChatReader.OPENING_AHEAD + 3;
        List<Stream> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            streams.add(hostileAlice.host().newStream(bob.peerId(), ChatFrames.PROTOCOL_ID));
        }
        // Bob's readers stop either 256 envelopes ahead, as before, where the writers have written all, or, with
        // OPENING_AHEAD_BYTES held ahead in their budget, once each holds that much: the writers then block, until
        // resetting the streams below ends them. Reading as fast as the frames come, his windows hold next to nothing.
        ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> writing = new ArrayList<>();
        for (Stream stream : streams) {
            writing.add(writers.submit(() -> {
                for (int i = 0; i < perStream; i++) {
                    ChatFrames.write(ChatFrames.envelope(envelope), stream.out());
                }
                stream.out().flush();
                return null;
            }));
        }
        long heldAhead = ChatReader.OPENING_AHEAD_BYTES / (2L * envelope.length) * 2L * envelope.length;
        HostHoldings.await(bob.engine.host(),
                now -> writing.stream().allMatch(Future::isDone) || now.reservedBytes() >= STREAMS * heldAhead,
                now -> "Bob's readers to stop: he holds " + now);
        long held = liveHeap() - before;

        assertThat(held).as("bytes of Bob's live heap held while a contact beyond its rate has %d chat streams of %d "
                        + "envelopes of %d bytes open; one peer's memory budget is %d", STREAMS, perStream,
                        envelope.length, peerLimit)
                .isLessThanOrEqualTo(peerLimit);
        streams.forEach(Stream::reset);
        writers.shutdown();
        assertThat(writers.awaitTermination(EventLog.WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the writers end once their streams are reset").isTrue();
    }
}
