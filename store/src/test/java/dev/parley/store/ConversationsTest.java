package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.outgoing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationsTest extends StoreOnDisk {
    @BeforeEach
    void addConversations() {
        TestData.addAliceChat(store);
    }

    @Test
    void conversationsAreFoundByIdPeerAndRoom() {
        Conversation room = Conversation.room("room-chat", "room-1", "Climbing", T0);
        assertThat(store.conversations().create(room)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.conversations().create(room)).isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.conversations().get("room-chat")).contains(room);
        assertThat(store.conversations().forRoom("room-1")).contains(room);
        assertThat(store.conversations().direct(ALICE).map(Conversation::id)).contains(CHAT);
        assertThat(store.conversations().get("nothing")).isEmpty();
    }

    @Test
    void aDirectConversationNeedsAStoredContactAndOnlyOneExistsPerPeer() {
        assertThatThrownBy(() -> store.conversations().create(Conversation.direct("c2", "12D3KooWBob", "Bob", T0)))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.entity()).isEqualTo(NotFoundException.Entity.CONTACT))
                .hasMessageContaining("12D3KooWBob");
        assertThatThrownBy(() -> store.conversations().create(Conversation.direct("c3", ALICE, "Alice", T0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("peer " + ALICE + " already has conversation " + CHAT);
    }

    @Test
    void aConversationMustNameExactlyItsPeerOrRoom() {
        assertThatThrownBy(() -> new Conversation("c", ConversationKind.DIRECT, null, "room", "t", T0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must name exactly a peer");
        assertThatThrownBy(() -> new Conversation("c", ConversationKind.ROOM, ALICE, "room", "t", T0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must name exactly a room");
    }

    @Test
    void theListShowsTheNewestMessageUnreadCountAndMostRecentActivityFirst() {
        store.conversations().create(Conversation.room("quiet", "room-q", "Quiet room", T0.plusSeconds(5)));
        store.conversations().create(Conversation.room("busy", "room-b", "Busy room", T0));
        store.messages().insertAll(List.of(incoming(CHAT, "a1", 100, "hi"), incoming(CHAT, "a2", 200, "there"),
                outgoing("busy", "b1", 50_000, "mine")));

        List<ConversationSummary> list = store.conversations().list();

        assertThat(list).extracting(s -> s.conversation().id()).containsExactly("busy", "quiet", CHAT);
        ConversationSummary busy = list.getFirst();
        assertThat(busy.lastMessage().map(StoredMessage::id)).contains("b1");
        assertThat(busy.unread()).isZero();
        assertThat(busy.lastActivity()).isEqualTo(T0.plusMillis(50_000));
        ConversationSummary quiet = list.get(1);
        assertThat(quiet.lastMessage()).isEmpty();
        assertThat(quiet.lastActivity()).isEqualTo(T0.plusSeconds(5));
        ConversationSummary alice = list.get(2);
        assertThat(alice.lastMessage().map(StoredMessage::body)).contains("there");
        assertThat(alice.unread()).isEqualTo(2);
        assertThat(alice.lastActivity()).isEqualTo(T0.plusMillis(201));
    }

    @Test
    void renaming() {
        store.conversations().rename(CHAT, "Alice (work)");
        assertThat(store.conversations().get(CHAT).map(Conversation::title)).contains("Alice (work)");
        assertThatThrownBy(() -> store.conversations().rename("nope", "x")).isInstanceOf(NotFoundException.class);
    }

    /** Nothing in the app deletes a conversation; the schema's cascades take what refers to it if anything does. */
    @Test
    void aDeletedConversationTakesItsMessagesReceiptsAndSearchEntriesWithIt() throws Exception {
        store.messages().insert(outgoing(CHAT, "m", 1, "searchable words"));
        store.receipts().record(TestData.mine("m"), new Receipt(ALICE, ReceiptKind.DELIVERED, T0));

        SchemaFiles.deleteConversation(file(), CHAT);

        assertThat(store.conversations().get(CHAT)).isEmpty();
        assertThat(store.messages().get(TestData.mine("m"))).isEmpty();
        assertThat(SchemaFiles.query(file(), "SELECT count(*) FROM receipts"))
                .containsExactly("0");
        assertThat(store.search().search("searchable", 10)).isEmpty();
    }
}
