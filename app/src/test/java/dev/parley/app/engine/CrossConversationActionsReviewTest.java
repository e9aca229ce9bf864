package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.actions.ActionRoutes;
import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third review's attack on the 1:1 message actions (app README, Promises: "who can react", "what a deletion for
 * everyone leaves"; a reply quotes by reference "as this device holds it"), with three engines on loopback: a
 * contact who names, from its own chat, a message someone else sent us in another chat.
 */
class CrossConversationActionsReviewTest {
    @TempDir
    Path folder;
    private final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TestEngine::close);
    }

    private TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(folder, name);
        started.add(engine);
        return engine;
    }

    /**
     * Holds. Bob learns the id of a message Carol sent Alice (ids travel in forwards, exports, screenshots of
     * `parley chat --json`). From his chat with Alice he replies quoting it and reacts to it, with genuine envelopes
     * of his. Alice's window must not show Carol's private text inside Bob's chat as a quote, nor Bob's reaction on
     * Carol's message: a message is named by its conversation too, and Bob's actions only reach his. Observed:
     * Bob's reply to a message of their own chat quotes it (the mechanism works), the reply naming Carol's quotes
     * nothing, and Carol's message keeps no reaction.
     */
    @Test
    void aContactCannotQuoteOrReactToAMessageAnotherContactSentUsElsewhere() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine.befriend(alice, bob);
        TestEngine.befriend(alice, carol);
        MessageId carols = carol.engine.chat().send(alice.peerId(), "carol's surprise party is on friday");
        alice.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(carols));
        MessageId alices = alice.engine.chat().send(bob.peerId(), "what are you doing friday?");
        bob.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(alices));

        ConversationRef bobsChat = new ConversationRef.Direct(alice.peerId());
        MessageId fair = bob.engine.actions().reply(new MessageRef(bobsChat, alice.peerId(), alices), "nothing yet");
        ChatMessage fairReply = alice.events.await(EngineEvent.MessageReceived.class,
                received -> received.message().id().equals(fair)).message();
        assertThat(fairReply.details().replyTo().orElseThrow().text()).contains("what are you doing friday?");

        MessageRef carolsFromBobsChat = new MessageRef(bobsChat, carol.peerId(), carols);
        MessageId crossReply = bob.engine.actions().reply(carolsFromBobsChat, "I heard about friday");
        routes(bob).sendAction(bobsChat, EnvelopeKind.REACTION, ChatProtos.Reaction.newBuilder()
                .setTarget(ChatProtos.MessageRef.newBuilder().setSender(carol.peerId().toBase58())
                        .setMessageId(ByteString.copyFrom(carols.bytes())))
                .setEmoji("🎉").build().toByteArray());
        ChatMessage shown = alice.events.await(EngineEvent.MessageReceived.class,
                received -> received.message().id().equals(crossReply)).message();
        bob.awaitOutboxEmptyFor(alice.peerId());

        assertThat(shown.details().replyTo()).as("the reply as first shown").hasValueSatisfying(
                quote -> assertThat(quote.text()).isEmpty());
        assertThat(newest(alice, bob, crossReply).details().replyTo().orElseThrow().text())
                .as("the reply as its page shows it").isEmpty();
        ChatMessage carolsAtAlice = newest(alice, carol, carols);
        assertThat(carolsAtAlice.text()).isEqualTo("carol's surprise party is on friday");
        assertThat(carolsAtAlice.details().reactions()).isEmpty();
        assertThat(alice.engine.actions().details(new MessageRef(new ConversationRef.Direct(carol.peerId()),
                carol.peerId(), carols)).reactions()).isEmpty();
    }

    /** Bob's own way out: the routes his engine sends actions by, under his key, to whom it may write. */
    private static ActionRoutes routes(TestEngine sender) throws ReflectiveOperationException {
        Field routes = MessageActions.class.getDeclaredField("routes");
        routes.setAccessible(true);
        return (ActionRoutes) routes.get(sender.engine.actions());
    }

    private static ChatMessage newest(TestEngine at, TestEngine peer, MessageId id) throws EngineException {
        return at.engine.history().newest(peer.peerId(), 50).messages().stream()
                .filter(message -> message.id().equals(id)).findFirst().orElseThrow();
    }
}
