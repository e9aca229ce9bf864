package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.SyncPace;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.SteppingClock;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.RoomId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A review of keys handed out again (RoomSyncParty.answerKeys, KeysHandedAgain) from the honest member's side: the
 * limit of one hand-out in ten minutes a key and member must count hand-outs that were made, not ones that were not.
 */
class RoomKeysHandedAgainReviewTest extends RoomEnginesTest {
    /** A burst of some 100 room envelopes, and a rate so slow the test's real time adds next to nothing. */
    private static final SyncPace SLOW = new SyncPace(16, 32 * 1024);
    private static final Duration REFILL = Duration.ofHours(1);
    /** More of Alice's messages than one burst answers. */
    private static final int MESSAGES = 200;

    /**
     * Bob lost his store and catches up: his first sync asks for all of Alice's messages and for her key. The
     * envelopes spend Alice's pace for him, so the answer is cut before the key; but the key was counted as handed
     * out again before the pace was asked, so it is not queued and, for ten minutes, no later sync gets it either:
     * after the bucket refilled, Bob asks for the key alone, and nothing comes.
     */
    @Test
    void aKeyCutFromAnAnswerByThePaceIsHandedOutOnTheNextSync() throws Exception {
        SteppingClock alicesTime = new SteppingClock();
        TestEngine alice = start("Alice", config -> config.withSyncPace(SLOW)
                .withClocks(new Clocks(InstantSource.system(), alicesTime)));
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        for (int i = 0; i < MESSAGES; i++) {
            alice.engine.rooms().say(room, "message " + i);
        }
        awaitTexts(bob, room, MESSAGES);
        alice.awaitOutboxEmptyFor(bob.peerId());
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        byte[] head = alice.engine.store().rooms().log(room.toString()).getLast().hash();
        long alicesLast = alice.engine.store().roomEnvelopes().highest(room.toString(), alice.peerId().toBase58());
        stop(bob);
        RecordingPeer bobCatchingUp = recorder(bob.identity, alice);
        WantedKey alicesKey = WantedKey.newBuilder().setOwner(ByteString.copyFrom(alice.peerId().bytes()))
                .setEpoch(epoch).build();

        Digest everythingAndTheKey = Digest.newBuilder().addRooms(RoomDigest.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addWantedKeys(alicesKey)).build();
        bobCatchingUp.sync(alice.peerId(), everythingAndTheKey);
        alice.awaitOutboxEmptyFor(bob.peerId());
        assertThat(keysHandedTo(bobCatchingUp)).as("the first answer was cut before the key").isEmpty();

        alicesTime.step(REFILL);
        Digest onlyTheKey = Digest.newBuilder().addRooms(RoomDigest.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addHeads(ByteString.copyFrom(head))
                .addSenders(SenderPosition.newBuilder().setSender(ByteString.copyFrom(alice.peerId().bytes()))
                        .setContiguous(alicesLast))
                .addWantedKeys(alicesKey)).build();
        bobCatchingUp.sync(alice.peerId(), onlyTheKey);

        await(() -> !keysHandedTo(bobCatchingUp).isEmpty(),
                () -> "Alice's key has not come 1:1 after the pace refilled and Bob asked again");
    }

    private static List<Envelope> keysHandedTo(RecordingPeer peer) {
        return peer.received().stream().filter(envelope -> envelope.header().kind() == EnvelopeKind.SENDER_KEY)
                .toList();
    }
}
