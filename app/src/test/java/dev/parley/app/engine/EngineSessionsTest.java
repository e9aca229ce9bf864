package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ChatNotice;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.store.OutboxEntry;
import dev.parley.transport.multiformats.PeerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions between real engines on loopback: what goes on the wire is sealed under one, a contact whose card does
 * not list sessions keeps getting signed envelopes, both starting at once lose nothing, and a user restored on a new
 * machine gets a renewed session with nothing lost.
 */
class EngineSessionsTest {
    /** A Parley that seals under sessions: its card says so (not yet the default, see ContactCard). */
    private static final UnaryOperator<EngineConfig> SESSIONS = config -> config.withCardFeatures(
            EnumSet.of(ContactCard.Feature.FORWARD_SECRET_SESSIONS, ContactCard.Feature.CHAINED_SENDER_KEYS));

    @TempDir
    Path temp;

    /** The envelopes {@code sender} holds for {@code peer}, sealed and not yet acknowledged. */
    private static List<EnvelopeHeader> outboxHeaders(TestEngine sender, TestEngine peer) throws Exception {
        List<EnvelopeHeader> headers = new ArrayList<>();
        for (OutboxEntry entry : sender.engine.store().outbox().pending(peer.peerId().toBase58(), 100)) {
            headers.add(Envelope.decode(entry.envelope()).header());
        }
        return headers;
    }

    @Test
    void messagesBothWaysGoUnderOneSessionAndTheOutboxKeepsThemSealed() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice", SESSIONS)) {
            TestEngine bob = TestEngine.start(temp, "Bob", SESSIONS);
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "one");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.chat().send(alice.peerId(), "two");
            alice.events.await(EngineEvent.MessageReceived.class, 1);
            assertThat(alice.engine.sessions().current(bob.peerId())).isPresent()
                    .isEqualTo(bob.engine.sessions().current(alice.peerId()));
            alice.awaitOutboxEmptyFor(bob.peerId());

            bob.close();
            MessageId three = alice.engine.chat().send(bob.peerId(), "three, while Bob is away");

            List<EnvelopeHeader> waiting = outboxHeaders(alice, bob);
            assertThat(waiting).extracting(EnvelopeHeader::messageId).containsExactly(three);
            assertThat(waiting.getFirst().sealing()).isEqualTo(EnvelopeHeader.Sealing.SESSION);
            assertThat(alice.engine.store().outbox().sealedWithRecipe(bob.peerId().toBase58()))
                    .as("kept to be sealed again should the session be lost").hasSize(1);
            try (TestEngine bobAgain = bob.restart()) {
                EngineEvent.MessageReceived received = bobAgain.events.await(EngineEvent.MessageReceived.class, 1)
                        .getFirst();
                assertThat(received.message().id()).isEqualTo(three);
                assertThat(bobAgain.events.all(EngineEvent.SessionRenewed.class)).as("the session outlived the restart")
                        .isEmpty();
            }
        }
    }

    @Test
    void aContactWhoseCardListsNoSessionsGetsSignedEnvelopesBothWays() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice", SESSIONS)) {
            TestEngine olga = TestEngine.start(temp, "Olga", config -> config.withCardFeatures(Set.of()));
            TestEngine.befriend(alice, olga);
            alice.engine.chat().send(olga.peerId(), "hello Olga");
            assertThat(olga.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                    .isEqualTo("hello Olga");
            olga.engine.chat().send(alice.peerId(), "hello from an older Parley");
            assertThat(alice.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                    .isEqualTo("hello from an older Parley");
            alice.awaitOutboxEmptyFor(olga.peerId());

            assertThat(alice.engine.sessions().current(olga.peerId())).isEmpty();
            assertThat(alice.engine.store().sessions().load(olga.peerId().toBase58())).isEmpty();
            olga.close();
            alice.engine.chat().send(olga.peerId(), "still signed");
            assertThat(outboxHeaders(alice, olga)).singleElement().satisfies(header -> {
                assertThat(header.sealing()).isEqualTo(EnvelopeHeader.Sealing.SIGNED);
                assertThat(header.kind()).isEqualTo(EnvelopeKind.TEXT);
            });
            assertThat(alice.engine.store().outbox().sealedWithRecipe(olga.peerId().toBase58())).isEmpty();
        }
    }

    @Test
    void bothStartingAtOnceConvergeOnOneSessionAndLoseNothing() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice", SESSIONS); TestEngine bob = TestEngine.start(temp, "Bob", SESSIONS)) {
            TestEngine.befriend(alice, bob);
            List<CompletableFuture<MessageId>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(alice.engine.chat().sendAsync(bob.peerId(), "from Alice " + i));
                sent.add(bob.engine.chat().sendAsync(alice.peerId(), "from Bob " + i));
            }
            sent.forEach(CompletableFuture::join);

            assertThat(bob.events.await(EngineEvent.MessageReceived.class, 20)).hasSize(20);
            assertThat(alice.events.await(EngineEvent.MessageReceived.class, 20)).hasSize(20);
            alice.awaitOutboxEmptyFor(bob.peerId());
            bob.awaitOutboxEmptyFor(alice.peerId());
            assertThat(alice.engine.sessions().current(bob.peerId())).isPresent()
                    .isEqualTo(bob.engine.sessions().current(alice.peerId()));
            assertThat(alice.engine.history().newest(bob.peerId(), 100).messages()).hasSize(40);
        }
    }

    @Test
    void aUserRestoredOnANewMachineGetsARenewedSessionAndNothingIsLost() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice", SESSIONS)) {
            TestEngine bob = TestEngine.start(temp, "Bob", SESSIONS);
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "before");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.chat().send(alice.peerId(), "before, back");
            alice.events.await(EngineEvent.MessageReceived.class, 1);
            String safetyNumber = alice.engine.contacts().safetyNumber(bob.peerId()).toString();
            bob.close();

            MessageId whileAway = alice.engine.chat().send(bob.peerId(), "sent while Bob moves to a new laptop");
            try (TestEngine restored = TestEngine.at(temp.resolve("Bob-new-laptop"), bob.identity, "Bob", SESSIONS)) {
                restored.engine.contacts().add(alice.engine.invite());

                EngineEvent.MessageReceived received = restored.events.await(EngineEvent.MessageReceived.class, 1)
                        .getFirst();
                assertThat(received.message().id()).isEqualTo(whileAway);
                alice.events.await(EngineEvent.SessionRenewed.class, 1);
                restored.events.await(EngineEvent.SessionRenewed.class, 1);
                restored.engine.chat().send(alice.peerId(), "hello from the new laptop");
                assertThat(alice.events.await(EngineEvent.MessageReceived.class, 2).getLast().message().text())
                        .isEqualTo("hello from the new laptop");
                alice.awaitOutboxEmptyFor(bob.peerId());
                assertThat(alice.events.all(EngineEvent.SessionRenewed.class)).as("one notice on each side")
                        .hasSize(1);
                assertThat(restored.events.all(EngineEvent.SessionRenewed.class)).hasSize(1);
                for (TestEngine side : List.of(alice, restored)) {
                    PeerId other = side == alice ? bob.peerId() : alice.peerId();
                    ChatMessage notice = side.events.all(EngineEvent.SessionRenewed.class).getFirst().notice()
                            .orElseThrow();
                    assertThat(notice.notice()).contains(ChatNotice.SESSION_RENEWED);
                    assertThat(side.engine.history().newest(other, 100).messages())
                            .as("one stored notice line, not one per message sealed again")
                            .filteredOn(message -> message.notice().isPresent()).singleElement()
                            .satisfies(stored -> assertThat(stored.text()).isEqualTo("Secure session renewed"))
                            .isEqualTo(notice);
                    assertThat(side.engine.history().search("session renewed", 10))
                            .as("a notice is not found by the words of its encoding").isEmpty();
                }
                assertThat(restored.events.all(EngineEvent.MessageReceived.class)).hasSize(1);
                assertThat(alice.engine.contacts().safetyNumber(bob.peerId()).toString())
                        .as("the safety number stays").isEqualTo(safetyNumber);
                assertThat(restored.engine.contacts().safetyNumber(alice.peerId()).toString()).isEqualTo(safetyNumber);
            }
        }
    }
}
