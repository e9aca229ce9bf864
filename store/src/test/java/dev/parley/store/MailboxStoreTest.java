package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mailbox's file on its own: quotas under concurrent deposits, totals kept in step, what a reopen keeps. */
class MailboxStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:15:00Z");
    private static final byte[] CAP = new byte[16];

    @TempDir
    Path temp;

    @Test
    void concurrentDepositsNeverTakeMoreThanTheLastPlacesAndTheTotalsStayInStep() throws Exception {
        MailboxLimits limits = new MailboxLimits(10, 1 << 20, 1_000, 1 << 20, Duration.ofDays(14), 8);
        try (MailboxStore store = MailboxStore.open(temp.resolve("mailbox.db"));
             ExecutorService depositors = Executors.newVirtualThreadPerTaskExecutor()) {
            store.pair("owner", new byte[32], 4, T0);
            List<Future<DepositOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] envelope = ("envelope " + i).getBytes(StandardCharsets.UTF_8);
                outcomes.add(depositors.submit(() -> store.deposit("owner", CAP, envelope, limits, T0)));
            }
            List<DepositOutcome> results = new ArrayList<>();
            for (Future<DepositOutcome> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).filteredOn(DepositOutcome.STORED::equals).hasSize(10);
            assertThat(results).filteredOn(DepositOutcome.OWNER_FULL::equals).hasSize(30);
            List<MailboxEnvelope> held = store.fetch("owner", 0, 100, 1 << 20);
            MailboxOwnerStatus status = store.status("owner").orElseThrow();
            assertThat(status.envelopes()).isEqualTo(held.size()).isEqualTo(10);
            assertThat(status.bytes()).isEqualTo(held.stream().mapToLong(e -> e.envelope().length).sum());
            assertThat(status.oldestHour()).contains(Instant.parse("2026-12-07T10:00:00Z"));

            assertThat(store.delete("owner", List.of(held.get(0).seq(), held.get(1).seq(), 999_999L), T0)).isEqualTo(2);
            assertThat(store.status("owner").orElseThrow().envelopes()).isEqualTo(8);
            assertThat(store.deposit("owner", CAP, "after".getBytes(StandardCharsets.UTF_8), limits, T0))
                    .isEqualTo(DepositOutcome.STORED);
        }
    }

    @Test
    void aReopenedFileKeepsTheSecretOwnersEnvelopesAndRevocationsAndNeverReusesASeq() {
        Path file = temp.resolve("mailbox.db");
        MailboxLimits limits = MailboxLimits.defaults();
        byte[] secret;
        long lastSeq;
        try (MailboxStore store = MailboxStore.open(file)) {
            secret = store.pairingSecret(() -> new byte[] {1, 2, 3});
            store.pair("owner", new byte[] {9}, 4, T0);
            store.deposit("owner", CAP, new byte[] {1}, limits, T0);
            store.deposit("owner", CAP, new byte[] {2}, limits, T0);
            assertThat(store.revoke("owner", List.of(new byte[16]), 8)).isTrue();
            lastSeq = store.fetch("owner", 0, 10, 1 << 20).getLast().seq();
            store.delete("owner", List.of(lastSeq), T0);
        }
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.pairingSecret(() -> new byte[] {7})).isEqualTo(secret);
            assertThat(store.ownerKeys()).containsOnlyKeys("owner");
            assertThat(store.status("owner").orElseThrow().revoked()).isEqualTo(1);
            assertThat(store.deposit("owner", CAP, new byte[] {1}, limits, T0)).isEqualTo(DepositOutcome.REVOKED);
            byte[] otherCap = new byte[16];
            otherCap[0] = 1;
            assertThat(store.deposit("owner", otherCap, new byte[] {3}, limits, T0)).isEqualTo(DepositOutcome.STORED);
            assertThat(store.fetch("owner", 0, 10, 1 << 20)).extracting(MailboxEnvelope::seq).hasSize(2)
                    .last().isNotEqualTo(lastSeq).satisfies(seq -> assertThat(seq).isGreaterThan(lastSeq));
        }
    }
}
