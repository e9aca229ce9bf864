package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A review by attack of the sender keys kept for rooms we do not hold yet (EarlyKeys, taken when the invitation
 * comes): a stranger who knows a room's id hands us keys of his own for it, before and around the epoch we are added
 * in, hoping one is taken unchecked when the room comes and opens his messages there.
 */
class RoomEarlyKeysReviewTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    @Test
    void aStrangersKeysForARoomWeDoNotHoldYetAreCheckedWhenTheInvitationComes() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = alice.engine.rooms().create("Climbing club").id();
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();
        TestEngine.befriend(alice, bob);
        Identity mallory = Identity.generate();
        RecordingPeer malloryNode = recorder(mallory, bob);
        List<SenderKey> mallorysKeys = new ArrayList<>();
        List<byte[]> handOuts = new ArrayList<>();
        for (long at = Math.max(1, epoch - 1); at <= epoch + 3; at++) {
            SenderKey key = SenderKey.generate(room, mallory.peerId(), at);
            mallorysKeys.add(key);
            handOuts.add(SEALER.sealSenderKey(mallory, bob.engine.card(), key, System.currentTimeMillis() << 16)
                    .encode());
        }
        // Bob acknowledges each once he has dealt with it: kept aside, as a key for a room not held.
        malloryNode.sendDirect(bob.peerId(), handOuts);

        alice.engine.rooms().invite(room, bob.peerId());
        bob.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
        bob.engine.rooms().accept(room);
        await(() -> bob.engine.rooms().get(room).orElseThrow().members().size() == 2
                        && alice.engine.rooms().get(room).orElseThrow().members().size() == 2,
                () -> "Bob in the room on both sides");
        alice.engine.rooms().say(room, "genuine");
        awaitTexts(bob, room, 1);

        List<byte[]> posts = new ArrayList<>();
        for (SenderKey key : mallorysKeys) {
            posts.add(RoomSecurityTest.post(mallory, key, 1, "Mallory at epoch " + key.epoch()));
        }
        // Bob closes the stream once he has taken every envelope on it.
        malloryNode.push(bob.peerId(), posts);
        alice.engine.rooms().say(room, "still genuine");
        awaitTexts(bob, room, 2);

        assertThat(texts(bob, room)).extracting(RoomMessage::text).containsExactly("genuine", "still genuine");
        assertThat(bob.engine.store().roomEnvelopes().after(room.toString(), mallory.peerId().toBase58(), 0, 0, 100))
                .isEmpty();
        assertThat(bob.engine.rooms().get(room).orElseThrow().members()).hasSize(2);
        List<SenderKey> stored = new ArrayList<>();
        for (byte[] key : bob.engine.store().senderKeys().all()) {
            stored.add(SenderKey.decode(key));
        }
        assertThat(stored).extracting(SenderKey::owner).as("the owners of the keys Bob keeps")
                .contains(alice.peerId()).doesNotContain(mallory.peerId());
    }
}
