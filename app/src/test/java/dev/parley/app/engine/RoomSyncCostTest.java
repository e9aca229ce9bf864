package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitEpoch;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.SyncPace;
import dev.parley.app.engine.session.StoredSessions;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.SteppingClock;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What a member can make another do with syncs, tried with Bob's own key from a node that sends whatever digest it
 * likes: an answer costs what the asker lacks, once, and the answerer goes on serving the room.
 */
class RoomSyncCostTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    /** How often the hostile digest names the room and a key: 64 KB, well within a frame (20 bytes a name, 44 a key). */
    private static final int REPEATS = 1_000;
    /** The room's messages, and how often a member asks for all of them in a row. */
    private static final int MESSAGES = 200;
    private static final int ASKS = 50;
    /**
     * Alice's pace in the pacing test: a burst of some 100 of the room's envelopes, and a rate so slow that the real
     * time the test takes adds next to nothing; the test moves her elapsed clock on by {@link #REFILL} to refill it.
     */
    private static final SyncPace SLOW = new SyncPace(16, 32 * 1024);
    private static final Duration REFILL = Duration.ofHours(1);
    /** Renames that make the log some 100 events long. */
    private static final int RENAMES = 100;
    /** How often a member asks for our key in a row: 500 sealed keys (170 KB) when each answer carried one. */
    private static final int KEY_ASKS = 500;

    /**
     * A member that asks for the whole log again and again gets it at the pace, not in full each time: 50 syncs in a
     * row for a room of 200 messages were answered with 10,000 envelopes before the pace. Nothing is refused for good
     * either: once the bucket refills, syncs that say what the member holds bring the rest.
     */
    @Test
    void aMemberAskingForEverythingAgainAndAgainIsAnsweredAtItsPace() throws Exception {
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
        stop(bob);
        RecordingPeer hostileBob = recorder(bob.identity, alice);
        Digest everything = Digest.newBuilder()
                .addRooms(RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))).build();

        int heardBefore = hostileBob.received().size();
        double seconds = syncRepeatedly(hostileBob, alice, everything, ASKS);

        List<byte[]> answered = roomEnvelopes(hostileBob.receivedBytes().subList(heardBefore,
                hostileBob.receivedBytes().size()));
        int largest = answered.stream().mapToInt(envelope -> envelope.length).max().orElse(0);
        assertThat(answered).as("the first sync is answered up to the burst").isNotEmpty();
        assertThat(answered.stream().mapToLong(envelope -> envelope.length).sum())
                .as("envelope bytes Alice read and sent for " + ASKS + " syncs asking for all " + MESSAGES
                        + " messages, in " + seconds + " s")
                .isLessThanOrEqualTo(paceAllows(seconds, largest));

        // Bob's stand-in says what it holds, as a member's digest does, and gets the rest as the bucket refills.
        Map<Long, byte[]> held = new TreeMap<>();
        answered.forEach(envelope -> held.put(RecordingPeer.decoded(envelope).header().sequence(), envelope));
        for (int refills = 0; held.size() < MESSAGES && refills < MESSAGES; refills++) {
            alicesTime.step(REFILL);
            int before = hostileBob.receivedBytes().size();
            hostileBob.sync(alice.peerId(), holding(room, alice, held));
            List<byte[]> more = roomEnvelopes(hostileBob.receivedBytes().subList(before,
                    hostileBob.receivedBytes().size()));
            assertThat(more).as("a sync after the bucket refilled brings more of the log").isNotEmpty();
            more.forEach(envelope -> held.put(RecordingPeer.decoded(envelope).header().sequence(), envelope));
        }
        assertThat(held.keySet()).as("Alice's room envelopes Bob's stand-in holds in the end: 1, 2, 3… with no gap")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, held.size()).boxed().toList());
        assertThat(held.values()).filteredOn(envelope -> RecordingPeer.decoded(envelope).header().kind()
                == EnvelopeKind.TEXT).as("Alice's messages among them").hasSize(MESSAGES);
    }

    /**
     * The membership events go at the pace too: a member that asks for the whole log again and again gets, beyond the
     * burst, no more than the rate. They are sent outside it: 50 syncs asking for a log of 100 renames got the whole
     * log 50 times.
     */
    @Test
    void aMemberAskingForTheLogAgainAndAgainGetsItsEventsAtItsPace() throws Exception {
        TestEngine alice = start("Alice", config -> config.withSyncPace(SLOW));
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        for (int i = 0; i < RENAMES; i++) {
            alice.engine.rooms().rename(room, "Climbing club " + i);
        }
        awaitEpoch(List.of(bob), room, alice.engine.rooms().get(room).orElseThrow().epoch());
        alice.awaitOutboxEmptyFor(bob.peerId());
        stop(bob);
        RecordingPeer hostileBob = recorder(bob.identity, alice);
        Digest everything = Digest.newBuilder()
                .addRooms(RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))).build();

        int heardBefore = hostileBob.receivedEvents().size();
        double seconds = syncRepeatedly(hostileBob, alice, everything, ASKS);

        List<byte[]> answered = hostileBob.receivedEvents().subList(heardBefore, hostileBob.receivedEvents().size());
        int largest = answered.stream().mapToInt(event -> event.length).max().orElse(0);
        assertThat(answered).as("the first sync is answered").isNotEmpty();
        assertThat(answered.stream().mapToLong(event -> event.length).sum())
                .as("bytes of membership events Alice sent for %d syncs asking for the whole log (%d events), "
                        + "in %.1f s", ASKS, alice.engine.store().rooms().log(room.toString()).size(), seconds)
                .isLessThanOrEqualTo(paceAllows(seconds, largest));
    }

    /**
     * Our sender key asked for in sync after sync: never in an answer (sealed to Bob's long-term key, a recording
     * of it would open the epoch once that key is stolen), but 1:1 under the session with him, and once however often
     * he asks: 500 syncs cost one seal.
     */
    @Test
    void aMemberAskingForOurKeyAgainAndAgainGetsItOnceUnderTheSession() throws Exception {
        TestEngine alice = start("Alice", config -> config.withSyncPace(SLOW));
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        alice.engine.rooms().say(room, "one");
        awaitTexts(bob, room, 1);
        alice.awaitOutboxEmptyFor(bob.peerId());
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        byte[] head = alice.engine.store().rooms().log(room.toString()).getLast().hash();
        long alicesLast = alice.engine.store().roomEnvelopes().highest(room.toString(), alice.peerId().toBase58());
        stop(bob);
        RecordingPeer hostileBob = recorder(bob.identity, alice);
        // Bob holds the log and Alice's messages; he asks only for her key, again and again.
        Digest onlyTheKey = Digest.newBuilder().addRooms(RoomDigest.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addHeads(ByteString.copyFrom(head))
                .addSenders(SenderPosition.newBuilder().setSender(ByteString.copyFrom(alice.peerId().bytes()))
                        .setContiguous(alicesLast))
                .addWantedKeys(WantedKey.newBuilder().setOwner(ByteString.copyFrom(alice.peerId().bytes()))
                        .setEpoch(epoch))).build();

        syncRepeatedly(hostileBob, alice, onlyTheKey, KEY_ASKS);

        assertThat(hostileBob.answeredInSyncs()).as("what %d sync answers carried", KEY_ASKS).isEmpty();
        await(() -> !keysHandedTo(hostileBob).isEmpty(), () -> "Alice's key has not come 1:1");
        List<Envelope> keys = keysHandedTo(hostileBob);
        assertThat(keys).as("keys Alice sealed for %d syncs asking for hers", KEY_ASKS).hasSize(1);
        assertThat(keys.getFirst().header().sealing()).isEqualTo(EnvelopeHeader.Sealing.SESSION);
        SenderKey handed = SEALER.openSenderKey(StoredSessions.of(bob.identity,
                bob.profile.resolve(EngineConfig.STORE_FILE)).open(keys.getFirst().encode()).orElseThrow());
        assertThat(handed.owner()).isEqualTo(alice.peerId());
        assertThat(handed.epoch()).isEqualTo(epoch);
    }

    /**
     * Bob lost his store and catches up: his first sync asks for all of Alice's messages and for her key. The
     * envelopes spend Alice's pace for him, so the answer is cut before the key. A review found the key counted as
     * handed out all the same, so that for ten minutes no later sync got it: after the bucket refilled, Bob asks for
     * the key alone, and it must come.
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

    /** Has {@code asker} sync with Alice {@code times} in a row with {@code digest}; returns the seconds it took. */
    private static double syncRepeatedly(RecordingPeer asker, TestEngine alice, Digest digest, int times)
            throws IOException {
        long began = System.nanoTime();
        for (int i = 0; i < times; i++) {
            asker.sync(alice.peerId(), digest);
        }
        return (System.nanoTime() - began) / 1e9;
    }

    /**
     * The bytes {@link #SLOW} lets Alice answer in {@code seconds} of real time (and a second to spare), plus the one
     * item an answer may send beyond its bucket.
     */
    private static long paceAllows(double seconds, int largest) {
        return (long) (SLOW.byteBurst() + SLOW.bytesPerSecond() * (seconds + 1)) + largest;
    }

    /** The room envelopes (numbered by their sender) among {@code envelopes}: not the sender keys sealed to Bob. */
    private static List<byte[]> roomEnvelopes(List<byte[]> envelopes) {
        return envelopes.stream().filter(envelope -> RecordingPeer.decoded(envelope).header().sequence() > 0)
                .toList();
    }

    /** A digest saying that Alice's envelopes up to the first gap in {@code held} are held. */
    private static Digest holding(RoomId room, TestEngine alice, Map<Long, byte[]> held) {
        long contiguous = 0;
        while (held.containsKey(contiguous + 1)) {
            contiguous++;
        }
        return Digest.newBuilder().addRooms(RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))
                .addSenders(SenderPosition.newBuilder().setSender(ByteString.copyFrom(alice.peerId().bytes()))
                        .setContiguous(contiguous))).build();
    }

    @Test
    void aDigestNamingTheRoomAndAKeyOverAndOverIsAnsweredAsIfItNamedThemOnce() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        alice.engine.rooms().say(room, "one");
        awaitTexts(bob, room, 1);
        alice.awaitOutboxEmptyFor(bob.peerId());
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        int events = alice.engine.store().rooms().log(room.toString()).size();
        stop(bob);
        HostHoldings alicesBaseline = HostHoldings.await(alice.engine.host(),
                now -> now.connections() == 0 && now.reservedBytes() == 0,
                now -> "Alice to let go of Bob's connections: she holds " + now);
        RecordingPeer hostileBob = recorder(bob.identity, alice);

        // The room with Alice's key of its epoch asked for over and over, then the room named over and over.
        WantedKey alicesKey = WantedKey.newBuilder().setOwner(ByteString.copyFrom(alice.peerId().bytes()))
                .setEpoch(epoch).build();
        RoomDigest.Builder keyOverAndOver = RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()));
        RoomDigest everything = RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes())).build();
        Digest.Builder overAndOver = Digest.newBuilder();
        for (int i = 0; i < REPEATS; i++) {
            keyOverAndOver.addWantedKeys(alicesKey);
        }
        overAndOver.addRooms(keyOverAndOver);
        for (int i = 0; i < REPEATS; i++) {
            overAndOver.addRooms(everything);
        }
        hostileBob.sync(alice.peerId(), overAndOver.build());

        List<Envelope> answered = hostileBob.answeredInSyncs();
        assertThat(hostileBob.receivedEvents()).as("membership events answered").hasSize(events);
        assertThat(answered).filteredOn(envelope -> envelope.header().kind() == EnvelopeKind.TEXT)
                .as("room envelopes").hasSize(1);
        await(() -> !keysHandedTo(hostileBob).isEmpty(), () -> "Alice's key has not come 1:1");
        assertThat(keysHandedTo(hostileBob)).as("sender keys sealed afresh").hasSize(1);

        stop(hostileBob);
        alicesBaseline.awaitBackTo(alice.engine.host(), "Bob's stand-in closed");
        TestEngine bobAgain = restart(bob);
        alice.engine.rooms().say(room, "two");
        awaitTexts(bobAgain, room, 2);
    }
}
