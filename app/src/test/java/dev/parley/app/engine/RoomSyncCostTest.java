package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.RoomId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a member can make another do with syncs, tried with Bob's own key from a node that sends whatever digest it
 * likes: an answer costs what the asker lacks, once, and the answerer goes on serving the room.
 */
class RoomSyncCostTest extends RoomEnginesTest {
    /** How often the hostile digest names the room and a key: 64 KB, well within a frame (20 bytes a name, 44 a key). */
    private static final int REPEATS = 1_000;

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
        int heardBefore = hostileBob.received().size();
        hostileBob.sync(alice.peerId(), overAndOver.build());

        List<Envelope> answered = hostileBob.received().subList(heardBefore, hostileBob.received().size());
        assertThat(hostileBob.receivedEvents()).as("membership events answered").hasSize(events);
        assertThat(answered).filteredOn(envelope -> envelope.header().kind() == EnvelopeKind.SENDER_KEY)
                .as("sender keys sealed afresh").hasSize(1);
        assertThat(answered).filteredOn(envelope -> envelope.header().kind() == EnvelopeKind.TEXT)
                .as("room envelopes").hasSize(1);

        stop(hostileBob);
        alicesBaseline.awaitBackTo(alice.engine.host(), "Bob's stand-in closed");
        TestEngine bobAgain = restart(bob);
        alice.engine.rooms().say(room, "two");
        awaitTexts(bobAgain, room, 2);
    }
}
