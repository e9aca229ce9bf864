package dev.parley.store;

import static dev.parley.store.TestBytes.indexOf;
import static dev.parley.store.TestBytes.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 22b of the fixes to review 22a: the in-memory capability counters and taken digests, and the checkpoint
 * after a deletion, tried by whoever reads the mailbox's files while it runs and by a capability holder across a
 * restart.
 */
class MailboxFixStoreReviewTest {
    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
    private static final MailboxLimits ROOMY = new MailboxLimits(1_000, 64L << 20, 1_000, 8L << 20,
            Duration.ofDays(14), 64);
    private static final String OWNER = "owner";

    @TempDir
    Path temp;

    @Test
    @Disabled("review22b, a documented limit: a reader holding a snapshot past the busy timeout keeps the taken envelope in the WAL until the next checkpoint")
    void anEnvelopeTakenWhileAnotherFetchReadsIsGoneFromTheWalWhenTheDeletionReturns() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        byte[] envelope = randomBytes(2_000);
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
            long seq = store.fetch(OWNER, 0, 10, 1 << 20).getFirst().seq();
            // Another owner's fetch (or a watch) reading at the moment of the deletion: a read transaction open.
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                reader.setAutoCommit(false);
                try (Statement query = reader.createStatement();
                     ResultSet rows = query.executeQuery("SELECT count(*) FROM envelopes")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(store.delete(OWNER, List.of(seq), NOON)).isEqualTo(1);
                    assertThat(indexOf(readIfThere(Path.of(file + "-wal")), envelope))
                            .as("the taken envelope in the WAL once the deletion is answered").isEqualTo(-1);
                }
                reader.rollback();
            }
        }
    }

    @Test
    void anUnpairedOwnersEnvelopesAreNotLeftReadableInTheMailboxFiles() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        byte[] envelope = randomBytes(2_000);
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
            assertThat(store.unpair(OWNER)).isTrue();
            assertThat(store.envelopeRows()).isZero();
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                assertThat(indexOf(readIfThere(part), envelope)).as("the unpaired owner's envelope in " + part)
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void anExpiredEnvelopeIsNotLeftReadableInTheMailboxFiles() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        byte[] envelope = randomBytes(2_000);
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
            Instant pastTheRetention = NOON.plus(ROOMY.retention()).plus(Duration.ofHours(2));
            assertThat(store.expire(pastTheRetention, ROOMY.retention())).isEqualTo(1);
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                assertThat(indexOf(readIfThere(part), envelope)).as("the expired envelope in " + part).isEqualTo(-1);
            }
        }
    }

    @Test
    @Disabled("review22b, a documented limit: the capability counters are in memory, so after a restart a capability may deposit its quota again")
    void aRestartDoesNotLetACapabilityDepositMoreThanItsQuotaWithinTheRetention() {
        Path file = temp.resolve("mailbox.db");
        MailboxLimits threePerCapability = new MailboxLimits(1_000, 64L << 20, 3, 8L << 20, Duration.ofDays(14), 64);
        byte[] capability = randomBytes(16);
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair(OWNER, new byte[32], 4, NOON);
            for (int i = 0; i < 3; i++) {
                assertThat(store.deposit(OWNER, capability, randomBytes(100), threePerCapability, NOON))
                        .isEqualTo(DepositOutcome.STORED);
            }
            assertThat(store.deposit(OWNER, capability, randomBytes(100), threePerCapability, NOON))
                    .isEqualTo(DepositOutcome.CAPABILITY_FULL);
        }
        try (MailboxStore restarted = MailboxStore.open(file)) {
            assertThat(restarted.deposit(OWNER, capability, randomBytes(100), threePerCapability,
                    NOON.plusSeconds(60))).as("the same capability, a minute later, after a restart")
                    .isEqualTo(DepositOutcome.CAPABILITY_FULL);
        }
    }

    /**
     * What a running mailbox does while an owner takes envelopes: another owner fetches on four streams and its
     * contact deposits, so readers and the writer are busy at every deletion's checkpoint.
     */
    @Test
    void envelopesTakenWhileAnotherOwnerFetchesAndReceivesLeaveTheWalWhenEachDeletionReturns() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair("other", new byte[32], 4, NOON);
            for (int i = 0; i < 50; i++) {
                store.deposit("other", randomBytes(16), randomBytes(4_000), ROOMY, NOON);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> busy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                busy.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        store.fetch("other", 0, 256, 512 << 10);
                    }
                }));
            }
            byte[] contact = randomBytes(16);
            busy.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    store.deposit("other", contact, randomBytes(500), ROOMY, NOON);
                }
            }));
            try {
                for (int i = 0; i < 20; i++) {
                    byte[] envelope = randomBytes(2_000);
                    assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON))
                            .isEqualTo(DepositOutcome.STORED);
                    long seq = store.fetch(OWNER, 0, 10, 1 << 20).getFirst().seq();
                    assertThat(store.delete(OWNER, List.of(seq), NOON)).isEqualTo(1);
                    assertThat(indexOf(readIfThere(Path.of(file + "-wal")), envelope))
                            .as("taken envelope " + i + " in the WAL once its deletion returned").isEqualTo(-1);
                }
            } finally {
                stop.set(true);
                for (Thread thread : busy) {
                    thread.join();
                }
            }
        }
    }

    /**
     * The fix's own test takes an envelope that is still only in the WAL; here it is in the file already (a restart
     * checkpointed it) and large (its bytes in overflow pages), so the deletion must overwrite the file's pages.
     */
    @Test
    void aLargeEnvelopeTakenAfterARestartIsLeftInNeitherTheFileNorTheWal() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        byte[] envelope = randomBytes(60_000);
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
        }
        // Overflow pages cut the envelope in pieces of a page: look for short pieces of it.
        List<byte[]> pieces = List.of(10_000, 20_000, 30_000, 40_000).stream()
                .map(from -> Arrays.copyOfRange(envelope, from, from + 64)).toList();
        byte[] before = readIfThere(file);
        assertThat(pieces).as("checkpointed into the file by the restart").anyMatch(piece -> indexOf(before, piece) != -1);
        try (MailboxStore restarted = MailboxStore.open(file)) {
            long seq = restarted.fetch(OWNER, 0, 10, 1 << 20).getFirst().seq();
            assertThat(restarted.delete(OWNER, List.of(seq), NOON)).isEqualTo(1);
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                byte[] after = readIfThere(part);
                assertThat(pieces).as("pieces of the taken envelope in " + part)
                        .noneMatch(piece -> indexOf(after, piece) != -1);
            }
        }
    }

    /**
     * The owner mints capabilities with its key, as many as it likes: one fresh capability per deposit, each envelope
     * taken at once, keeps the owner within its quota of held envelopes while every capability id stays in the
     * mailbox's memory for the retention (some 300 bytes each, thousands a second, for all owners' counters alike).
     */
    @Test
    void theInMemoryCountersOfAnOwnerWhoHoldsNothingStayWithinItsQuota() throws Exception {
        Path file = temp.resolve("mailbox.db");
        MailboxLimits hundredHeld = new MailboxLimits(100, 64L << 20, 1_000, 8L << 20, Duration.ofDays(14), 64);
        int deposits = 300;
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair(OWNER, new byte[32], 4, NOON);
            for (int i = 0; i < deposits; i++) {
                assertThat(store.deposit(OWNER, randomBytes(16), randomBytes(100), hundredHeld, NOON))
                        .isEqualTo(DepositOutcome.STORED);
                long seq = store.fetch(OWNER, 0, 10, 1 << 20).getFirst().seq();
                assertThat(store.delete(OWNER, List.of(seq), NOON)).isEqualTo(1);
            }
            assertThat(store.status(OWNER).orElseThrow().envelopes()).isZero();
            assertThat(rememberedCapabilities(store)).as("capabilities the mailbox keeps counting for an owner who"
                    + " holds nothing").isLessThanOrEqualTo((int) hundredHeld.ownerMaxEnvelopes());
        }
    }

    /**
     * The digests of taken envelopes are kept for the retention but at most 10,000 per owner: ten contacts at their
     * default quota (or a busy fortnight) push out the first one, and its retry is held and fetched a second time.
     */
    @Test
    @Disabled("review22b, a documented limit: 10,000 taken digests per owner; a retry beyond is held again and dropped by the owner's Parley by message id")
    void aRetryOfATakenEnvelopeIsNotHeldAgainWhileItIsWithinTheRetention() throws Exception {
        Path file = temp.resolve("mailbox.db");
        MailboxLimits roomier = new MailboxLimits(20_000, 64L << 20, 20_000, 8L << 20, Duration.ofDays(14), 64);
        int takes = (int) MailboxStore.MAX_TAKEN_REMEMBERED + 1;
        byte[] first = randomBytes(100);
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair(OWNER, new byte[32], 4, NOON);
            assertThat(store.deposit(OWNER, randomBytes(16), first, roomier, NOON)).isEqualTo(DepositOutcome.STORED);
            // Deposits on eight threads, so the writer commits many at once.
            byte[] contact = randomBytes(16);
            ExecutorService depositors = Executors.newFixedThreadPool(8);
            try {
                List<Future<DepositOutcome>> outcomes = new ArrayList<>();
                for (int i = 1; i < takes; i++) {
                    outcomes.add(depositors.submit(() -> store.deposit(OWNER, contact, randomBytes(100), roomier,
                            NOON)));
                }
                for (Future<DepositOutcome> outcome : outcomes) {
                    assertThat(outcome.get()).isEqualTo(DepositOutcome.STORED);
                }
            } finally {
                depositors.shutdown();
            }
            List<Long> seqs = new ArrayList<>();
            long after = 0;
            for (List<MailboxEnvelope> batch = store.fetch(OWNER, after, 256, 1 << 20); !batch.isEmpty();
                    batch = store.fetch(OWNER, after, 256, 1 << 20)) {
                batch.forEach(envelope -> seqs.add(envelope.seq()));
                after = batch.getLast().seq();
            }
            assertThat(seqs).hasSize(takes);
            assertThat(store.delete(OWNER, seqs, NOON.plusSeconds(60))).isEqualTo(takes);
            assertThat(store.deposit(OWNER, randomBytes(16), first, roomier, NOON.plusSeconds(120)))
                    .as("the first envelope retried, two minutes after it was deposited").isEqualTo(DepositOutcome.DUPLICATE);
        }
    }

    @Test
    void anOwnerPairedUnderAnUnpairedOwnersRowIdInheritsNeitherItsCountersNorItsTakenDigests() throws Exception {
        Path file = temp.resolve("mailbox.db");
        MailboxLimits twoPerCapability = new MailboxLimits(1_000, 64L << 20, 2, 8L << 20, Duration.ofDays(14), 64);
        byte[] capability = randomBytes(16);
        byte[] envelope = randomBytes(500);
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair("first", new byte[32], 4, NOON);
            long firstId = ownerId(file, "first");
            assertThat(store.deposit("first", capability, envelope, twoPerCapability, NOON))
                    .isEqualTo(DepositOutcome.STORED);
            assertThat(store.deposit("first", capability, randomBytes(500), twoPerCapability, NOON))
                    .isEqualTo(DepositOutcome.STORED);
            long seq = store.fetch("first", 0, 10, 1 << 20).getFirst().seq();
            assertThat(store.delete("first", List.of(seq), NOON)).isEqualTo(1);
            assertThat(store.deposit("first", capability, envelope, twoPerCapability, NOON))
                    .as("taken already").isEqualTo(DepositOutcome.DUPLICATE);
            assertThat(store.unpair("first")).isTrue();

            store.pair("second", new byte[32], 4, NOON);
            assertThat(ownerId(file, "second")).as("SQLite gives the freed row id again").isEqualTo(firstId);
            // The same capability id and the same bytes: neither the first owner's quota use nor its taken digest.
            assertThat(store.deposit("second", capability, envelope, twoPerCapability, NOON))
                    .isEqualTo(DepositOutcome.STORED);
            assertThat(store.deposit("second", capability, randomBytes(500), twoPerCapability, NOON))
                    .isEqualTo(DepositOutcome.STORED);
            assertThat(store.fetch("second", 0, 10, 1 << 20)).hasSize(2);
        }
    }

    @Test
    void theTakenDigestsOfOneOwnerRefuseNothingDepositedForAnother() {
        Path file = temp.resolve("mailbox.db");
        byte[] envelope = randomBytes(500);
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair("first", new byte[32], 4, NOON);
            store.pair("second", new byte[32], 4, NOON);
            assertThat(store.deposit("first", randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
            long seq = store.fetch("first", 0, 10, 1 << 20).getFirst().seq();
            assertThat(store.delete("first", List.of(seq), NOON)).isEqualTo(1);
            assertThat(store.deposit("second", randomBytes(16), envelope, ROOMY, NOON))
                    .as("bytes the first owner took, for the second").isEqualTo(DepositOutcome.STORED);
            assertThat(store.fetch("second", 0, 10, 1 << 20)).hasSize(1);
        }
    }

    /** The counters' entries (owner and capability id), all owners together. */
    private static int rememberedCapabilities(MailboxStore store) {
        return store.capabilitiesCounted();
    }

    private static long ownerId(Path file, String owner) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT id FROM owners WHERE peer = '" + owner + "'")) {
            assertThat(rows.next()).as(owner + " paired").isTrue();
            return rows.getLong(1);
        }
    }

    /** The owner, paired, and a checkpoint by closing: the next commits are the only ones in a fresh WAL. */
    private static void pairAndCheckpoint(Path file) {
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.pair(OWNER, new byte[32], 4, NOON)).isPresent();
        }
    }

    private static byte[] readIfThere(Path part) throws java.io.IOException {
        return Files.exists(part) ? Files.readAllBytes(part) : new byte[0];
    }
}
