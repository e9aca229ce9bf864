package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Files offered with messages: kept once per message, found by root, progress and the one stored copy. */
class AttachmentsTest extends StoreOnDisk {
    private static final MessageKey FIRST = new MessageKey("conv-1", "12D3KooWAlice", "m1");
    private static final MessageKey SECOND = new MessageKey("conv-2", "12D3KooWBob", "m1");
    private static final byte[] ROOT = {1, 2, 3};

    @Test
    void anOfferIsKeptOnceAndASecondCopyChangesNothing() {
        assertThat(store.attachments().offer(offered(FIRST, ROOT, new byte[] {7}))).isTrue();
        assertThat(store.attachments().offer(offered(FIRST, new byte[] {9}, new byte[] {8}))).isFalse();

        Attachment kept = store.attachments().get(FIRST).orElseThrow();
        assertThat(kept.offer()).containsExactly(7);
        assertThat(kept.root()).containsExactly(ROOT);
        assertThat(kept.state()).isEqualTo(AttachmentState.OFFERED);
        assertThat(store.attachments().byRoot(new byte[] {9})).isEmpty();
        assertThat(store.attachments().get(SECOND)).isEmpty();
    }

    @Test
    void progressIsKeptAndTheStoredCopyIsCountedByEveryOfferThatNamesIt() {
        store.attachments().offer(offered(FIRST, ROOT, new byte[] {7}));
        store.attachments().offer(offered(SECOND, ROOT, new byte[] {7}));
        store.attachments().leaves(FIRST, new byte[64]);
        store.attachments().held(FIRST, new byte[] {1});
        store.attachments().state(FIRST, AttachmentState.FETCHING);
        assertThat(store.attachments().inState(AttachmentState.FETCHING)).extracting(Attachment::message)
                .containsExactly(FIRST);
        Attachment fetching = store.attachments().get(FIRST).orElseThrow();
        assertThat(fetching.leaves()).hasValueSatisfying(leaves -> assertThat(leaves).hasSize(64));
        assertThat(fetching.held()).containsExactly(1);

        store.attachments().complete(FIRST, new byte[] {3}, "abc");
        store.attachments().complete(SECOND, new byte[] {3}, "abc");
        assertThat(store.attachments().byRoot(ROOT)).hasSize(2);
        assertThat(store.attachments().references("abc")).isEqualTo(2);
        assertThat(store.attachments().contents()).containsExactly("abc");

        assertThat(store.attachments().release(FIRST, AttachmentState.CANCELLED)).contains("abc");
        Attachment released = store.attachments().get(FIRST).orElseThrow();
        assertThat(released.held()).containsExactly(0);
        assertThat(released.content()).isEmpty();
        assertThat(released.state()).isEqualTo(AttachmentState.CANCELLED);
        assertThat(store.attachments().references("abc")).isOne();
        assertThat(store.attachments().release(FIRST, AttachmentState.CANCELLED)).isEmpty();
    }

    @Test
    void aPageOfLeavesIsReadWithoutTheRestAndOnlyOnceTheLeavesAreKnown() {
        store.attachments().offer(offered(FIRST, ROOT, new byte[] {7}));
        assertThat(store.attachments().offerWithLeaves(FIRST)).isEmpty();
        assertThat(store.attachments().leavesOf(FIRST, 0, 1, 32)).isEmpty();

        byte[] leaves = new byte[3 * 32];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = (byte) i;
        }
        store.attachments().leaves(FIRST, leaves);

        assertThat(store.attachments().offerWithLeaves(FIRST)).hasValueSatisfying(offer ->
                assertThat(offer).containsExactly(7));
        assertThat(store.attachments().leavesOf(FIRST, 1, 2, 32)).hasValueSatisfying(page ->
                assertThat(page).containsExactly(Arrays.copyOfRange(leaves, 32, 96)));
        assertThat(store.attachments().leavesOf(FIRST, 2, 5, 32)).as("cut where the leaves end")
                .hasValueSatisfying(page -> assertThat(page).hasSize(32));
        assertThat(store.attachments().leavesOf(SECOND, 0, 1, 32)).isEmpty();
    }

    private static Attachment offered(MessageKey key, byte[] root, byte[] offer) {
        return new Attachment(key, root, offer, 300_000, 2, Optional.empty(), new byte[1], AttachmentState.OFFERED,
                Optional.empty());
    }
}
