package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the desktop app asks of the engine beyond chatting: the conversation list, paging both ways, contact info. */
class EngineForTheAppTest extends TwoContactsTest {

    @Test
    void theConversationListShowsTheNewestMessageAndWhatIsUnread() throws Exception {
        TestEngine carol = TestEngine.start(temp, "Carol");
        try {
            TestEngine.befriend(alice, carol);
            alice.engine.chat().send(bob.peerId(), "to Bob");
            bob.engine.chat().send(alice.peerId(), "from Bob 1");
            bob.engine.chat().send(alice.peerId(), "from Bob 2");
            alice.events.await(EngineEvent.MessageReceived.class, 2);
            Thread.sleep(5);
            carol.engine.chat().send(alice.peerId(), "from Carol");
            alice.events.await(EngineEvent.MessageReceived.class, 3);

            List<ConversationOverview> list = alice.engine.history().conversations();
            assertThat(list).extracting(o -> o.contact().name()).containsExactly("Carol", "Bob");
            assertThat(list).extracting(o -> o.lastMessage().orElseThrow().text()).containsExactly("from Carol", "from Bob 2");
            assertThat(list).extracting(ConversationOverview::unread).containsExactly(1, 2);

            alice.engine.chat().markRead(bob.peerId());
            assertThat(alice.engine.history().conversations()).extracting(ConversationOverview::unread)
                    .containsExactly(1, 0);
        } finally {
            carol.close();
        }
    }

    @Test
    void historyOpensAroundAMessageAndPagesBothWays() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(alice.engine.chat().send(bob.peerId(), "message " + i));
        }
        bob.events.await(EngineEvent.MessageReceived.class, 20);

        HistoryPage alone = bob.engine.history().around(alice.peerId(), ids.get(9), 1);
        assertThat(alone.messages()).extracting(ChatMessage::text).containsExactly("message 10");

        HistoryPage around = bob.engine.history().around(alice.peerId(), ids.get(9), 5);
        assertThat(around.messages()).extracting(ChatMessage::text)
                .containsExactly("message 8", "message 9", "message 10", "message 11", "message 12");
        HistoryPage newer = bob.engine.history().after(alice.peerId(), around.newer().orElseThrow(), 10);
        assertThat(newer.messages()).extracting(ChatMessage::text).containsExactly("message 13", "message 14",
                "message 15", "message 16", "message 17", "message 18", "message 19", "message 20");
        assertThat(newer.newer()).isEmpty();
        HistoryPage older = bob.engine.history().before(alice.peerId(), around.older().orElseThrow(), 10);
        assertThat(older.messages()).extracting(ChatMessage::text).containsExactly("message 1", "message 2",
                "message 3", "message 4", "message 5", "message 6", "message 7");
        assertThat(older.older()).isEmpty();
        assertThat(bob.engine.history().newest(alice.peerId(), 3).newer()).isEmpty();

        TestEngine carol = TestEngine.start(temp, "Carol");
        try {
            TestEngine.befriend(bob, carol);
            assertThatThrownBy(() -> bob.engine.history().around(carol.peerId(), ids.get(0), 5))
                    .isInstanceOf(EngineException.class).hasMessageContaining("is not in the conversation");
        } finally {
            carol.close();
        }
    }

    @Test
    void bothSidesComputeTheSameSafetyNumber() throws Exception {
        assertThat(alice.engine.contacts().safetyNumber(bob.peerId()).groups()).hasSize(12)
                .isEqualTo(bob.engine.contacts().safetyNumber(alice.peerId()).groups());
    }

    @Test
    void aLoopbackConnectionIsOnTheLanWithAMeasuredRoundTrip() throws Exception {
        alice.engine.chat().send(bob.peerId(), "connect");
        bob.events.await(EngineEvent.MessageReceived.class, 1);

        ConnectionInfo info = alice.engine.contacts().connection(bob.peerId()).orElseThrow();
        assertThat(info.path()).isEqualTo(ConnectionInfo.Path.LAN);
        assertThat(info.roundTrip().orElseThrow()).isPositive().isLessThan(Duration.ofSeconds(5));
        assertThat(info.remoteAddress().toString()).startsWith("/ip4/127.0.0.1/tcp/");
    }

    @Test
    void contactChangesMadeThroughTheApiAreReportedToEverySubscriber() throws Exception {
        bob.engine.contacts().block(alice.peerId());
        bob.events.await(EngineEvent.ContactUpdated.class,
                event -> event.contact().peer().equals(alice.peerId()) && event.contact().status() == ContactStatus.BLOCKED);
        bob.engine.contacts().accept(alice.peerId());
        bob.events.await(EngineEvent.ContactUpdated.class,
                event -> event.contact().peer().equals(alice.peerId()) && event.contact().status() == ContactStatus.ACCEPTED);
    }

    @Test
    void pathsAreToldApartByAddress() {
        assertThat(ConnectionWatcher.pathOf(Multiaddr.parse("/ip4/10.200.1.2/tcp/4001")))
                .isEqualTo(ConnectionInfo.Path.LAN);
        assertThat(ConnectionWatcher.pathOf(Multiaddr.parse("/ip6/fe80::1/tcp/4001")))
                .isEqualTo(ConnectionInfo.Path.LAN);
        assertThat(ConnectionWatcher.pathOf(Multiaddr.parse("/ip4/203.0.113.7/tcp/4001")))
                .isEqualTo(ConnectionInfo.Path.DIRECT);
        assertThat(ConnectionWatcher.pathOf(Multiaddr.parse("/ip6/2001:db8::7/tcp/4001")))
                .isEqualTo(ConnectionInfo.Path.DIRECT);
    }

    @Test
    void aRenameReachesContactsWhenTheyNextConnect() throws Exception {
        alice.engine.chat().send(bob.peerId(), "hi");
        bob.events.await(EngineEvent.MessageReceived.class, 1);

        bob.engine.setDisplayName("Robert");
        assertThat(bob.engine.card().displayName()).isEqualTo("Robert");
        // Both may have dialled: every connection between them goes, so the next message opens a new one.
        while (alice.engine.host().connection(bob.peerId()).isPresent()) {
            alice.engine.host().connection(bob.peerId()).get().close();
        }
        alice.engine.chat().send(bob.peerId(), "still there?");

        alice.events.await(EngineEvent.ContactUpdated.class, event -> event.contact().name().equals("Robert"));
        assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().name()).isEqualTo("Robert");
        assertThatThrownBy(() -> bob.engine.setDisplayName(" ")).isInstanceOf(EngineException.class);
    }
}
