package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.RoomId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A push whose stream breaks (reset by the member, or its connection replaced as both sides dialled) is tried again
 * at once: left to sync, the message would reach a connected member only at the next anti-entropy round, or never
 * from a member that does not ask, as Carol's stand-in here does not.
 */
class RoomPushRetryTest extends RoomEnginesTest {

    @Test
    void aPushWhoseStreamBrokeIsTriedAgain() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.awaitOutboxEmptyFor(carol.peerId());
        stop(carol);
        RecordingPeer standIn = recorder(carol.identity, alice);
        standIn.resetNextPushes(2);

        alice.engine.rooms().say(room, "pushed twice in vain, then taken");

        await(() -> roomTexts(standIn).size() == 1, () -> "Carol's stand-in has " + roomTexts(standIn).size()
                + " of Alice's room messages");
        assertThat(roomTexts(standIn).getFirst().header().sender()).isEqualTo(alice.peerId());
    }

    private static List<Envelope> roomTexts(RecordingPeer peer) {
        return peer.received().stream().filter(envelope -> envelope.header().kind() == EnvelopeKind.TEXT
                && envelope.header().sequence() > 0).toList();
    }
}
