package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.fromAlice;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.mine;
import static dev.parley.store.TestData.outgoing;
import static dev.parley.store.TestData.receipts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReceiptsTest extends StoreOnDisk {
    @BeforeEach
    void addConversations() {
        TestData.addAliceChat(store);
        store.messages().insert(outgoing(CHAT, "o", 1, "hello"));
    }

    private MessageState stateOf(MessageKey message) {
        return store.messages().get(message).orElseThrow().state();
    }

    @Test
    void theMessageStateFollowsTheReceipts() {
        assertThat(store.receipts().record(mine("o"), new Receipt(ALICE, ReceiptKind.DELIVERED, T0)))
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(stateOf(mine("o"))).isEqualTo(MessageState.DELIVERED);
        store.receipts().record(mine("o"), new Receipt(ALICE, ReceiptKind.READ, T0.plusSeconds(1)));
        assertThat(stateOf(mine("o"))).isEqualTo(MessageState.READ);
        assertThat(receipts(store, mine("o"))).extracting(Receipt::kind)
                .containsExactly(ReceiptKind.DELIVERED, ReceiptKind.READ);
    }

    @Test
    void aLateDeliveredReceiptDoesNotUndoRead() {
        store.receipts().record(mine("o"), new Receipt(ALICE, ReceiptKind.READ, T0));
        store.receipts().record(mine("o"), new Receipt("12D3KooWBob", ReceiptKind.DELIVERED, T0.plusSeconds(1)));
        assertThat(stateOf(mine("o"))).isEqualTo(MessageState.READ);
        assertThat(receipts(store, mine("o"))).hasSize(2);
    }

    @Test
    void aRepeatedReceiptIsADuplicate() {
        Receipt receipt = new Receipt(ALICE, ReceiptKind.DELIVERED, T0);
        store.receipts().record(mine("o"), receipt);
        assertThat(store.receipts().record(mine("o"), receipt)).isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(receipts(store, mine("o"))).containsExactly(receipt);
    }

    @Test
    void aReceiptForAnIncomingMessageLeavesItsReadStateToTheUser() {
        store.messages().insert(incoming(CHAT, "i", 2, "hi"));
        store.receipts().record(fromAlice("i"), new Receipt(ALICE, ReceiptKind.READ, T0));
        assertThat(stateOf(fromAlice("i"))).isEqualTo(MessageState.RECEIVED);
    }

    @Test
    void aReceiptReachesOnlyTheMessageItIsForNotOthersOfTheSameId() {
        store.conversations().create(Conversation.room("chat-room", "room-1", "Climbing", T0));
        StoredMessage inTheRoom = outgoing("chat-room", "o", 2, "the same id in a room");
        store.messages().insert(inTheRoom);
        store.messages().insert(incoming(CHAT, "o", 3, "Alice's copy of our id"));

        store.receipts().record(mine("o"), new Receipt(ALICE, ReceiptKind.READ, T0));

        assertThat(stateOf(mine("o"))).isEqualTo(MessageState.READ);
        assertThat(stateOf(inTheRoom.key())).isEqualTo(MessageState.SENDING);
        assertThat(receipts(store, inTheRoom.key())).isEmpty();
        assertThat(receipts(store, fromAlice("o"))).isEmpty();
        assertThatThrownBy(() -> store.receipts().record(new MessageKey(CHAT, "12D3KooWMallory", "o"),
                new Receipt(ALICE, ReceiptKind.READ, T0))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("o from 12D3KooWMallory in " + CHAT);
    }

    @Test
    void aReceiptForAnUnknownMessageNamesIt() {
        assertThatThrownBy(() -> store.receipts().record(mine("never-sent"), new Receipt(ALICE, ReceiptKind.READ, T0)))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.entity()).isEqualTo(NotFoundException.Entity.MESSAGE))
                .hasMessageContaining("never-sent");
    }
}
