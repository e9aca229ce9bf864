package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Outbox entries that wait for a session (a recipe, no envelope yet), get sealed, lose their session and wait
 * again: only sealed ones are ever handed to the link, and every entry is acknowledged alike.
 */
class OutboxRecipesTest extends StoreOnDisk {
    private static final byte[] RECIPE = {'r'};

    @Test
    void entriesWithoutAnEnvelopeWaitInQueueOrderAndAreNeverPending() {
        store.outbox().addAsync("z", "bob", null, new byte[] {1}, T0).join();
        store.outbox().addAsync("y", "bob", new byte[] {9}, null, T0).join();
        store.outbox().addAsync("x", "bob", null, new byte[] {2}, T0.plusSeconds(1)).join();
        store.outbox().addAsync("w", "carol", null, new byte[] {3}, T0).join();

        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::messageId).containsExactly("y");
        List<WaitingEntry> waiting = store.outbox().waiting("bob");
        assertThat(waiting).extracting(WaitingEntry::messageId).containsExactly("z", "x");
        assertThat(waiting.getFirst().recipe()).containsExactly(1);
        assertThat(waiting).extracting(WaitingEntry::createdAt).containsExactly(T0, T0.plusSeconds(1));
        assertThat(store.outbox().sealedWithRecipe("bob")).isEmpty();
        assertThat(store.outbox().recipients()).containsExactly("bob", "carol");
        assertThat(store.outbox().count("bob")).isEqualTo(3);
        assertThat(store.outbox().count("carol")).isEqualTo(1);
        assertThat(store.outbox().count("dave")).isZero();
    }

    @Test
    void aWithdrawnEntryLeavesTheOutboxOfItsRecipientOnlyAndRecordsNoReceipt() {
        store.outbox().addAsync("answer", "bob", new byte[] {9}, null, T0).join();
        store.outbox().addAsync("answer", "carol", new byte[] {9}, null, T0).join();

        assertThat(store.outbox().withdrawAsync("answer", "bob").join()).isTrue();
        assertThat(store.outbox().withdrawAsync("answer", "bob").join()).as("withdrawn already").isFalse();

        assertThat(store.outbox().count("bob")).isZero();
        assertThat(store.outbox().count("carol")).isEqualTo(1);
    }

    @Test
    void anEntryNeedsAnEnvelopeOrARecipe() {
        assertThatThrownBy(() -> store.outbox().addAsync("v", "bob", null, null, T0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("v");
        assertThatThrownBy(() -> store.outbox().addAsync("v", "bob", null, T0))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("envelope");
        assertThat(store.outbox().count("bob")).isZero();
    }

    @Test
    void sealingGivesOnlyEntriesWithARecipeTheirEnvelopeInQueueOrderAndKeepsTheRecipe() {
        store.outbox().addAsync("c", "bob", null, new byte[] {1}, T0).join();
        store.outbox().addAsync("b", "bob", null, new byte[] {2}, T0).join();
        store.outbox().addAsync("plain", "bob", new byte[] {7}, null, T0).join();
        store.outbox().addAsync("a", "carol", null, new byte[] {3}, T0).join();

        List<String> sealed = store.outbox().sealAsync("bob", Map.of("b", new byte[] {22}, "c", new byte[] {11},
                "plain", new byte[] {77}, "a", new byte[] {33}, "gone", new byte[] {44})).join();

        // Queue order, not the map's; "plain" has no recipe, "a" is carol's, "gone" was never queued.
        assertThat(sealed).containsExactly("c", "b");
        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::messageId)
                .containsExactly("c", "b", "plain");
        assertThat(store.outbox().pending("bob", 10)).extracting(entry -> entry.envelope()[0])
                .containsExactly((byte) 11, (byte) 22, (byte) 7);
        assertThat(store.outbox().waiting("bob")).isEmpty();
        assertThat(store.outbox().waiting("carol")).extracting(WaitingEntry::messageId).containsExactly("a");
        assertThat(store.outbox().sealedWithRecipe("bob")).extracting(WaitingEntry::messageId)
                .containsExactly("c", "b");
        assertThat(store.outbox().sealedWithRecipe("bob").getFirst().recipe()).containsExactly(1);
    }

    @Test
    void unsealingPutsEveryEntryWithARecipeBackToWaitingAndLeavesPlainEnvelopes() {
        store.outbox().addAsync("a", "bob", new byte[] {1}, RECIPE, T0).join();
        store.outbox().addAsync("plain", "bob", new byte[] {2}, null, T0).join();
        store.outbox().addAsync("b", "bob", null, RECIPE, T0).join();
        store.outbox().addAsync("c", "carol", new byte[] {3}, RECIPE, T0).join();

        assertThat(store.outbox().unsealAsync("bob").join()).as("entries that lost an envelope").isEqualTo(1);

        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::messageId).containsExactly("plain");
        assertThat(store.outbox().waiting("bob")).extracting(WaitingEntry::messageId).containsExactly("a", "b");
        assertThat(store.outbox().pending("carol", 10)).extracting(OutboxEntry::messageId).containsExactly("c");
        assertThat(store.outbox().sealAsync("bob", Map.of("a", new byte[] {4}, "b", new byte[] {5})).join())
                .containsExactly("a", "b");
        assertThat(store.outbox().pending("bob", 10)).extracting(OutboxEntry::messageId)
                .containsExactly("a", "plain", "b");
    }

    @Test
    void aMessageQueuedWithOnlyItsRecipeWaitsAndItsAckDeliversIt() {
        TestData.addAliceChat(store);
        StoredMessage message = TestData.outgoing(TestData.CHAT, "m1", 1, "hello");
        assertThat(store.messages().insertAndQueueAsync(message, List.of(ALICE), null, RECIPE).join())
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.outbox().pending(ALICE, 10)).isEmpty();
        assertThat(store.outbox().waiting(ALICE)).extracting(WaitingEntry::messageId).containsExactly("m1");

        // Acknowledged before it was even sealed (the peer had it through a copy sealed before a crash, say).
        assertThat(store.outbox().acknowledgeAsync("m1", ALICE, T0).join()).isTrue();
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
        assertThat(store.outbox().count(ALICE)).isZero();
    }

    @Test
    void aSealedEntryWithItsRecipeIsAcknowledgedLikeAnyOther() {
        TestData.addAliceChat(store);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m2", 2, "hi"), List.of(ALICE),
                new byte[] {8}, RECIPE).join();
        assertThat(store.outbox().pending(ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("m2");
        assertThat(store.outbox().sealedWithRecipe(ALICE)).extracting(WaitingEntry::messageId).containsExactly("m2");

        assertThat(store.outbox().acknowledgeAsync("m2", ALICE, T0).join()).isTrue();
        assertThat(store.outbox().recipients()).isEmpty();
        assertThat(store.outbox().sealAsync(ALICE, Map.of("m2", new byte[] {1})).join()).isEmpty();
    }
}
