package dev.parley.app.mailbox;

import static dev.parley.app.mailbox.MailboxFixture.envelope;
import static dev.parley.app.mailbox.MailboxTest.assertRefused;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.mailbox.MailboxClient.FetchedBatch;
import dev.parley.app.mailbox.MailboxFixture.Owner;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 22b of the fixes to review 22a, against a real mailbox on loopback with its own SQLite file: whether the
 * remembered digests of taken envelopes tell a depositor anything, and whether {@code more}, now asked of the store,
 * says exactly whether something follows a batch. The store's side of the review is
 * {@code MailboxFixStoreReviewTest}.
 */
class MailboxFixReviewTest {
    private static final Instant START = Instant.parse("2026-12-07T12:34:56Z");
    private static final int MAX_OWNERS = 3;

    @TempDir
    Path temp;
    private MailboxFixture mailbox;

    private void startMailbox(MailboxLimits limits) throws IOException {
        mailbox = new MailboxFixture(temp, limits, MAX_OWNERS, Clock.fixed(START, ZoneOffset.UTC));
    }

    @AfterEach
    void stopMailbox() {
        if (mailbox != null) {
            mailbox.close();
        }
    }

    /**
     * Before the fix, a full owner answered a retry of a taken envelope {@code OWNER_FULL} and one of a held envelope
     * {@code Deposited}: a depositor could ask whether the owner had taken it. Both are a duplicate now.
     */
    @Test
    void aDepositorRetryingInAFullMailboxCannotTellWhetherTheOwnerTookItsEnvelope() throws Exception {
        startMailbox(new MailboxLimits(2, 64L << 20, 1_000, 8L << 20, Duration.ofDays(14), 64));
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        depositor.deposit(capability, envelope("taken"));
        depositor.deposit(capability, envelope("held"));
        List<MailboxEnvelope> held = owner.client().fetch(0, 10).envelopes();
        assertThat(held).hasSize(2);
        owner.client().delete(List.of(held.getFirst().seq()));
        depositor.deposit(capability, envelope("fills the owner again"));
        assertRefused(() -> depositor.deposit(capability, envelope("new")), Reason.OWNER_FULL);

        // Both retries are answered alike, and neither brings a second copy.
        depositor.deposit(capability, envelope("taken"));
        depositor.deposit(capability, envelope("held"));
        List<MailboxEnvelope> after = owner.client().fetch(0, 10).envelopes();
        assertThat(after).extracting(stored -> new String(stored.envelope(), UTF_8))
                .containsExactly("sealed:held", "sealed:fills the owner again");
    }

    @Test
    void moreSaysExactlyWhetherTheOwnerHoldsSomethingAfterTheBatch() throws Exception {
        startMailbox(new MailboxLimits(1_000, 64L << 20, 1_000, 8L << 20, Duration.ofDays(14), 64));
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        for (int i = 0; i < 4; i++) {
            depositor.deposit(capability, envelope("envelope " + i));
        }
        FetchedBatch cutByCount = owner.client().fetch(0, 3);
        assertThat(cutByCount.envelopes()).hasSize(3);
        assertThat(cutByCount.more()).as("one more is held").isTrue();

        FetchedBatch endingAtTheLast = owner.client().fetch(0, 4);
        assertThat(endingAtTheLast.envelopes()).hasSize(4);
        assertThat(endingAtTheLast.more()).as("a full batch that ends at the last envelope").isFalse();

        // The owner takes the last one: a batch of the first three is then followed by nothing.
        owner.client().delete(List.of(endingAtTheLast.envelopes().getLast().seq()));
        FetchedBatch again = owner.client().fetch(0, 3);
        assertThat(again.envelopes()).hasSize(3);
        assertThat(again.more()).as("the one that followed was taken").isFalse();
        FetchedBatch pastTheEnd = owner.client().fetch(again.envelopes().getLast().seq(), 3);
        assertThat(pastTheEnd.envelopes()).isEmpty();
        assertThat(pastTheEnd.more()).isFalse();
    }
}
