package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.crypto.MessageId;
import dev.parley.transport.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests, blocking, and delivery across restarts and broken connections: nothing lost, nothing twice. */
class EngineDeliveryTest {
    @TempDir
    Path temp;

    @Test
    void aStrangersFirstMessageIsARequestUntilAccepted() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            alice.engine.contacts().add(bob.engine.invite());

            MessageId hello = alice.engine.chat().send(bob.peerId(), "hello, we met at the conference");
            MessageId again = alice.engine.chat().send(bob.peerId(), "it's Alice");

            EngineEvent.Request request = bob.events.await(EngineEvent.Request.class, 1).getFirst();
            assertThat(request.peer()).isEqualTo(alice.peerId());
            assertThat(request.name()).isEqualTo("Alice");
            assertThat(request.message().text()).isEqualTo("hello, we met at the conference");
            assertThat(request.message().id()).isEqualTo(hello);
            assertThat(bob.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().id()).isEqualTo(again);
            assertThat(bob.engine.contacts().requests()).extracting(ContactInfo::peer).containsExactly(alice.peerId());
            assertThat(bob.engine.contacts().accepted()).isEmpty();
            assertThatThrownBy(() -> bob.engine.chat().send(alice.peerId(), "who?"))
                    .isInstanceOf(EngineException.class).hasMessageContaining("accept the request");

            ContactInfo accepted = bob.engine.contacts().accept(alice.peerId());

            assertThat(accepted.status()).isEqualTo(ContactStatus.ACCEPTED);
            assertThat(bob.engine.contacts().requests()).isEmpty();
            assertThat(bob.engine.contacts().accepted()).extracting(ContactInfo::name).containsExactly("Alice");
            bob.engine.chat().send(alice.peerId(), "oh hi Alice");
            assertThat(alice.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                    .isEqualTo("oh hi Alice");
            assertThat(bob.events.all(EngineEvent.Request.class)).hasSize(1);
        }
    }

    @Test
    void aRequestReadBeforeItIsAcceptedSendsItsReadReceiptsOnAccept() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            alice.engine.contacts().add(bob.engine.invite());
            MessageId hello = alice.engine.chat().send(bob.peerId(), "hello, we met at the conference");
            MessageId again = alice.engine.chat().send(bob.peerId(), "it's Alice");
            bob.events.await(EngineEvent.Request.class, 1);
            bob.events.await(EngineEvent.MessageReceived.class, 1);

            assertThat(bob.engine.chat().markRead(alice.peerId())).as("Bob looks at the request").isEqualTo(2);
            bob.awaitOutboxEmptyFor(alice.peerId());
            assertThat(alice.events.all(EngineEvent.Read.class)).as("no receipt goes to a stranger").isEmpty();

            bob.engine.contacts().accept(alice.peerId());

            EngineEvent.Read read = alice.events.await(EngineEvent.Read.class, event -> event.ids().size() == 2);
            assertThat(read.peer()).isEqualTo(bob.peerId());
            assertThat(read.ids()).containsExactlyInAnyOrder(hello, again);
            assertThat(alice.engine.history().newest(bob.peerId(), 10).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.READ);

            MessageId later = alice.engine.chat().send(bob.peerId(), "thanks for accepting");
            bob.events.await(EngineEvent.MessageReceived.class, 2);
            assertThat(bob.engine.chat().markRead(alice.peerId())).isEqualTo(1);
            assertThat(alice.events.await(EngineEvent.Read.class, event -> event.ids().contains(later)).ids())
                    .as("what was read already is not sent again").containsExactly(later);
        }
    }

    @Test
    void undeliveredCountsOurMessagesThatWaitForAContactUntilTheyAreDelivered() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice")) {
            TestEngine bob = TestEngine.start(temp, "Bob");
            TestEngine.befriend(alice, bob);
            bob.close();
            alice.engine.chat().send(bob.peerId(), "are you there?");
            alice.engine.chat().send(bob.peerId(), "hello?");

            assertThat(alice.engine.chat().undelivered())
                    .containsExactly(new Chat.Undelivered(bob.peerId(), "Bob", 2));

            try (TestEngine bobAgain = bob.restart()) {
                alice.awaitOutboxEmptyFor(bobAgain.peerId());
                assertThat(alice.engine.chat().undelivered()).isEmpty();
            }
        }
    }

    @Test
    void aBlockedPeersMessagesAreAcknowledgedAndDropped() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "before the block");
            bob.events.await(EngineEvent.MessageReceived.class, 1);

            assertThat(bob.engine.contacts().block(alice.peerId()).status()).isEqualTo(ContactStatus.BLOCKED);
            for (int i = 0; i < 3; i++) {
                alice.engine.chat().send(bob.peerId(), "blocked " + i);
            }
            alice.engine.chat().typing(bob.peerId());

            alice.awaitOutboxEmptyFor(bob.peerId());
            assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::text)
                    .containsExactly("before the block");
            assertThat(bob.events.all(EngineEvent.MessageReceived.class)).hasSize(1);
            assertThat(bob.events.all(EngineEvent.Typing.class)).isEmpty();
            assertThat(bob.events.all(EngineEvent.Request.class)).isEmpty();
            assertThat(bob.engine.contacts().blocked()).extracting(ContactInfo::peer).containsExactly(alice.peerId());
        }
    }

    @Test
    void aStrangerBlockedBeforeWritingIsDroppedToo() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            alice.engine.contacts().add(bob.engine.invite());
            bob.engine.contacts().block(alice.peerId());

            alice.engine.chat().send(bob.peerId(), "let me in");

            alice.awaitOutboxEmptyFor(bob.peerId());
            assertThat(bob.engine.contacts().requests()).isEmpty();
            assertThat(bob.events.all(EngineEvent.Request.class)).isEmpty();
            assertThatThrownBy(() -> bob.engine.contacts().accept(alice.peerId()))
                    .isInstanceOf(EngineException.class).hasMessageContaining("invite code");
        }
    }

    @Test
    void messagesQueuedWhileThePeerIsOfflineArriveOnceInOrderAfterItRestarts() throws Exception {
        TestEngine alice = TestEngine.start(temp, "Alice");
        TestEngine bob = TestEngine.start(temp, "Bob");
        try (alice) {
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "are you there?");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.close();

            List<MessageId> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                queued.add(alice.engine.chat().send(bob.peerId(), "offline " + i));
            }
            assertThat(alice.engine.history().newest(bob.peerId(), 5).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.SENDING);

            try (TestEngine bobAgain = bob.restart()) {
                List<EngineEvent.MessageReceived> received = bobAgain.events.await(EngineEvent.MessageReceived.class, 5);
                assertThat(received).extracting(event -> event.message().text())
                        .containsExactly("offline 1", "offline 2", "offline 3", "offline 4", "offline 5");
                assertThat(alice.events.await(EngineEvent.Delivered.class, 6)).extracting(EngineEvent.Delivered::id)
                        .containsAll(queued);
                alice.awaitOutboxEmptyFor(bob.peerId());
                assertThat(bobAgain.events.all(EngineEvent.MessageReceived.class)).hasSize(5);
                assertThat(bobAgain.engine.history().newest(alice.peerId(), 10).messages())
                        .extracting(ChatMessage::text).containsExactly("are you there?", "offline 1", "offline 2",
                                "offline 3", "offline 4", "offline 5");
                assertThat(bobAgain.engine.contacts().accepted()).extracting(ContactInfo::name)
                        .containsExactly("Alice");
            }
        }
    }

    @Test
    void aQueueSurvivesBothSidesRestarting() throws Exception {
        TestEngine alice = TestEngine.start(temp, "Alice");
        TestEngine bob = TestEngine.start(temp, "Bob");
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "first");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        bob.close();
        MessageId kept = alice.engine.chat().send(bob.peerId(), "kept while Bob was away");
        alice.close();

        try (TestEngine bobAgain = bob.restart(); TestEngine aliceAgain = alice.restart()) {
            EngineEvent.MessageReceived received = bobAgain.events.await(EngineEvent.MessageReceived.class, 1).getFirst();
            assertThat(received.message().id()).isEqualTo(kept);
            assertThat(received.message().text()).isEqualTo("kept while Bob was away");
            aliceAgain.events.await(EngineEvent.Delivered.class, event -> event.id().equals(kept));
            aliceAgain.awaitOutboxEmptyFor(bob.peerId());
        }
    }

    @Test
    void aBurstSurvivesConnectionsBrokenOverAndOverAndArrivesExactlyOnce() throws Exception {
        int count = 500;
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            TestEngine.befriend(alice, bob);
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger breaks = new AtomicInteger();
            Thread breaker = Thread.ofVirtual().start(() -> {
                while (sending.get() || breaks.get() < 10) {
                    try {
                        Thread.sleep(Duration.ofMillis(40));
                    } catch (InterruptedException e) {
                        return;
                    }
                    TestEngine side = breaks.incrementAndGet() % 2 == 0 ? alice : bob;
                    side.engine.host().connections().forEach(Connection::close);
                }
            });
            List<CompletableFuture<MessageId>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(alice.engine.chat().sendAsync(bob.peerId(), "burst " + i));
            }
            List<MessageId> ids = sent.stream().map(CompletableFuture::join).toList();
            sending.set(false);
            breaker.join();

            alice.events.await(EngineEvent.Delivered.class, count, Duration.ofSeconds(60));
            List<EngineEvent.MessageReceived> received = bob.events.await(EngineEvent.MessageReceived.class, count);
            alice.awaitOutboxEmptyFor(bob.peerId());

            assertThat(breaks.get()).isGreaterThanOrEqualTo(10);
            assertThat(received).hasSize(count);
            assertThat(new HashSet<>(received.stream().map(event -> event.message().id()).toList()))
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(alice.events.all(EngineEvent.Delivered.class)).extracting(EngineEvent.Delivered::id)
                    .containsExactlyInAnyOrderElementsOf(ids);
            List<ChatMessage> history = bob.engine.history().newest(alice.peerId(), 1000).messages();
            assertThat(history).extracting(ChatMessage::text)
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "burst " + i).toList());
            assertThat(alice.engine.history().newest(bob.peerId(), 1000).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.DELIVERED);
        }
    }
}
