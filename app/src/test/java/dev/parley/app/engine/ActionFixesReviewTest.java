package dev.parley.app.engine;

import static dev.parley.app.engine.MessageActionsReviewAttacksTest.storeHolds;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A second review's attacks, with real engines on loopback and their SQLite files, on the fixes of the promises of
 * message actions (app README, Promises): a request's actions within its quota, a deletion that comes before its
 * message, and an Accept that races a deletion. Each test that fails shows a promise broken.
 */
class ActionFixesReviewTest extends TwoContactsTest {
    private static final String SECRET = "the-boat-is-moored-at-buoy-seventeen";
    private static final int EDIT_CHARACTERS = 60_000;
    private static final int EDITS = 12;

    private final HybridClock forgersClock = new HybridClock(InstantSource.system());

    /**
     * Holds since its fix, which the review made; the review found it broken before. A request that floods edits of
     * its one message (12 of 60,000 characters, 720 KB) makes Bob keep no more text than its quota of 256 KiB, its
     * message and every version counted; the edits beyond are acknowledged, dropped and counted for Bob to see; once
     * accepted, Carol's edits come through again. Before, the quota counted an edit's text once while the store keeps
     * the newest twice (the message's text and its last version): Bob kept 300,019 bytes, and up to twice the quota
     * for a request that edits each of its messages once.
     */
    @Test
    void aRequestThatFloodsEditsIsHeldToItsQuotaAndItsEditsFlowOnceAccepted() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            carol.engine.contacts().add(bob.engine.invite());
            MessageId first = carol.engine.chat().send(bob.peerId(), "hello Bob");
            bob.events.await(EngineEvent.Request.class, 1);
            MessageRef carols = new MessageRef(new ConversationRef.Direct(bob.peerId()), carol.peerId(), first);
            for (int i = 0; i < EDITS; i++) {
                carol.engine.actions().edit(carols, i + " " + "e".repeat(EDIT_CHARACTERS));
            }
            carol.awaitOutboxEmptyFor(bob.peerId());

            long kept = countAt(bob, "SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM messages")
                    + countAt(bob, "SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM message_edits");
            assertThat(kept).as("text Bob keeps for a request").isLessThanOrEqualTo(RequestQuota.MAX_BODY_BYTES);
            assertThat(bob.engine.contacts().get(carol.peerId()).orElseThrow().droppedMessages())
                    .as("what was dropped is counted for Bob").isPositive();

            bob.engine.contacts().accept(carol.peerId());
            carol.engine.actions().edit(carols, "hello Bob, accepted");
            bob.events.await(EngineEvent.MessageChanged.class,
                    changed -> changed.text().equals("hello Bob, accepted"));
        }
    }

    /**
     * Holds: a request's deletion for everyone that comes before its message (Carol's key, on one stream: the
     * deletion, then the message) waits for it, and the message is reported, shown and stored without its text.
     */
    @Test
    void aRequestsDeletionThatComesBeforeItsMessageLeavesNothingToShow() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            carol.engine.contacts().add(bob.engine.invite());
            carol.engine.chat().send(bob.peerId(), "hello Bob");
            bob.events.await(EngineEvent.Request.class, 1);
            carol.awaitOutboxEmptyFor(bob.peerId());

            MessageId withdrawn = MessageId.timeOrdered(System.currentTimeMillis());
            ChatProtos.MessageRef target = ChatProtos.MessageRef.newBuilder().setSender(carol.peerId().toBase58())
                    .setMessageId(ByteString.copyFrom(withdrawn.bytes())).build();
            byte[] deletion = sealed(carol, MessageId.timeOrdered(System.currentTimeMillis()), EnvelopeKind.DELETE,
                    ChatProtos.Delete.newBuilder().setTarget(target).build().toByteArray());
            byte[] message = sealed(carol, withdrawn, EnvelopeKind.TEXT,
                    ChatProtos.Text.newBuilder().setBody("meet at " + SECRET).build().toByteArray());
            try (RecordingPeer carolsKey = new RecordingPeer(carol.identity)) {
                carolsKey.dial(bob.engine.listenAddresses().getFirst());
                carolsKey.sendDirect(bob.peerId(), List.of(deletion, message));
            }

            EngineEvent.MessageReceived received = bob.events.await(EngineEvent.MessageReceived.class,
                    arrived -> arrived.message().id().equals(withdrawn));
            assertThat(received.message().text()).as("the withdrawn message as Bob is told of it").isEmpty();
            assertThat(bob.events.all(EngineEvent.MessageReceived.class)).noneMatch(
                    arrived -> arrived.message().text().contains(SECRET));
            assertThat(bob.engine.history().search(SECRET, 10)).isEmpty();
            assertThat(storeHolds(bob, SECRET)).isFalse();
        }
    }

    /**
     * Holds: Bob accepting Carol while her deletion for everyone of her first message is on its way, both at once,
     * ends with the message deleted at Bob in whichever order they meet: no text shown, searched or stored.
     */
    @Test
    void anAcceptRacingADeletionLeavesTheTextNowhere() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            carol.engine.contacts().add(bob.engine.invite());
            MessageId regretted = carol.engine.chat().send(bob.peerId(), "hi Bob, " + SECRET);
            bob.events.await(EngineEvent.Request.class, 1);

            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Void> deleting = CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    carol.engine.actions().deleteForEveryone(new MessageRef(
                            new ConversationRef.Direct(bob.peerId()), carol.peerId(), regretted));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    bob.engine.contacts().accept(carol.peerId());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            start.countDown();
            CompletableFuture.allOf(deleting, accepting).join();
            carol.awaitOutboxEmptyFor(bob.peerId());

            MessageRef atBob = new MessageRef(new ConversationRef.Direct(carol.peerId()), carol.peerId(), regretted);
            long deadline = System.nanoTime() + EventLog.WAIT.toNanos();
            while (!bob.engine.actions().details(atBob).deleted()) {
                assertThat(System.nanoTime()).as("Bob still shows the message undeleted").isLessThan(deadline);
                Thread.sleep(Duration.ofMillis(20));
            }
            ChatMessage shown = bob.engine.history().newest(carol.peerId(), 50).messages().stream()
                    .filter(held -> held.id().equals(regretted)).findFirst().orElseThrow();
            assertThat(shown.text()).isEmpty();
            assertThat(bob.engine.history().search(SECRET, 10)).isEmpty();
            assertThat(storeHolds(bob, SECRET)).isFalse();
        }
    }

    private byte[] sealed(TestEngine from, MessageId id, EnvelopeKind kind, byte[] payload) throws Exception {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(from.peerId(), bob.peerId()),
                forgersClock.now(), kind);
        return new TinkEnvelopeSealer().sealDirect(from.identity, bob.engine.card(), fields, payload).encode();
    }

    /** A number read from {@code at}'s SQLite file through a connection of the test's own, as SQLite allows. */
    private static long countAt(TestEngine at, String query) throws Exception {
        Path db = at.profile.resolve(EngineConfig.STORE_FILE);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            return rows.getLong(1);
        }
    }
}
