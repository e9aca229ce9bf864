package dev.parley.store;

import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session records staged in memory and written by the writer's next transaction: the guarantees the app's sealing
 * rests on (a message key is never used twice after a crash), each tried on a real file.
 */
class SessionsTest {
    private static final String BOB = "12D3KooWBob";
    private static final String CAROL = "12D3KooWCarol";

    @TempDir
    Path folder;
    Database database;
    SqliteStore store;

    @BeforeEach
    void open() {
        database = Database.open(file());
        store = new SqliteStore(database);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Path file() {
        return folder.resolve("profile.db");
    }

    /** The record the file holds for {@code peer}, read past the staging map. */
    private Optional<byte[]> stored(String peer) {
        return database.read(session -> session.first("SELECT record FROM sessions WHERE peer = ?",
                row -> row.getBytes(1), peer));
    }

    private CompletableFuture<InsertOutcome> queueEnvelope(String messageId) {
        return store.outbox().addAsync(messageId, BOB, new byte[] {9}, T0);
    }

    /** Holds the writer inside a transaction until the returned latch is counted down. */
    private CountDownLatch holdWriter() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        database.writeAsync(session -> {
            holding.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void aStagedRecordIsReadBackAtOnceButWrittenOnlyWithTheNextTransaction() {
        store.sessions().stage(BOB, new byte[] {1, 2, 3});

        assertThat(store.sessions().load(BOB).orElseThrow()).containsExactly(1, 2, 3);
        assertThat(stored(BOB)).isEmpty();
        assertThat(store.sessions().peers()).containsExactly(BOB);
        assertThat(store.sessions().load(CAROL)).isEmpty();

        // Any write carries it, here an unrelated outbox entry.
        queueEnvelope("unrelated").join();
        assertThat(stored(BOB)).hasValueSatisfying(record -> assertThat(record).containsExactly(1, 2, 3));
        assertThat(database.stagedSessions().isEmpty()).isTrue();
        assertThat(store.sessions().load(BOB).orElseThrow()).containsExactly(1, 2, 3);
    }

    @Test
    void theStoreKeepsItsOwnCopyOfAStagedRecord() {
        byte[] record = {1, 2, 3};
        store.sessions().stage(BOB, record);
        record[0] = 7;
        store.sessions().load(BOB).orElseThrow()[1] = 7;

        assertThat(store.sessions().load(BOB).orElseThrow()).containsExactly(1, 2, 3);
    }

    @Test
    void aRecordStagedBeforeAWriteIsSubmittedIsDurableWhenThatWriteCompletes() {
        // The app's order: stage the session's new state, queue the entry sealed with it, send once it completes.
        // Many in flight at once, so that they share transactions; each completion must find its state stored.
        List<CompletableFuture<Integer>> storedVersions = new ArrayList<>();
        for (int version = 0; version < 300; version++) {
            store.sessions().stage(BOB, new byte[] {(byte) (version >> 8), (byte) version});
            storedVersions.add(queueEnvelope("m" + version).thenApply(outcome -> {
                byte[] record = stored(BOB).orElseThrow();
                return (record[0] & 0xff) << 8 | record[1] & 0xff;
            }));
        }
        for (int version = 0; version < storedVersions.size(); version++) {
            assertThat(storedVersions.get(version).join()).as("stored when entry m%d completed", version)
                    .isGreaterThanOrEqualTo(version);
        }
        assertThat(store.stats().commits()).as("the entries shared commits").isLessThan(300);
    }

    @Test
    void aLaterStageReplacesAnEarlierOneNotYetWrittenAndOnlyTheNewestIsWritten() throws Exception {
        SchemaFiles.execute(file(),
                "CREATE TABLE session_writes (seq INTEGER PRIMARY KEY, peer TEXT, record BLOB)",
                "CREATE TRIGGER session_inserted AFTER INSERT ON sessions BEGIN"
                        + " INSERT INTO session_writes (peer, record) VALUES (new.peer, new.record); END",
                "CREATE TRIGGER session_updated AFTER UPDATE ON sessions BEGIN"
                        + " INSERT INTO session_writes (peer, record) VALUES (new.peer, new.record); END");
        CountDownLatch release = holdWriter();
        store.sessions().stage(BOB, new byte[] {1});
        store.sessions().stage(BOB, new byte[] {2});
        store.sessions().stage(CAROL, new byte[] {3});
        CompletableFuture<InsertOutcome> write = queueEnvelope("m1");
        release.countDown();
        write.get(10, TimeUnit.SECONDS);

        List<String> writes = database.read(session -> session.list(
                "SELECT peer || ':' || hex(record) FROM session_writes ORDER BY peer, seq", row -> row.getString(1)));
        assertThat(writes).containsExactly(BOB + ":02", CAROL + ":03");
    }

    @Test
    void aRecordStagedToEncodeLaterIsEncodedOnceByTheTransactionThatWritesItNotOncePerStage() throws Exception {
        AtomicInteger encodings = new AtomicInteger();
        for (int i = 1; i <= 1_000; i++) {
            byte[] record = {(byte) (i >> 8), (byte) i};
            store.sessions().stage(BOB, () -> {
                encodings.incrementAndGet();
                return record;
            });
        }
        assertThat(encodings).as("nothing encoded while only staged").hasValue(0);

        queueEnvelope("m1").get(10, TimeUnit.SECONDS);

        assertThat(encodings).as("the newest encoded once, by the transaction").hasValue(1);
        assertThat(stored(BOB)).hasValueSatisfying(record -> assertThat(record).containsExactly(3, 232));
        assertThat(store.sessions().load(BOB)).hasValueSatisfying(record -> assertThat(record)
                .containsExactly(3, 232));
    }

    @Test
    void aTransactionThatFailsAsAWholeLeavesItsStagedRecordsStagedForTheNext() {
        store.sessions().stage(BOB, new byte[] {4});
        // Deferred foreign keys are checked at COMMIT: this write succeeds in its savepoint, then the COMMIT fails,
        // after the staged record was written in the same transaction, and the writer rolls it all back.
        CompletableFuture<Integer> breaking = database.writeAsync(session -> {
            session.execute("PRAGMA defer_foreign_keys = ON");
            return session.update("INSERT INTO receipts (message_seq, peer_id, kind, at)"
                    + " VALUES (987654, 'nobody', 'READ', 0)");
        });
        assertThatThrownBy(breaking::join).hasMessageContaining("FOREIGN KEY");
        assertThat(stored(BOB)).isEmpty();
        assertThat(database.stagedSessions().isEmpty()).isFalse();
        assertThat(store.sessions().load(BOB).orElseThrow()).containsExactly(4);

        queueEnvelope("next").join();
        assertThat(stored(BOB).orElseThrow()).containsExactly(4);
        assertThat(database.stagedSessions().isEmpty()).isTrue();
    }

    @Test
    void flushCompletesOnceEverythingStagedAndEveryWriteSubmittedBeforeIsDurable() {
        long commitsBefore = store.stats().commits();
        CompletableFuture<?> queued = queueEnvelope("just-before");
        store.sessions().flushAsync().join();
        assertThat(queued).as("a write submitted before the flush").isCompleted();
        assertThat(store.stats().commits()).isGreaterThan(commitsBefore);

        store.sessions().stage(BOB, new byte[] {5});
        store.sessions().stage(CAROL, new byte[] {6});
        store.sessions().flushAsync().join();

        assertThat(stored(BOB).orElseThrow()).containsExactly(5);
        assertThat(stored(CAROL).orElseThrow()).containsExactly(6);
    }

    @Test
    void closingWritesWhatIsStagedAndRefusesMore() {
        store.sessions().stage(BOB, new byte[] {7});
        store.close();
        assertThatThrownBy(() -> store.sessions().stage(BOB, new byte[] {8}))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");

        store = SqliteStore.open(file());
        assertThat(store.sessions().load(BOB).orElseThrow()).containsExactly(7);
        assertThat(store.sessions().peers()).containsExactly(BOB);
    }

    @Test
    void aCrashAfterTheWriteCompletedKeepsTheRecordItCarried() throws Exception {
        store.sessions().stage(BOB, new byte[] {9, 9});
        queueEnvelope("sealed-with-it").join();

        // The file and its WAL as they are now, still open: what a kill -9 at this moment leaves on disk.
        Path crashed = Files.createDirectories(folder.resolve("crashed")).resolve("profile.db");
        Files.copy(file(), crashed);
        Path wal = file().resolveSibling("profile.db-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, crashed.resolveSibling("profile.db-wal"));
        }
        try (SqliteStore reopened = SqliteStore.open(crashed)) {
            assertThat(reopened.sessions().load(BOB).orElseThrow()).containsExactly(9, 9);
            assertThat(reopened.outbox().pending(BOB, 10)).extracting(OutboxEntry::messageId)
                    .containsExactly("sealed-with-it");
        }
    }

    @Test
    void deleteForgetsTheStagedAndTheStoredRecord() {
        store.sessions().stage(BOB, new byte[] {1});
        store.sessions().flushAsync().join();
        store.sessions().stage(BOB, new byte[] {2});
        store.sessions().stage(CAROL, new byte[] {3});
        assertThat(store.sessions().peers()).containsExactly(BOB, CAROL);

        store.sessions().delete(BOB);

        assertThat(store.sessions().load(BOB)).isEmpty();
        assertThat(stored(BOB)).isEmpty();
        assertThat(store.sessions().peers()).containsExactly(CAROL);
        // The next transaction does not bring the deleted one back.
        queueEnvelope("later").join();
        assertThat(stored(BOB)).isEmpty();
        assertThat(stored(CAROL).orElseThrow()).containsExactly(3);
    }

    @Test
    void openedEnvelopesAreRememberedOncePerPeerUntilForgotten() {
        store.sessions().openedAsync(BOB, "e1", T0).join();
        store.sessions().openedAsync(BOB, "e1", T0.plusSeconds(5)).join();
        store.sessions().openedAsync(BOB, "e2", T0.plusSeconds(10)).join();

        assertThat(store.sessions().wasOpened(BOB, "e1")).isTrue();
        assertThat(store.sessions().wasOpened(CAROL, "e1")).isFalse();
        assertThat(store.sessions().wasOpened(BOB, "e3")).isFalse();

        // The duplicate kept the first time: e1 is older than T0 + 5 s.
        assertThat(store.sessions().forgetOpenedBeforeAsync(T0.plusSeconds(5)).join()).isEqualTo(1);
        assertThat(store.sessions().wasOpened(BOB, "e1")).isFalse();
        assertThat(store.sessions().wasOpened(BOB, "e2")).isTrue();
    }

    @Test
    void anOpenedEnvelopeCommitsNoEarlierThanTheWritesQueuedBeforeIt() throws Exception {
        CountDownLatch release = holdWriter();
        CompletableFuture<InsertOutcome> message = queueEnvelope("before");
        CompletableFuture<Void> opened = store.sessions().openedAsync(BOB, "e1", T0);
        release.countDown();

        opened.get(10, TimeUnit.SECONDS);
        // Committed with it or before it: the file holds the entry queued first.
        assertThat(store.outbox().count(BOB)).isEqualTo(1);
        assertThat(message.get(10, TimeUnit.SECONDS)).isEqualTo(InsertOutcome.INSERTED);
    }
}
