package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.outgoing;
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

    private MessageState stateOf(String id) {
        return store.messages().get(id).orElseThrow().state();
    }

    @Test
    void theMessageStateFollowsTheReceipts() {
        assertThat(store.receipts().record(new Receipt("o", ALICE, ReceiptKind.DELIVERED, T0)))
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(stateOf("o")).isEqualTo(MessageState.DELIVERED);
        store.receipts().record(new Receipt("o", ALICE, ReceiptKind.READ, T0.plusSeconds(1)));
        assertThat(stateOf("o")).isEqualTo(MessageState.READ);
        assertThat(store.receipts().forMessage("o")).extracting(Receipt::kind)
                .containsExactly(ReceiptKind.DELIVERED, ReceiptKind.READ);
    }

    @Test
    void aLateDeliveredReceiptDoesNotUndoRead() {
        store.receipts().record(new Receipt("o", ALICE, ReceiptKind.READ, T0));
        store.receipts().record(new Receipt("o", "12D3KooWBob", ReceiptKind.DELIVERED, T0.plusSeconds(1)));
        assertThat(stateOf("o")).isEqualTo(MessageState.READ);
        assertThat(store.receipts().forMessage("o")).hasSize(2);
    }

    @Test
    void aRepeatedReceiptIsADuplicate() {
        Receipt receipt = new Receipt("o", ALICE, ReceiptKind.DELIVERED, T0);
        store.receipts().record(receipt);
        assertThat(store.receipts().record(receipt)).isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.receipts().forMessage("o")).containsExactly(receipt);
    }

    @Test
    void aReceiptForAnIncomingMessageLeavesItsReadStateToTheUser() {
        store.messages().insert(incoming(CHAT, "i", 2, "hi"));
        store.receipts().record(new Receipt("i", ALICE, ReceiptKind.READ, T0));
        assertThat(stateOf("i")).isEqualTo(MessageState.RECEIVED);
    }

    @Test
    void aReceiptForAnUnknownMessageNamesIt() {
        assertThatThrownBy(() -> store.receipts().record(new Receipt("never-sent", ALICE, ReceiptKind.READ, T0)))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.entity()).isEqualTo(NotFoundException.Entity.MESSAGE))
                .hasMessageContaining("never-sent");
    }
}
