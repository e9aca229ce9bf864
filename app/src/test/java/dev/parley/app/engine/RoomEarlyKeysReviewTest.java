package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitEpoch;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.MembershipEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A review of the keys kept before their epoch (RoomInbox's early keys) by attack: whoever may send us a key (a
 * stranger who learnt the room's id, a member removed long ago) tries to make a genuine key that came early be lost.
 */
class RoomEarlyKeysReviewTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    /** Owners whose keys for every epoch ahead fill more than the 256 places a room keeps early keys in. */
    private static final int STRANGERS_OVER_THE_BOUND = 5;
    /** Owners whose keys for every epoch ahead leave room for Dave's: the same attack, just smaller. */
    private static final int STRANGERS_WITHIN_THE_BOUND = 3;

    /**
     * Bob comes back two epochs behind; Dave's genuine key for the newest epoch reaches him first and is kept until
     * the events come. Then a few strangers who know the room's id (nobody checks, before keeping, that a key's owner
     * could ever be a member) each send their own key for every epoch ahead of Bob's log: five made-up identities fill
     * the room's 256 places, and the oldest, Dave's, is pushed out. When the events come, Dave's key is gone, and
     * every message under it waits for a sync that happens to reach Dave.
     */
    @Test
    void strangersCannotPushAGenuineEarlyKeyOut() throws Exception {
        daveKeyIsTakenDespiteStrangers(STRANGERS_OVER_THE_BOUND);
    }

    /** The control: fewer strangers' keys than the bound, and Dave's key is taken once the events come. */
    @Test
    void aGenuineEarlyKeyIsTakenBesideStrangersKeysWithinTheBound() throws Exception {
        daveKeyIsTakenDespiteStrangers(STRANGERS_WITHIN_THE_BOUND);
    }

    private void daveKeyIsTakenDespiteStrangers(int strangers) throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long bobsEpoch = bob.engine.rooms().get(room).orElseThrow().epoch();
        stop(bob);
        TestEngine dave = start("Dave");
        TestEngine erin = start("Erin");
        for (TestEngine joining : List.of(dave, erin)) {
            TestEngine.befriend(alice, joining);
            alice.engine.rooms().invite(room, joining.peerId());
            joining.events.await(EngineEvent.RoomInvitation.class,
                    invitation -> invitation.room().id().equals(room));
            joining.engine.rooms().accept(room);
        }
        await(() -> alice.engine.rooms().get(room).orElseThrow().members().size() == 5,
                () -> "Alice sees " + alice.engine.rooms().get(room));
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        assertThat(epoch).as("beyond the epoch next to Bob's").isGreaterThan(bobsEpoch + 1);
        awaitEpoch(List.of(dave), room, epoch);
        await(() -> ownKey(dave, room, epoch) != null, () -> "Dave has no key at epoch " + epoch);
        SenderKey davesKey = ownKey(dave, room, epoch);
        List<byte[]> events = new ArrayList<>();
        alice.engine.store().rooms().log(room.toString()).stream().map(MembershipEvent::event).forEach(events::add);
        for (TestEngine other : List.of(alice, carol, dave, erin)) {
            stop(other);
        }

        TestEngine bobAgain = restart(bob);
        RecordingPeer asDave = recorder(dave.identity, bobAgain);
        asDave.sendDirect(bobAgain.peerId(), List.of(SEALER.sealSenderKey(dave.identity, bobAgain.engine.card(),
                davesKey, hlc()).encode()));
        for (int stranger = 0; stranger < strangers; stranger++) {
            Identity forger = Identity.generate();
            List<byte[]> keys = new ArrayList<>();
            for (long ahead = 2; ahead <= 64; ahead++) {
                SenderKey key = SenderKey.generate(room, forger.peerId(), bobsEpoch + ahead);
                keys.add(SEALER.sealSenderKey(forger, bobAgain.engine.card(), key, hlc()).encode());
            }
            recorder(forger, bobAgain).sendDirect(bobAgain.peerId(), keys);
        }
        asDave.pushEvents(bobAgain.peerId(), room, events);

        awaitEpoch(List.of(bobAgain), room, epoch);
        await(() -> heldKey(bobAgain, room, davesKey), () -> "Bob does not hold Dave's key at epoch " + epoch);
    }

    private static long hlc() {
        return System.currentTimeMillis() << 16;
    }

    /** The key {@code member} made for itself at {@code epoch}, or null. */
    private static SenderKey ownKey(TestEngine member, RoomId room, long epoch) {
        return keys(member).stream().filter(key -> key.room().equals(room) && key.owner().equals(member.peerId())
                && key.epoch() == epoch).findFirst().orElse(null);
    }

    private static boolean heldKey(TestEngine member, RoomId room, SenderKey wanted) {
        return keys(member).stream().anyMatch(key -> key.room().equals(room) && key.owner().equals(wanted.owner())
                && key.epoch() == wanted.epoch());
    }

    private static List<SenderKey> keys(TestEngine member) {
        List<SenderKey> keys = new ArrayList<>();
        for (byte[] key : member.engine.store().senderKeys().all()) {
            try {
                keys.add(SenderKey.decode(key));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return keys;
    }
}
