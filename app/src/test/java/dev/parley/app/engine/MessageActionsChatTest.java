package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageChange;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.Reaction;
import dev.parley.app.engine.api.TextVersion;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Message actions between Alice and Bob, engines on loopback: reply, react, edit, delete for everyone and for me,
 * forward; an action sent while the other side is away; and Bob's own key used to send what his engine would
 * never send (a deletion of Alice's message, an edit before its message, old edits again), which Alice refuses or
 * takes harmlessly.
 */
class MessageActionsChatTest extends TwoContactsTest {
    private final HybridClock forgersClock = new HybridClock(InstantSource.system());

    @Test
    void replyReactEditDeleteAndForwardReachTheOtherSide() throws Exception {
        MessageId question = alice.engine.chat().send(bob.peerId(), "rope or no rope?");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        MessageRef questionAtBob = new MessageRef(direct(alice), alice.peerId(), question);

        MessageId answer = bob.engine.actions().reply(questionAtBob, "rope, always");
        ChatMessage reply = alice.events.await(EngineEvent.MessageReceived.class,
                received -> received.message().id().equals(answer)).message();
        assertThat(reply.details().replyTo()).hasValueSatisfying(quote -> {
            assertThat(quote.message().id()).isEqualTo(question);
            assertThat(quote.message().sender()).isEqualTo(alice.peerId());
            assertThat(quote.text()).contains("rope or no rope?");
        });

        bob.engine.actions().react(questionAtBob, "👍");
        bob.engine.actions().react(questionAtBob, "👍");
        EngineEvent.MessageChanged reacted = awaitChange(alice, question, MessageChange.REACTIONS);
        assertThat(reacted.details().reactions()).containsExactly(new Reaction(bob.peerId(), "👍"));
        alice.engine.actions().react(mine(alice, bob, question), "👍");
        assertThat(alice.engine.actions().details(mine(alice, bob, question)).reactionCounts())
                .containsEntry("👍", 2);

        alice.engine.actions().edit(mine(alice, bob, question), "rope or no rope? (60 m)");
        EngineEvent.MessageChanged edited = awaitChange(bob, question, MessageChange.EDITED);
        assertThat(edited.text()).isEqualTo("rope or no rope? (60 m)");
        assertThat(edited.details().edited()).isTrue();
        assertThat(bob.engine.actions().versions(questionAtBob)).extracting(TextVersion::text)
                .containsExactly("rope or no rope?", "rope or no rope? (60 m)");

        MessageId forwarded = bob.engine.actions().forward(questionAtBob, direct(alice));
        ChatMessage copy = alice.events.await(EngineEvent.MessageReceived.class,
                received -> received.message().id().equals(forwarded)).message();
        assertThat(copy.details().forwarded()).isTrue();
        assertThat(copy.text()).isEqualTo("rope or no rope? (60 m)");

        alice.engine.actions().deleteForEveryone(mine(alice, bob, question));
        EngineEvent.MessageChanged deleted = awaitChange(bob, question, MessageChange.DELETED);
        assertThat(deleted.text()).isEmpty();
        assertThat(deleted.details().reactions()).isEmpty();
        ChatMessage atBob = newest(bob, alice, question);
        assertThat(atBob.details().deleted()).isTrue();
        assertThat(atBob.text()).isEmpty();
        assertThat(bob.engine.history().search("rope or no", 10)).extracting(hit -> hit.id())
                .doesNotContain(question);
        assertThat(bob.engine.actions().versions(questionAtBob)).isEmpty();
        // The reply now quotes nothing: its message is gone.
        assertThat(newest(alice, bob, answer).details().replyTo().orElseThrow().text()).isEmpty();

        bob.engine.actions().deleteForMe(new MessageRef(direct(alice), bob.peerId(), answer));
        assertThat(newest(bob, alice, answer).details().hidden()).isTrue();
        assertThat(newest(alice, bob, answer).details().hidden()).isFalse();
    }

    @Test
    void onlyTheAuthorMayEditOrDeleteThroughTheEngine() throws Exception {
        MessageId mine = alice.engine.chat().send(bob.peerId(), "mine to change");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        MessageRef alices = new MessageRef(direct(alice), alice.peerId(), mine);
        assertThatThrownBy(() -> bob.engine.actions().edit(alices, "yours now"))
                .isInstanceOf(EngineException.class).hasMessageContaining("only its author");
        assertThatThrownBy(() -> bob.engine.actions().deleteForEveryone(alices))
                .isInstanceOf(EngineException.class).hasMessageContaining("only its author");
        assertThat(newest(bob, alice, mine).text()).isEqualTo("mine to change");
    }

    @Test
    void anEditAndAReactionSentWhileThePeerIsAwayAreAppliedWhenItReturns() throws Exception {
        MessageId id = bob.engine.chat().send(alice.peerId(), "see you at 8");
        alice.events.await(EngineEvent.MessageReceived.class, 1);
        alice.close();

        MessageRef bobs = new MessageRef(direct(alice), bob.peerId(), id);
        bob.engine.actions().edit(bobs, "see you at 9");
        bob.engine.actions().react(bobs, "⏰");
        try (TestEngine aliceAgain = alice.restart()) {
            awaitChange(aliceAgain, id, MessageChange.EDITED);
            awaitChange(aliceAgain, id, MessageChange.REACTIONS);
            ChatMessage shown = newest(aliceAgain, bob, id);
            assertThat(shown.text()).isEqualTo("see you at 9");
            assertThat(shown.details().edited()).isTrue();
            assertThat(shown.details().reactions()).containsExactly(new Reaction(bob.peerId(), "⏰"));
            bob.awaitOutboxEmptyFor(aliceAgain.peerId());
        }
    }

    @Test
    void aForgedDeleteOfSomeoneElsesMessageIsRefusedAndOldEditsSentAgainChangeNothing() throws Exception {
        MessageId alicesId = alice.engine.chat().send(bob.peerId(), "Alice's words");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        MessageId bobsId = bob.engine.chat().send(alice.peerId(), "Bob's first words");
        alice.events.await(EngineEvent.MessageReceived.class, 1);

        // Bob's key, sending what Bob's engine refuses to: a deletion and an edit of Alice's message.
        byte[] forgedDelete = fromBob(EnvelopeKind.DELETE, ChatProtos.Delete.newBuilder()
                .setTarget(target(alice, alicesId)).build().toByteArray());
        byte[] forgedEdit = fromBob(EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                .setTarget(target(alice, alicesId)).setBody("Bob's words now").build().toByteArray());
        MessageId firstEditId = MessageId.timeOrdered(System.currentTimeMillis());
        long firstEditClock = forgersClock.now();
        byte[] firstEdit = sealedByBob(firstEditId, firstEditClock, EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                .setTarget(target(bob, bobsId)).setBody("Bob's second words").build().toByteArray());
        byte[] secondEdit = fromBob(EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                .setTarget(target(bob, bobsId)).setBody("Bob's last words").build().toByteArray());
        // The first edit sealed again: other bytes, the same action.
        byte[] reencoded = sealedByBob(firstEditId, firstEditClock, EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                .setTarget(target(bob, bobsId)).setBody("Bob's second words").build().toByteArray());
        assertThat(reencoded).isNotEqualTo(firstEdit);
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            bobsKey.sendDirect(alice.peerId(), List.of(forgedDelete, forgedEdit, secondEdit, firstEdit, secondEdit,
                    forgedDelete));
        }
        awaitChange(alice, bobsId, MessageChange.EDITED);
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            bobsKey.sendDirect(alice.peerId(), List.of(reencoded));
        }

        assertThat(newest(alice, bob, alicesId).text()).isEqualTo("Alice's words");
        assertThat(newest(alice, bob, alicesId).details().deleted()).isFalse();
        assertThat(newest(alice, bob, bobsId).text()).isEqualTo("Bob's last words");
        assertThat(alice.engine.actions().versions(new MessageRef(direct(bob), bob.peerId(), bobsId)))
                .extracting(TextVersion::text).containsExactly("Bob's first words", "Bob's second words",
                        "Bob's last words");
        assertThat(alice.events.all(EngineEvent.MessageChanged.class)).hasSize(1);
        assertStillChatting();
    }

    @Test
    void anEditThatArrivesBeforeItsMessageWaitsForIt() throws Exception {
        MessageId later = MessageId.timeOrdered(System.currentTimeMillis());
        byte[] message = sealedByBob(later, forgersClock.now(), EnvelopeKind.TEXT, ChatProtos.Text.newBuilder()
                .setBody("the text with a typo").build().toByteArray());
        byte[] edit = fromBob(EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder().setTarget(target(bob, later))
                .setBody("the corrected text").build().toByteArray());
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            bobsKey.sendDirect(alice.peerId(), List.of(edit));
            bobsKey.sendDirect(alice.peerId(), List.of(message));
        }
        ChatMessage received = alice.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message();
        assertThat(received.text()).isEqualTo("the corrected text");
        assertThat(received.details().edited()).isTrue();
        assertThat(newest(alice, bob, later).text()).isEqualTo("the corrected text");
        assertThat(newest(alice, bob, later).details().edited()).isTrue();
    }

    private void assertStillChatting() throws Exception {
        MessageId id = bob.engine.chat().send(alice.peerId(), "still here");
        alice.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
    }

    private byte[] fromBob(EnvelopeKind kind, byte[] payload) throws Exception {
        return sealedByBob(MessageId.timeOrdered(System.currentTimeMillis()), forgersClock.now(), kind, payload);
    }

    private byte[] sealedByBob(MessageId id, long hlc, EnvelopeKind kind, byte[] payload) throws Exception {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(bob.peerId(), alice.peerId()), hlc, kind);
        return new TinkEnvelopeSealer().sealDirect(bob.identity, alice.engine.card(), fields, payload).encode();
    }

    private static ChatProtos.MessageRef target(TestEngine author, MessageId id) {
        return ChatProtos.MessageRef.newBuilder().setSender(author.peerId().toBase58())
                .setMessageId(ByteString.copyFrom(id.bytes())).build();
    }

    private static ConversationRef direct(TestEngine peer) {
        return new ConversationRef.Direct(peer.peerId());
    }

    private static MessageRef mine(TestEngine me, TestEngine peer, MessageId id) {
        return new MessageRef(direct(peer), me.peerId(), id);
    }

    private static EngineEvent.MessageChanged awaitChange(TestEngine at, MessageId id, MessageChange change)
            throws InterruptedException {
        return at.events.await(EngineEvent.MessageChanged.class,
                changed -> changed.message().id().equals(id) && changed.change() == change);
    }

    /** The message {@code id} as {@code at}'s history of its chat with {@code peer} shows it. */
    private static ChatMessage newest(TestEngine at, TestEngine peer, MessageId id) throws EngineException {
        return at.engine.history().newest(peer.peerId(), 50).messages().stream()
                .filter(message -> message.id().equals(id)).findFirst().orElseThrow();
    }
}
