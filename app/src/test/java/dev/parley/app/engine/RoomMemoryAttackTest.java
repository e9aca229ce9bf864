package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.SyncFrames;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a peer's sync streams can make a node hold in its heap: no more than the memory budget lets one peer hold
 * (transport/README.md, "Memory and deadlines"; issue 18: the budget makes running out of memory unreachable from
 * the network). Real engines on loopback; the node's live heap is read after a full collection, before the attack
 * and while the attacker holds its streams open.
 */
class RoomMemoryAttackTest extends RoomEnginesTest {
    /** A membership event frame as large as a sync frame may be. */
    private static final int EVENT_BYTES = 256 * 1024;
    /** Frames a stream may carry (RoomSync.MAX_EVENT_FRAMES is 3,088): 160 MiB a stream, well within it. */
    private static final int FRAMES_PER_STREAM = 640;
    private static final int STREAMS = 2;

    /**
     * A stranger opens sync streams and sends frames of membership events, junk for a room the node holds, and never
     * ends the streams. The node keeps the frames it parsed until a stream ends, as they are taken together: it did
     * so in no budget, so that one connection could carry 64 such streams of 3,088 frames each (49 GiB). Now they
     * are held in the stream's budget, and a stream whose events outgrow it is reset.
     */
    @Test
    void aStrangersEventFramesThatNeverEndAreHeldNoFurtherThanItsShareOfTheBudget() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        alice.engine.rooms().say(room, "before");
        awaitTexts(bob, room, 1);
        RecordingPeer mallory = recorder(Identity.generate(), bob);
        long peerLimit = bob.engine.host().memory().limits().peerBytes();
        SyncFrame junk = SyncFrame.newBuilder().setEvents(RoomEvents.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addEvents(ByteString.copyFrom(new byte[EVENT_BYTES])))
                .build();
        long before = liveHeap();

        List<Stream> streams = new ArrayList<>();
        int reset = 0;
        for (int s = 0; s < STREAMS; s++) {
            Stream stream = mallory.openSync(bob.peerId());
            streams.add(stream);
            try {
                for (int i = 0; i < FRAMES_PER_STREAM; i++) {
                    SyncFrames.write(junk, stream.out());
                }
                stream.out().flush();
            } catch (IOException e) {
                reset++;
            }
        }
        HostHoldings.await(bob.engine.host(), now -> now.reservedBytes() == 0,
                now -> "Bob to read every frame Mallory sent: he holds " + now);
        long held = liveHeap() - before;

        assertThat(held).as("bytes of Bob's live heap held while a stranger's %d sync streams of %d frames of %d "
                        + "bytes stay open (%d bytes sent); one peer's memory budget is %d", STREAMS,
                        FRAMES_PER_STREAM, EVENT_BYTES, (long) STREAMS * FRAMES_PER_STREAM * EVENT_BYTES, peerLimit)
                .isLessThanOrEqualTo(peerLimit);
        assertThat(reset).as("streams Bob reset once their events outgrew the stream's budget").isEqualTo(STREAMS);
        streams.forEach(Stream::reset);
        stop(mallory);
        alice.engine.rooms().say(room, "after");
        awaitTexts(bob, room, 2);
    }

    /**
     * A member asks for the whole log on many sync streams at once and reads none of the answers: each answer reads a
     * page of envelopes from the store (up to 1,000 of a sender) and holds it while its write waits for window, in no
     * budget; the pace does not stop it, since an answer is charged only for what it has sent.
     */
    @Test
    void syncsAMemberOpensAtOnceAndNeverReadsHoldNoMoreThanItsShareOfTheBudget() throws Exception {
        int messages = 200;
        int syncs = 32;
        String longText = "x".repeat(60_000);
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        for (int i = 0; i < messages; i++) {
            alice.engine.rooms().say(room, longText + i);
        }
        awaitTexts(bob, room, messages);
        alice.awaitOutboxEmptyFor(bob.peerId());
        stop(bob);
        RecordingPeer hostileBob = recorder(bob.identity, alice);
        long peerLimit = alice.engine.host().memory().limits().peerBytes();
        SyncFrame everything = SyncFrame.newBuilder().setDigest(Digest.newBuilder()
                .addRooms(RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes())))).build();
        long before = liveHeap();

        List<Stream> streams = new ArrayList<>();
        for (int s = 0; s < syncs; s++) {
            Stream stream = hostileBob.openSync(alice.peerId());
            streams.add(stream);
            SyncFrames.write(everything, stream.out());
            stream.out().flush();
            stream.closeWrite();
        }
        // Each answer has filled its stream's window (256 KiB) and waits: Bob's stand-in holds what it did not read.
        HostHoldings.await(hostileBob.host(), now -> now.reservedBytes() >= syncs * 200L * 1024,
                now -> "Alice's answers to fill the windows of " + syncs + " syncs: Bob's stand-in holds " + now);
        long held = liveHeap() - before;

        assertThat(held).as("bytes of Alice's live heap held while a member's %d syncs asking for a room of %d "
                        + "messages of %d characters go unread; one peer's memory budget is %d", syncs, messages,
                        longText.length(), peerLimit)
                .isLessThanOrEqualTo(peerLimit);
        streams.forEach(Stream::reset);
    }

    /**
     * Strangers who know a room's id (anyone it was ever shown to) push one room envelope each, signed with their own
     * key at an epoch beyond the log: Bob syncs with each, since it shows he lacks something, and keeps the runner of
     * its syncs (RoomSync.syncs, per PeerId) for as long as he runs, though it is no member and has gone. PeerIds cost
     * nothing, so a stranger grows it without bound; nothing kept for a peer may outlive it (transport/README.md,
     * "Per-peer state"; issue 18). Read by reflection: nothing else shows it until the heap runs out.
     */
    @Test
    void strangersWhoPushAnEnvelopeFromBeyondTheLogLeaveNoSyncStateOnceGone() throws Exception {
        int strangers = 10;
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        long epoch = bob.engine.rooms().get(room).orElseThrow().epoch();

        List<PeerId> gone = new ArrayList<>();
        for (int i = 0; i < strangers; i++) {
            Identity stranger = Identity.generate();
            RecordingPeer node = recorder(stranger, bob);
            node.push(bob.peerId(), List.of(RoomSecurityTest.post(stranger,
                    SenderKey.generate(room, stranger.peerId(), epoch + 1), 1, "from beyond the log")));
            stop(node);
            gone.add(stranger.peerId());
        }

        await(() -> syncRunners(bob).keySet().stream().noneMatch(gone::contains),
                () -> "Bob to forget the " + strangers + " strangers who have gone: he keeps sync state for "
                        + syncRunners(bob).keySet().stream().filter(gone::contains).count() + " of them");
        alice.engine.rooms().say(room, "the room goes on");
        awaitTexts(bob, room, 1);
    }

    /** The runners of {@code member}'s syncs, one per peer it has synced with: RoomSync's own map. */
    private static Map<?, ?> syncRunners(TestEngine member) {
        try {
            return (Map<?, ?>) field(field(field(member.engine, "rooms"), "sync"), "syncs");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("RoomSync keeps its per-peer runners elsewhere now; follow it here", e);
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** The JVM's live heap: what a full collection leaves. */
    static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
