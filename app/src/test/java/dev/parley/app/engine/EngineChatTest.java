package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.app.engine.api.SearchResult;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.MessageId;
import dev.parley.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two engines on loopback, contacts of each other, chatting: real sockets, real SQLite files, real Tink. */
class EngineChatTest extends TwoContactsTest {

    @Test
    void messagesGoBothWaysInOrderAndAreDelivered() throws Exception {
        List<MessageId> fromAlice = new ArrayList<>();
        for (String text : List.of("hello Bob", "how are you?", "café ☕ tomorrow?")) {
            fromAlice.add(alice.engine.chat().send(bob.peerId(), text));
        }
        List<EngineEvent.MessageReceived> atBob = bob.events.await(EngineEvent.MessageReceived.class, 3);
        bob.engine.chat().send(alice.peerId(), "fine, thanks");
        bob.engine.chat().send(alice.peerId(), "yes!");
        List<EngineEvent.MessageReceived> atAlice = alice.events.await(EngineEvent.MessageReceived.class, 2);

        assertThat(atBob).extracting(event -> event.message().text())
                .containsExactly("hello Bob", "how are you?", "café ☕ tomorrow?");
        assertThat(atBob).extracting(event -> event.message().id()).containsExactlyElementsOf(fromAlice);
        assertThat(atBob).allSatisfy(event -> {
            assertThat(event.message().peer()).isEqualTo(alice.peerId());
            assertThat(event.message().outgoing()).isFalse();
            assertThat(event.senderName()).isEqualTo("Alice");
        });
        assertThat(atAlice).extracting(event -> event.message().text()).containsExactly("fine, thanks", "yes!");

        assertThat(alice.events.await(EngineEvent.Delivered.class, 3)).extracting(EngineEvent.Delivered::id)
                .containsExactlyInAnyOrderElementsOf(fromAlice);
        List<ChatMessage> history = alice.engine.history().newest(bob.peerId(), 10).messages();
        assertThat(history).extracting(ChatMessage::text)
                .containsExactly("hello Bob", "how are you?", "café ☕ tomorrow?", "fine, thanks", "yes!");
        assertThat(history).extracting(ChatMessage::outgoing).containsExactly(true, true, true, false, false);
        assertThat(history.subList(0, 3)).extracting(ChatMessage::status).containsOnly(MessageStatus.DELIVERED);
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("hello Bob", "how are you?", "café ☕ tomorrow?", "fine, thanks", "yes!");
    }

    @Test
    void historyPagesBackwards() throws Exception {
        for (int i = 1; i <= 7; i++) {
            alice.engine.chat().send(bob.peerId(), "message " + i);
        }
        bob.events.await(EngineEvent.MessageReceived.class, 7);

        HistoryPage newest = bob.engine.history().newest(alice.peerId(), 3);
        HistoryPage older = bob.engine.history().before(alice.peerId(), newest.older().orElseThrow(), 3);
        HistoryPage oldest = bob.engine.history().before(alice.peerId(), older.older().orElseThrow(), 3);

        assertThat(newest.messages()).extracting(ChatMessage::text).containsExactly("message 5", "message 6", "message 7");
        assertThat(older.messages()).extracting(ChatMessage::text).containsExactly("message 2", "message 3", "message 4");
        assertThat(oldest.messages()).extracting(ChatMessage::text).containsExactly("message 1");
        assertThat(oldest.older()).isEmpty();
    }

    @Test
    void searchFindsMessagesOfEitherSide() throws Exception {
        alice.engine.chat().send(bob.peerId(), "the blue bicycle is fixed");
        alice.engine.chat().send(bob.peerId(), "a red one too");
        bob.events.await(EngineEvent.MessageReceived.class, 2);

        List<SearchResult> atBob = bob.engine.history().search("bicycle", 10);
        List<SearchResult> atAlice = alice.engine.history().search("red", 10);

        assertThat(atBob).singleElement().satisfies(hit -> {
            assertThat(hit.peer()).isEqualTo(alice.peerId());
            assertThat(hit.outgoing()).isFalse();
            assertThat(hit.snippet().text()).contains("bicycle");
        });
        assertThat(atAlice).singleElement().satisfies(hit -> {
            assertThat(hit.peer()).isEqualTo(bob.peerId());
            assertThat(hit.outgoing()).as("Alice wrote it").isTrue();
        });
    }

    @Test
    void readReceiptsReachTheSender() throws Exception {
        MessageId first = alice.engine.chat().send(bob.peerId(), "one");
        MessageId second = alice.engine.chat().send(bob.peerId(), "two");
        bob.events.await(EngineEvent.MessageReceived.class, 2);

        assertThat(bob.engine.chat().markRead(alice.peerId())).isEqualTo(2);
        assertThat(bob.engine.chat().markRead(alice.peerId())).as("nothing is unread any more").isZero();

        EngineEvent.Read read = alice.events.await(EngineEvent.Read.class, event -> event.ids().size() == 2);
        assertThat(read.peer()).isEqualTo(bob.peerId());
        assertThat(read.ids()).containsExactly(first, second);
        assertThat(alice.engine.history().newest(bob.peerId(), 10).messages()).extracting(ChatMessage::status)
                .containsOnly(MessageStatus.READ);
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::status)
                .containsOnly(MessageStatus.READ);
        alice.awaitOutboxEmptyFor(bob.peerId());
        bob.awaitOutboxEmptyFor(alice.peerId());
        assertThat(alice.events.all(EngineEvent.Read.class)).hasSize(1);
    }

    @Test
    void typingReachesAConnectedContactAtMostOnceInThreeSeconds() throws Exception {
        alice.engine.chat().send(bob.peerId(), "connect first");
        bob.events.await(EngineEvent.MessageReceived.class, 1);

        // Held, so that a loaded machine taking 100 ms between two calls does not move the interval on.
        aliceElapsed.hold();
        assertThat(alice.engine.chat().typing(bob.peerId())).isTrue();
        assertThat(alice.engine.chat().typing(bob.peerId())).isFalse();
        aliceElapsed.step(Chat.TYPING_INTERVAL.minusMillis(100));
        assertThat(alice.engine.chat().typing(bob.peerId())).as("just before the interval is up").isFalse();
        aliceElapsed.step(Duration.ofMillis(100));
        assertThat(alice.engine.chat().typing(bob.peerId())).as("once it is up").isTrue();
        aliceElapsed.release();

        List<EngineEvent.Typing> typing = bob.events.await(EngineEvent.Typing.class, 2);
        assertThat(typing).extracting(EngineEvent.Typing::peer).containsOnly(alice.peerId());
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).hasSize(1);
    }

    @Test
    void typingToAPeerThatIsNotConnectedSendsNothing() throws Exception {
        bob.close();
        while (alice.engine.host().connection(bob.peerId()).isPresent()) {
            Thread.sleep(10);
        }

        assertThat(alice.engine.chat().typing(bob.peerId())).isFalse();
        assertThat(alice.engine.deliveredEverythingTo(bob.peerId())).as("typing is never queued").isTrue();
    }

    @Test
    void presenceFollowsTheConnection() throws Exception {
        alice.engine.chat().send(bob.peerId(), "hi");
        alice.events.await(EngineEvent.Presence.class, event -> event.peer().equals(bob.peerId()) && event.online());
        assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().online()).isTrue();

        bob.close();

        alice.events.await(EngineEvent.Presence.class, event -> event.peer().equals(bob.peerId()) && !event.online());
        ContactInfo seen = alice.engine.contacts().get(bob.peerId()).orElseThrow();
        assertThat(seen.online()).isFalse();
        assertThat(seen.lastSeen()).isPresent();
    }

    @Test
    void connectionEventsSayHowAContactIsConnectedAndWhenItIsNot() throws Exception {
        alice.engine.chat().send(bob.peerId(), "hi");
        EngineEvent.ConnectionChanged connected = alice.events.await(EngineEvent.ConnectionChanged.class,
                event -> event.peer().equals(bob.peerId()) && event.connection().isPresent());
        ConnectionInfo info = connected.connection().orElseThrow();
        assertThat(info.path()).as("loopback is the local network").isEqualTo(ConnectionInfo.Path.LAN);
        assertThat(info.remoteAddress().isLoopback()).isTrue();
        assertThat(info.roundTrip()).isPresent();

        bob.close();

        alice.events.await(EngineEvent.ConnectionChanged.class,
                event -> event.peer().equals(bob.peerId()) && event.connection().isEmpty());
    }

    @Test
    void theProfileProtocolServesTheSignedCard() throws Exception {
        Connection connection = alice.engine.host().connect(bob.peerId());

        ContactCard card = ProfileProtocol.fetch(connection);

        assertThat(card.peerId()).isEqualTo(bob.peerId());
        assertThat(card.displayName()).isEqualTo("Bob");
        assertThat(card).isEqualTo(bob.engine.card());
    }

    @Test
    void aRenameReachesAConnectedContactOnTheConnectionAlreadyOpen() throws Exception {
        alice.engine.chat().send(bob.peerId(), "hi");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        Connection open = alice.engine.host().connection(bob.peerId()).orElseThrow();

        bob.engine.setDisplayName("Robert");

        EngineEvent.ContactUpdated renamed = alice.events.await(EngineEvent.ContactUpdated.class,
                event -> event.contact().name().equals("Robert"));
        assertThat(renamed.contact().peer()).isEqualTo(bob.peerId());
        assertThat(alice.engine.host().connection(bob.peerId())).as("no new connection was needed").contains(open);
        assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().name()).isEqualTo("Robert");
    }

    @Test
    void aPushedCardIsTakenOnlyFromItsOwnPeer() throws Exception {
        Identity carol = Identity.generate();
        bob.engine.contacts().add(InviteCode.create(ContactCard.create(carol, "Carol"), List.of()).toText());
        Connection toBob = alice.engine.host().connect(bob.peerId());

        assertThatThrownBy(() -> ProfileProtocol.push(toBob, ContactCard.create(carol, "Mallory")))
                .as("Alice pushing a card of Carol's is refused").isInstanceOf(IOException.class);

        assertThat(bob.engine.contacts().get(carol.peerId()).orElseThrow().name()).isEqualTo("Carol");
        assertThat(bob.engine.contacts().get(alice.peerId()).orElseThrow().name()).isEqualTo("Alice");
    }

    @Test
    void nearbyPeersShowTheirNameAndCanBeAdded() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            alice.engine.nearby().found(carol.peerId(), carol.engine.listenAddresses());

            EngineEvent.Nearby found = alice.events.await(EngineEvent.Nearby.class, 1).getFirst();
            assertThat(found.peer().peer()).isEqualTo(carol.peerId());
            assertThat(found.peer().name()).isEqualTo("Carol");
            assertThat(alice.engine.nearby().peers()).extracting(NearbyPeer::name).containsExactly("Carol");

            ContactInfo added = alice.engine.nearby().add(carol.peerId());
            assertThat(added.status()).isEqualTo(ContactStatus.ACCEPTED);
            assertThat(alice.engine.contacts().accepted()).extracting(ContactInfo::name)
                    .containsExactly("Bob", "Carol");

            alice.engine.nearby().gone(carol.peerId());
            assertThat(alice.events.await(EngineEvent.NearbyGone.class, 1).getFirst().peer()).isEqualTo(carol.peerId());
            assertThat(alice.engine.nearby().peers()).isEmpty();
        }
    }

    @Test
    void whatCannotBeDoneIsAClearError() {
        assertThatThrownBy(() -> alice.engine.chat().send(bob.peerId(), "  "))
                .isInstanceOf(EngineException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> alice.engine.chat().send(bob.peerId(), "x".repeat(64 * 1024 + 1)))
                .isInstanceOf(EngineException.class).hasMessageContaining("65537 bytes");
        assertThatThrownBy(() -> alice.engine.contacts().add("parley:NOTACODE"))
                .isInstanceOf(EngineException.class).hasMessageContaining("not a valid invite code");
        assertThatThrownBy(() -> alice.engine.contacts().add(alice.engine.invite()))
                .isInstanceOf(EngineException.class).hasMessageContaining("your own invite code");
        assertThatThrownBy(() -> alice.engine.nearby().add(bob.peerId()))
                .isInstanceOf(EngineException.class).hasMessageContaining("not among the peers nearby");
    }
}
