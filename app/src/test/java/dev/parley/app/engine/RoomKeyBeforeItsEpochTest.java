package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitEpoch;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
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
 * first was dropped, and the messages under it waited for a sync that happened to ask its owner.
 */
class RoomKeyBeforeItsEpochTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    @Test
    void aKeyThatComesBeforeTheEventsOfItsEpochIsTakenOnceTheyCome() throws Exception {
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

        // Bob comes back with no member to sync with: Dave's key reaches him first, then the events of its epoch.
        TestEngine bobAgain = restart(bob);
        RecordingPeer asDave = recorder(dave.identity, bobAgain);
        asDave.sendDirect(bobAgain.peerId(), List.of(SEALER.sealSenderKey(dave.identity, bobAgain.engine.card(),
                davesKey, System.currentTimeMillis() << 16).encode()));
        assertThat(heldKey(bobAgain, room, davesKey)).as("a key beyond Bob's log is not taken before it").isFalse();
        asDave.pushEvents(bobAgain.peerId(), room, events);

        awaitEpoch(List.of(bobAgain), room, epoch);
        await(() -> heldKey(bobAgain, room, davesKey), () -> "Bob does not hold Dave's key at epoch " + epoch);
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
