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
 * A member's key for an epoch can reach a member whose log is not there yet: the owner hands it out 1:1 as soon as
 * its own log has the epoch, while the events travel by sync or push. Found with 50 members, where a key that came
 * first was dropped, and the messages under it waited for a sync that happened to ask its owner. Such keys are kept
 * aside, within bounds that a flood of made-up identities' keys cannot turn against a genuine one (a review's attack).
 */
class RoomKeyBeforeItsEpochTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    /** Made-up owners whose keys for every epoch ahead (63 each) would fill a room's 256 places, Dave's the oldest. */
    private static final int STRANGERS_OVER_THE_BOUND = 5;
    /** Owners whose keys for every epoch ahead leave room for Dave's: the same attack, just smaller. */
    private static final int STRANGERS_WITHIN_THE_BOUND = 3;

    /**
     * Bob, two epochs behind, comes back with no member to sync with; Dave (who joined since) is a stand-in that sends
     * Bob its key of the newest epoch and then the events of the log.
     */
    private record BobBehind(TestEngine bob, RoomId room, long bobsEpoch, long epoch, SenderKey davesKey,
                             List<byte[]> events, Identity dave, RecordingPeer asDave) {
    }

    @Test
    void aKeyThatComesBeforeTheEventsOfItsEpochIsTakenOnceTheyCome() throws Exception {
        BobBehind behind = bobTwoEpochsBehind();
        sendDavesKey(behind);
        assertThat(heldKey(behind.bob(), behind.room(), behind.davesKey()))
                .as("a key beyond Bob's log is not taken before it").isFalse();

        behind.asDave().pushEvents(behind.bob().peerId(), behind.room(), behind.events());

        awaitDavesKeyTaken(behind);
    }

    /**
     * After Dave's genuine key, made-up identities who know the room's id (nobody can check, before the events come,
     * that a key's owner could ever be a member) each send their own key for every epoch ahead of Bob's log: five of
     * them would fill the room's 256 places, and push out the oldest, Dave's, if the oldest went first.
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
        BobBehind behind = bobTwoEpochsBehind();
        sendDavesKey(behind);
        for (int stranger = 0; stranger < strangers; stranger++) {
            Identity forger = Identity.generate();
            List<byte[]> keys = new ArrayList<>();
            for (long ahead = 2; ahead <= 64; ahead++) {
                SenderKey key = SenderKey.generate(behind.room(), forger.peerId(), behind.bobsEpoch() + ahead);
                keys.add(SEALER.sealSenderKey(forger, behind.bob().engine.card(), key, hlc()).encode());
            }
            recorder(forger, behind.bob()).sendDirect(behind.bob().peerId(), keys);
        }
        behind.asDave().pushEvents(behind.bob().peerId(), behind.room(), behind.events());

        awaitDavesKeyTaken(behind);
    }

    /**
     * Alice's room of Bob and Carol; Bob stops, Dave and Erin join (two epochs), then everyone stops and Bob comes back
     * with only Dave's stand-in to talk to.
     */
    private BobBehind bobTwoEpochsBehind() throws Exception {
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
        assertThat(epoch).as("two epochs beyond Bob's, so beyond the one next to his").isGreaterThan(bobsEpoch + 1);
        awaitEpoch(List.of(dave), room, epoch);
        await(() -> ownKey(dave, room, epoch) != null, () -> "Dave has no key at epoch " + epoch);
        SenderKey davesKey = ownKey(dave, room, epoch);
        List<byte[]> events = new ArrayList<>();
        alice.engine.store().rooms().log(room.toString()).stream().map(MembershipEvent::event).forEach(events::add);
        for (TestEngine other : List.of(alice, carol, dave, erin)) {
            stop(other);
        }
        TestEngine bobAgain = restart(bob);
        return new BobBehind(bobAgain, room, bobsEpoch, epoch, davesKey, events, dave.identity,
                recorder(dave.identity, bobAgain));
    }

    private static void sendDavesKey(BobBehind behind) throws Exception {
        behind.asDave().sendDirect(behind.bob().peerId(), List.of(SEALER.sealSenderKey(behind.dave(),
                behind.bob().engine.card(), behind.davesKey(), hlc()).encode()));
    }

    private static void awaitDavesKeyTaken(BobBehind behind) throws InterruptedException {
        awaitEpoch(List.of(behind.bob()), behind.room(), behind.epoch());
        await(() -> heldKey(behind.bob(), behind.room(), behind.davesKey()),
                () -> "Bob does not hold Dave's key at epoch " + behind.epoch());
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
