package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.Reaction;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.MessageActions;
import dev.parley.store.StoreLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A security review's attacks on the promises of message actions (app/README.md, Promises and "Message actions"),
 * with real engines on loopback and their SQLite files. Each test here that fails shows a promise broken; its
 * comment says which and what happened.
 */
class MessageActionsReviewAttacksTest extends TwoContactsTest {
    private static final String SECRET = "the-spare-key-is-under-the-blue-pot";
    /**
     * How many distinct reactions one person may leave on one message for the promise "one reaction per emoji per
     * person" to bound anything: far more than any real use (Slack allows 23 different emoji on a message in all).
     */
    private static final int DISTINCT_REACTIONS_ONE_PERSON_NEEDS = 64;
    private static final int MADE_UP_EMOJI = 600;

    private final HybridClock forgersClock = new HybridClock(InstantSource.system());

    /**
     * Holds since its fix; the review found it broken (what follows is what happened then): "a deletion for everyone
     * leaves no trace of the text in the receiver's SQLite file". Carol adds Bob from his invite code and writes to
     * him, so on Bob's side she is a request; she regrets it and deletes the message for everyone. Bob's Inbox takes
     * REACTION, EDIT and DELETE only from ACCEPTED contacts, but acknowledges the deletion anyway, so Carol's outbox
     * forgets it: it is never sent again. When Bob accepts Carol, her withdrawn text is shown, searchable and in his
     * file for good — the author was told nothing failed.
     */
    @Test
    void aDeletionForEveryoneSentWhileTheAuthorIsStillARequestIsAcknowledgedDroppedAndTheTextStaysForGood()
            throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            carol.engine.contacts().add(bob.engine.invite());
            MessageId regretted = carol.engine.chat().send(bob.peerId(), "hi Bob, " + SECRET);
            bob.events.await(EngineEvent.Request.class, 1);

            carol.engine.actions().deleteForEveryone(new MessageRef(new ConversationRef.Direct(bob.peerId()),
                    carol.peerId(), regretted));
            carol.awaitOutboxEmptyFor(bob.peerId());
            bob.engine.contacts().accept(carol.peerId());

            ChatMessage atBob = bob.engine.history().newest(carol.peerId(), 50).messages().stream()
                    .filter(message -> message.id().equals(regretted)).findFirst().orElseThrow();
            assertThat(atBob.text()).as("the text Carol deleted for everyone, as Bob's history shows it").isEmpty();
            assertThat(atBob.details().deleted()).isTrue();
            assertThat(bob.engine.history().search(SECRET, 10)).isEmpty();
            assertThat(storeHolds(bob, SECRET)).as("Bob's SQLite file or WAL holds the deleted text").isFalse();
        }
    }

    /**
     * Holds since its fix; the review found it broken (what follows is what happened then): "one reaction per emoji per
     * person" as a bound, and what a reaction is. The store takes as an "emoji" any string of up to 32 UTF-16 units
     * without whitespace, so "one per emoji" bounds nothing: Bob, with his own key, leaves 600 distinct made-up
     * reactions ("BUY-CHEAP-PILLS-AT-evil.example", "x1", "x2"...) on one message of Alice's; every one is a row kept
     * for good, every MessageChanged event and history page carries all of them (each reaction re-reads the whole list:
     * quadratic work for Alice), and an unbounded run at the contact rate (50 a second) grows the reactions table by
     * millions of rows a day on a single message.
     */
    @Test
    void aContactCanPinHundredsOfMadeUpTextReactionsOnOneMessage() throws Exception {
        MessageId alicesId = alice.engine.chat().send(bob.peerId(), "what shall we bring?");
        bob.events.await(EngineEvent.MessageReceived.class, 1);

        List<byte[]> reactions = new ArrayList<>();
        reactions.add(reactionFromBob(alicesId, "BUY-CHEAP-PILLS-AT-evil.example"));
        for (int i = 1; i < MADE_UP_EMOJI; i++) {
            reactions.add(reactionFromBob(alicesId, "x" + i));
        }
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            bobsKey.sendDirect(alice.peerId(), reactions);
        }

        List<Reaction> held = alice.engine.actions().details(new MessageRef(new ConversationRef.Direct(bob.peerId()),
                alice.peerId(), alicesId)).reactions();
        assertThat(held).as("reactions that are text, not an emoji")
                .doesNotContain(new Reaction(bob.peerId(), "BUY-CHEAP-PILLS-AT-evil.example"));
        assertThat(held).as("distinct reactions Bob alone keeps on one message")
                .hasSizeLessThanOrEqualTo(DISTINCT_REACTIONS_ONE_PERSON_NEEDS);
    }

    /**
     * Holds: what actions for messages that never come can make Alice keep. Bob's key sends 300 edits of messages it
     * never sends, and one edit over the body limit: at most 256 wait in Alice's file, and the oversized one is not
     * among them; Bob still chats.
     */
    @Test
    void editsForMessagesThatNeverComeWaitWithinTheBoundAndAnOversizedOneIsNotKept() throws Exception {
        List<byte[]> edits = new ArrayList<>();
        edits.add(editFromBob(MessageId.timeOrdered(System.currentTimeMillis()),
                "y".repeat(StoreLimits.MAX_BODY_BYTES + 1)));
        for (int i = 0; i < 300; i++) {
            edits.add(editFromBob(MessageId.timeOrdered(System.currentTimeMillis()), "never sent " + i + " "
                    + "z".repeat(1_000)));
        }
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            bobsKey.sendDirect(alice.peerId(), edits);
        }

        assertThat(pendingAt(alice, "SELECT count(*) FROM pending_actions"))
                .isEqualTo(MessageActions.MAX_PENDING_PER_SENDER);
        assertThat(pendingAt(alice, "SELECT count(*) FROM pending_actions WHERE length(detail) > 2000")).isZero();
        MessageId after = bob.engine.chat().send(alice.peerId(), "still chatting");
        alice.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(after));
    }

    /** A count read from {@code at}'s SQLite file through a connection of the test's own, as SQLite allows. */
    private static long pendingAt(TestEngine at, String count) throws Exception {
        Path db = at.profile.resolve(EngineConfig.STORE_FILE);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery(count)) {
            return rows.getLong(1);
        }
    }

    private byte[] editFromBob(MessageId target, String body) throws Exception {
        byte[] payload = ChatProtos.Edit.newBuilder().setTarget(ChatProtos.MessageRef.newBuilder()
                .setSender(bob.peerId().toBase58()).setMessageId(ByteString.copyFrom(target.bytes())))
                .setBody(body).build().toByteArray();
        HeaderFields fields = new HeaderFields(MessageId.timeOrdered(System.currentTimeMillis()),
                ConversationId.direct(bob.peerId(), alice.peerId()), forgersClock.now(), EnvelopeKind.EDIT);
        return new TinkEnvelopeSealer().sealDirect(bob.identity, alice.engine.card(), fields, payload).encode();
    }

    private byte[] reactionFromBob(MessageId target, String emoji) throws Exception {
        byte[] payload = ChatProtos.Reaction.newBuilder().setTarget(ChatProtos.MessageRef.newBuilder()
                .setSender(alice.peerId().toBase58()).setMessageId(ByteString.copyFrom(target.bytes())))
                .setEmoji(emoji).build().toByteArray();
        HeaderFields fields = new HeaderFields(MessageId.timeOrdered(System.currentTimeMillis()),
                ConversationId.direct(bob.peerId(), alice.peerId()), forgersClock.now(), EnvelopeKind.REACTION);
        return new TinkEnvelopeSealer().sealDirect(bob.identity, alice.engine.card(), fields, payload).encode();
    }

    /** Whether the engine's SQLite file or its WAL holds {@code text} in UTF-8, anywhere in their bytes. */
    static boolean storeHolds(TestEngine engine, String text) throws Exception {
        Path db = engine.profile.resolve(EngineConfig.STORE_FILE);
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (Path part : Stream.of("", "-wal").map(suffix -> db.resolveSibling(db.getFileName() + suffix))
                .filter(Files::exists).toList()) {
            byte[] bytes = Files.readAllBytes(part);
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
        }
        return false;
    }
}
