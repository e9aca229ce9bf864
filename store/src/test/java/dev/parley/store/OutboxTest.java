package dev.parley.store;

import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest extends StoreOnDisk {
    @Test
    void pendingEnvelopesComeInTheOrderTheyWereQueued() {
        // Later ids sort first and the times are equal: only the queueing order can give this order.
        store.outbox().addAsync("z", "bob", new byte[] {1}, T0).join();
        store.outbox().addAsync("y", "bob", new byte[] {2}, T0).join();
        store.outbox().addAsync("x", "carol", new byte[] {3}, T0).join();
        store.outbox().addAsync("w", "bob", new byte[] {4}, T0.plusSeconds(1)).join();

        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::messageId).containsExactly("z", "y", "w");
        assertThat(store.outbox().pending("bob", 2)).extracting(OutboxEntry::messageId).containsExactly("z", "y");
        assertThat(store.outbox().pending("bob", 10).getFirst().envelope()).containsExactly(1);
        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::createdAt)
                .containsExactly(T0, T0, T0.plusSeconds(1));
        assertThat(store.outbox().recipients()).containsExactly("bob", "carol");
    }

    @Test
    void anAckRemovesOnlyThatRecipientsEntry() {
        assertThat(store.outbox().addAsync("room-msg", "bob", new byte[] {7}, T0).join())
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.outbox().addAsync("room-msg", "carol", new byte[] {7}, T0).join())
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.outbox().addAsync("room-msg", "bob", new byte[] {7}, T0).join())
                .isEqualTo(InsertOutcome.DUPLICATE);
        store.outbox().acknowledgeAsync("room-msg", "bob", T0).join();
        assertThat(store.outbox().pending("bob", 10)).isEmpty();
        assertThat(store.outbox().pending("carol", 10)).extracting(OutboxEntry::messageId).containsExactly("room-msg");
        assertThat(store.outbox().recipients()).containsExactly("carol");
    }

    @Test
    void anEntryIsHeldForItsRecipientUntilAcknowledgedOrWithdrawnWhetherSealedOrWaiting() {
        store.outbox().addAsync("sealed", "bob", new byte[] {1}, T0).join();
        store.outbox().addAsync("waiting", "bob", null, new byte[] {2}, T0).join();

        assertThat(store.outbox().holds("sealed", "bob")).isTrue();
        assertThat(store.outbox().holds("waiting", "bob")).isTrue();
        assertThat(store.outbox().holds("sealed", "carol")).as("queued for another recipient").isFalse();
        assertThat(store.outbox().holds("never", "bob")).isFalse();
        store.outbox().acknowledgeAsync("sealed", "bob", T0).join();
        store.outbox().withdrawAsync("waiting", "bob").join();
        assertThat(store.outbox().holds("sealed", "bob")).as("acknowledged").isFalse();
        assertThat(store.outbox().holds("waiting", "bob")).as("withdrawn").isFalse();
    }

    @Test
    void aMessageAndItsEnvelopeAreStoredTogetherAndAnAckDeliversItOnce() {
        TestData.addAliceChat(store);
        StoredMessage message = TestData.outgoing(TestData.CHAT, "m1", 1, "hello");
        assertThat(store.messages().insertAndQueueAsync(message, List.of(TestData.ALICE), new byte[] {9}).join())
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.outbox().pending(TestData.ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("m1");

        // The same id again (a retried send) stores and queues nothing more.
        assertThat(store.messages().insertAndQueueAsync(message, List.of(TestData.ALICE), new byte[] {9}).join())
                .isEqualTo(InsertOutcome.DUPLICATE);
        store.outbox().acknowledgeAsync("m1", TestData.ALICE, T0).join();
        assertThat(store.messages().insertAndQueueAsync(message, List.of(TestData.ALICE), new byte[] {9}).join())
                .isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.outbox().pending(TestData.ALICE, 10)).isEmpty();
    }

    @Test
    void anAckOfAQueuedMessageRecordsItsDeliveryOnceAndOnlyForThatRecipient() {
        TestData.addAliceChat(store);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m1", 1, "hello"),
                List.of(TestData.ALICE), new byte[] {9}).join();

        assertThat(store.outbox().acknowledgeAsync("m1", "12D3KooWMallory", T0).join()).isFalse();
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.SENDING);

        assertThat(store.outbox().acknowledgeAsync("m1", TestData.ALICE, T0).join()).isTrue();
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
        assertThat(TestData.receipts(store, TestData.mine("m1"))).containsExactly(
                new Receipt(TestData.ALICE, ReceiptKind.DELIVERED, T0));
        assertThat(store.outbox().pending(TestData.ALICE, 10)).isEmpty();

        assertThat(store.outbox().acknowledgeAsync("m1", TestData.ALICE, T0.plusSeconds(1)).join()).isFalse();
        assertThat(TestData.receipts(store, TestData.mine("m1"))).hasSize(1);
    }

    @Test
    void anAckDeliversTheMessageItsEntryCarriesNotAnotherOfTheSameId() {
        TestData.addAliceChat(store);
        store.conversations().create(Conversation.room("chat-room", "room-1", "Climbing", T0));
        StoredMessage inTheRoom = TestData.outgoing("chat-room", "m1", 1, "the same id in a room");
        store.messages().insert(inTheRoom);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m1", 2, "hello"),
                List.of(TestData.ALICE), new byte[] {9}).join();

        assertThat(store.outbox().acknowledgeAsync("m1", TestData.ALICE, T0).join()).isTrue();

        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
        assertThat(store.messages().get(inTheRoom.key()).orElseThrow().state()).isEqualTo(MessageState.SENDING);
        assertThat(TestData.receipts(store, inTheRoom.key())).isEmpty();
    }

    @Test
    void aDeletedMessageLeavesItsEnvelopesQueuedAndTheirAckDeliversNothing() {
        TestData.addAliceChat(store);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m1", 1, "hello"),
                List.of(TestData.ALICE), new byte[] {9}).join();
        store.messages().delete(TestData.mine("m1"));
        // A new message takes the freed row number: the entry must not come to refer to it.
        store.messages().insert(TestData.outgoing(TestData.CHAT, "m2", 2, "another"));

        assertThat(store.outbox().pending(TestData.ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("m1");
        assertThat(store.outbox().acknowledgeAsync("m1", TestData.ALICE, T0).join()).isFalse();
        assertThat(store.messages().get(TestData.mine("m2")).orElseThrow().state()).isEqualTo(MessageState.SENDING);
    }

    @Test
    void theAcksOfAFrameTakeOneWriteAndTellWhichOfThemDeliveredAMessage() {
        TestData.addAliceChat(store);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m1", 1, "hello"),
                List.of(TestData.ALICE), new byte[] {9}).join();
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m2", 2, "again"),
                List.of(TestData.ALICE), new byte[] {9}).join();
        store.outbox().addAsync("read-receipt", TestData.ALICE, new byte[] {1}, T0).join();
        long writesBefore = store.stats().writes();

        List<Boolean> delivered = store.outbox().acknowledgeAllAsync(
                List.of("m2", "never-queued", "read-receipt", "m1", "m2"), TestData.ALICE, T0).join();

        assertThat(delivered).containsExactly(true, false, false, true, false);
        assertThat(store.stats().writes() - writesBefore).isEqualTo(1);
        assertThat(store.outbox().pending(TestData.ALICE, 10)).isEmpty();
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
        assertThat(TestData.receipts(store, TestData.mine("m2"))).containsExactly(
                new Receipt(TestData.ALICE, ReceiptKind.DELIVERED, T0));
    }

    @Test
    void anAckOfAnEnvelopeWithoutAStoredMessageOnlyEmptiesTheOutbox() {
        store.outbox().addAsync("read-receipt", TestData.ALICE, new byte[] {1}, T0).join();
        assertThat(store.outbox().acknowledgeAsync("read-receipt", TestData.ALICE, T0).join()).isFalse();
        assertThat(store.outbox().pending(TestData.ALICE, 10)).isEmpty();
    }
}
