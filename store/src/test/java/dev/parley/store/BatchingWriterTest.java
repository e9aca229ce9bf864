package dev.parley.store;

import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingWriterTest {
    @TempDir
    Path folder;
    Database database;
    SqliteStore store;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("profile.db"));
        store = new SqliteStore(database);
        TestData.addAliceChat(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Holds the writer inside a transaction until the returned latch is counted down. */
    private CountDownLatch holdWriter(Database target) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        target.writeAsync(session -> {
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

    private CompletableFuture<Integer> queueOutboxInsert(String messageId) {
        return database.writeAsync(session -> insertIntoOutbox(session, messageId));
    }

    private static int insertIntoOutbox(SqliteSession session, String messageId) throws SQLException {
        return session.update(
                "INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES (?, 'bob', x'00', 0)",
                messageId);
    }

    @Test
    void concurrentInsertsFromEightThreadsShareCommits() throws Exception {
        long commitsBefore = store.stats().commits();
        int threads = 8;
        int perThread = 125;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertThat(store.messages().insert(incoming(CHAT, "t" + thread + "-" + i, i, "burst")))
                                .isEqualTo(InsertOutcome.INSERTED);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        long commits = store.stats().commits() - commitsBefore;
        assertThat(store.messages().newest(CHAT, 1000).messages()).hasSize(threads * perThread);
        // Each thread waits for its commit before its next insert, so a transaction carries at most 8 inserts:
        // 125 commits at best, 1,000 without batching.
        assertThat(commits).as("commits for 1,000 inserts").isLessThan(500);
        assertThat(store.stats().largestBatch()).isGreaterThan(1);
    }

    @Test
    void asynchronousInsertsFromOneThreadShareCommits() {
        long commitsBefore = store.stats().commits();
        List<CompletableFuture<InsertOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(store.messages().insertAsync(incoming(CHAT, "a" + i, i, "async")));
        }
        results.forEach(result -> assertThat(result.join()).isEqualTo(InsertOutcome.INSERTED));
        assertThat(store.stats().commits() - commitsBefore).isLessThan(100);
    }

    @Test
    void aFailingWriteFailsOnlyItsCallerNotItsBatchNeighbours() throws Exception {
        CountDownLatch release = holdWriter(database);
        CompletableFuture<Integer> before = queueOutboxInsert("before");
        CompletableFuture<Integer> failing = database.writeAsync(session -> {
            insertIntoOutbox(session, "failing");
            throw new IllegalStateException("this write breaks halfway");
        });
        CompletableFuture<Integer> after = queueOutboxInsert("after");
        long commitsBefore = database.stats().commits();
        release.countDown();

        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(failing::join).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("this write breaks halfway");
        List<String> stored = database.read(session -> session.list("SELECT message_id FROM outbox ORDER BY seq",
                row -> row.getString(1)));
        assertThat(stored).containsExactly("before", "after");
        // The held transaction commits, then one more carries the three queued behind it.
        assertThat(database.stats().commits() - commitsBefore).isEqualTo(2);
        assertThat(database.stats().largestBatch()).isEqualTo(3);
    }

    @Test
    void aTransactionThatFailsAsAWholeFailsEveryCallerInItAndTheWriterGoesOn() throws Exception {
        CountDownLatch release = holdWriter(database);
        CompletableFuture<Integer> before = queueOutboxInsert("before");
        // Ending the transaction from inside a write leaves no savepoint to release: the batch cannot commit.
        CompletableFuture<Integer> breaking = database.writeAsync(session -> session.update("ROLLBACK"));
        CompletableFuture<Integer> after = queueOutboxInsert("after");
        release.countDown();

        for (CompletableFuture<Integer> write : List.of(before, breaking, after)) {
            assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("writing to " + folder.resolve("profile.db").toAbsolutePath() + " failed");
        }
        assertThat(before.exceptionNow()).isNotSameAs(after.exceptionNow());
        assertThat(queueOutboxInsert("later").get(10, TimeUnit.SECONDS)).isEqualTo(1);
        List<String> stored = database.read(session -> session.list("SELECT message_id FROM outbox",
                row -> row.getString(1)));
        assertThat(stored).containsExactly("later");
    }

    @Test
    void aMessageForAMissingConversationFailsAloneInsideABatch() throws Exception {
        CountDownLatch release = holdWriter(database);
        CompletableFuture<InsertOutcome> good = store.messages().insertAsync(incoming(CHAT, "good", 1, "x"));
        CompletableFuture<InsertOutcome> bad = store.messages().insertAsync(incoming("gone", "bad", 2, "x"));
        CompletableFuture<InsertOutcome> alsoGood = store.messages().insertAsync(incoming(CHAT, "also", 3, "x"));
        release.countDown();
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo(InsertOutcome.INSERTED);
        assertThatThrownBy(bad::join).hasCauseInstanceOf(NotFoundException.class)
                .hasMessageContaining("no conversation with id 'gone'");
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::id)
                .containsExactly("also", "good");
    }

    @Test
    void editsAndDeletesInTheTransactionOfTheInsertKeepTheSearchIndexExact() throws Exception {
        CountDownLatch release = holdWriter(database);
        List<CompletableFuture<?>> writes = List.of(
                store.messages().insertAsync(incoming(CHAT, "edited", 1, "first draft")),
                store.messages().insertAsync(incoming(CHAT, "deleted", 2, "first words")),
                database.writeAsync(session -> session.update("UPDATE messages SET body = 'final text' WHERE id = 'edited'")),
                database.writeAsync(session -> session.update("DELETE FROM messages WHERE id = 'deleted'")));
        release.countDown();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(store.search().search("first", 10)).isEmpty();
        assertThat(store.search().search("final", 10)).extracting(SearchHit::messageId).containsExactly("edited");
        assertThat(SchemaFiles.integrityCheck(folder.resolve("profile.db"))).containsExactly("ok");
    }

    @Test
    void readsDoNotWaitForAnOpenWriteTransaction() throws Exception {
        queueOutboxInsert("committed").join();
        CountDownLatch release = holdWriter(database);
        CompletableFuture<Integer> pending = queueOutboxInsert("pending");
        try {
            List<String> seen = CompletableFuture.supplyAsync(() -> database.read(session -> session.list(
                    "SELECT message_id FROM outbox", row -> row.getString(1)))).get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("committed");
        } finally {
            release.countDown();
        }
        assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aFullQueueMakesWritersWait() throws Exception {
        CountDownLatch release = holdWriter(database);
        AtomicInteger queued = new AtomicInteger();
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < BatchingWriter.QUEUE_CAPACITY + 10; i++) {
                queueOutboxInsert("q" + i);
                queued.incrementAndGet();
            }
        });
        producer.join(2_000);
        assertThat(producer.isAlive()).as("blocked on the full queue").isTrue();
        assertThat(queued.get()).isEqualTo(BatchingWriter.QUEUE_CAPACITY);
        release.countDown();
        producer.join(30_000);
        assertThat(producer.isAlive()).isFalse();
        queueOutboxInsert("last").join();
        long stored = database.read(session -> session.number("SELECT count(*) FROM outbox"));
        assertThat(stored).isEqualTo(BatchingWriter.QUEUE_CAPACITY + 11);
    }

    @Test
    void closingCommitsWhatIsQueuedAndThenRefusesWrites() throws Exception {
        Path file = folder.resolve("closing.db");
        SqliteStore closing = SqliteStore.open(file);
        TestData.addAliceChat(closing);
        List<CompletableFuture<InsertOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(closing.messages().insertAsync(incoming(CHAT, "c" + i, i, "x")));
        }
        closing.close();
        assertThat(results).allSatisfy(result -> assertThat(result.get(10, TimeUnit.SECONDS))
                .isEqualTo(InsertOutcome.INSERTED));
        assertThatThrownBy(() -> closing.messages().insertAsync(incoming(CHAT, "late", 1, "x")))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        try (SqliteStore reopened = SqliteStore.open(file)) {
            assertThat(reopened.messages().newest(CHAT, 1000).messages()).hasSize(200);
        }
    }
}
