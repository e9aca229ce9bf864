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
 * The same holds for a key that comes before the invitation into its room.
 */
class RoomKeyBeforeItsEpochTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    /** Made-up owners whose keys for every epoch ahead (63 each) would fill a room's 256 places, Dave's the oldest. */
    private static final int STRANGERS_OVER_THE_BOUND = 5;
    /** Owners whose keys for every epoch ahead leave room for Dave's: the same attack, just smaller. */
    private static final int STRANGERS_WITHIN_THE_BOUND = 3;

    /**
     * Bob, an epoch or two behind, comes back with no member to sync with; Dave (who joined since) is a stand-in that sends
     * Bob its key of the newest epoch and then the events of the log.
     */
    private record BobBehind(TestEngine bob, RoomId room, long bobsEpoch, long epoch, SenderKey davesKey,
                             List<byte[]> events, Identity dave, RecordingPeer asDave) {
    }

    @Test
    void aKeyThatComesBeforeTheEventsOfItsEpochIsTakenOnceTheyCome() throws Exception {
        BobBehind behind = bobBehind(List.of("Dave", "Erin"));
        assertThat(behind.epoch()).as("beyond the epoch next to Bob's").isGreaterThan(behind.bobsEpoch() + 1);
        sendDavesKey(behind);
        assertThat(heldKey(behind.bob(), behind.room(), behind.davesKey()))
                .as("a key beyond Bob's log is not taken before it").isFalse();

        behind.asDave().pushEvents(behind.bob().peerId(), behind.room(), behind.events());

        awaitDavesKeyTaken(behind);
    }

    /**
     * One epoch behind, the key's epoch is the one next to Bob's, which a key may have: but its owner, added in that
     * epoch, is not a member in Bob's log yet. Dropped, it waited for a sync, as in a room of 50.
     */
    @Test
    void aKeyOfTheNextEpochFromAMemberAddedInItIsTakenOnceTheEventsCome() throws Exception {
        BobBehind behind = bobBehind(List.of("Dave"));
        assertThat(behind.epoch()).as("the epoch next to Bob's").isEqualTo(behind.bobsEpoch() + 1);
        sendDavesKey(behind);
        assertThat(heldKey(behind.bob(), behind.room(), behind.davesKey()))
                .as("a key of someone not yet a member is not taken before the events").isFalse();

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
        BobBehind behind = bobBehind(List.of("Dave", "Erin"));
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
     * A member hands its key to a newcomer as soon as its log has the addition, while the invitation comes from the
     * inviter. In a room of 50 one member's key reached the newcomer first and was dropped ("no such room"); the key a
     * sync brought later had moved past that member's first message, which never opened there.
     */
    @Test
    void aKeyThatComesBeforeTheInvitationIsTakenWithIt() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(carol));
        TestEngine.befriend(alice, dave);
        stop(dave);
        alice.engine.rooms().invite(room, dave.peerId());
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        awaitEpoch(List.of(carol), room, epoch);
        await(() -> ownKey(carol, room, epoch) != null, () -> "Carol has no key at epoch " + epoch);
        SenderKey carolsKey = ownKey(carol, room, epoch);
        stop(carol);
        stop(alice);
        TestEngine daveAgain = restart(dave);

        recorder(carol.identity, daveAgain).sendDirect(daveAgain.peerId(), List.of(SEALER.sealSenderKey(carol.identity,
                daveAgain.engine.card(), carolsKey, hlc()).encode()));
        assertThat(daveAgain.engine.rooms().get(room)).as("Alice's invitation waits in her outbox").isEmpty();
        TestEngine aliceAgain = restart(alice);
        aliceAgain.engine.contacts().add(daveAgain.engine.invite());

        daveAgain.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
        await(() -> heldKey(daveAgain, room, carolsKey), () -> "Dave does not hold Carol's key at epoch " + epoch);
    }

    /**
     * Alice's room of Bob and Carol; Bob stops, and {@code joining} join (Dave first), an epoch each; then everyone
     * stops and Bob comes back with only Dave's stand-in to talk to.
     */
    private BobBehind bobBehind(List<String> joining) throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long bobsEpoch = bob.engine.rooms().get(room).orElseThrow().epoch();
        stop(bob);
        List<TestEngine> joined = new ArrayList<>();
        for (String name : joining) {
            TestEngine member = start(name);
            TestEngine.befriend(alice, member);
            alice.engine.rooms().invite(room, member.peerId());
            member.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
            member.engine.rooms().accept(room);
            joined.add(member);
        }
        int members = 3 + joining.size();
        await(() -> alice.engine.rooms().get(room).orElseThrow().members().size() == members,
                () -> "Alice sees " + alice.engine.rooms().get(room));
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        assertThat(epoch).as("beyond Bob's").isGreaterThan(bobsEpoch);
        TestEngine dave = joined.getFirst();
        awaitEpoch(List.of(dave), room, epoch);
        await(() -> ownKey(dave, room, epoch) != null, () -> "Dave has no key at epoch " + epoch);
        SenderKey davesKey = ownKey(dave, room, epoch);
        List<byte[]> events = new ArrayList<>();
        alice.engine.store().rooms().log(room.toString()).stream().map(MembershipEvent::event).forEach(events::add);
        List<TestEngine> others = new ArrayList<>(List.of(alice, carol));
        others.addAll(joined);
        for (TestEngine other : others) {
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
