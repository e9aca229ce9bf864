package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging map against a real writer on a real file, with a hook of the test's own beside it that runs after
 * the staged records were written in a transaction: it stages again at that moment, or fails the transaction.
 */
class StagedSessionsTest {
    private static final String BOB = "12D3KooWBob";
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path folder;
    StagedSessions staged = new StagedSessions(Clock.fixed(NOW, ZoneOffset.UTC));
    /** Runs in every transaction after the staged records were written; null does nothing. */
    AtomicReference<SqlWork<?>> afterStagedWritten = new AtomicReference<>();
    BatchingWriter writer;

    @BeforeEach
    void open() {
        SqliteSession session = Database.openWriter(folder.resolve("profile.db").toAbsolutePath(), Schema.MIGRATIONS);
        TransactionHook test = TransactionHook.beforeCommit(inTransaction -> {
            SqlWork<?> work = afterStagedWritten.getAndSet(null);
            return work == null ? null : work.run(inTransaction);
        });
        writer = new BatchingWriter(session, "profile.db", TransactionHook.all(List.of(staged, test)));
    }

    @AfterEach
    void close() {
        writer.close();
    }

    /** Commits a transaction (which writes whatever is staged), then reads the record in the next one. */
    private Optional<byte[]> storedAfterACommit() {
        writer.submit(session -> null).join();
        return writer.submit(session -> session.first("SELECT record FROM sessions WHERE peer = ?",
                row -> row.getBytes(1), BOB)).join();
    }

    @Test
    void aRecordStagedWhileATransactionWritesAnOlderOneStaysStagedAndGoesInTheNext() {
        staged.stage(BOB, () -> new byte[] {1});
        afterStagedWritten.set(session -> {
            staged.stage(BOB, () -> new byte[] {2});
            return null;
        });
        writer.submit(session -> null).join();

        // The transaction wrote {1}; its commit took out only that very staging, not {2} that replaced it.
        assertThat(staged.get(BOB).orElseThrow()).containsExactly(2);
        assertThat(storedAfterACommit().orElseThrow()).containsExactly(2);
        assertThat(staged.isEmpty()).isTrue();
        Instant updatedAt = writer.submit(session -> session.first("SELECT updated_at FROM sessions",
                row -> SqliteSession.instant(row, "updated_at"))).join().orElseThrow();
        assertThat(updatedAt).isEqualTo(NOW);
    }

    @Test
    void aTransactionThatFailsAfterWritingTheRecordsLeavesThemStaged() {
        staged.stage(BOB, () -> new byte[] {3});
        afterStagedWritten.set(session -> {
            throw new SQLException("the disk is full");
        });
        assertThatThrownBy(() -> writer.submit(session -> null).join()).hasMessageContaining("the disk is full");

        assertThat(staged.get(BOB).orElseThrow()).containsExactly(3);
        // The next transaction writes the record again, and commits.
        assertThat(storedAfterACommit().orElseThrow()).containsExactly(3);
        assertThat(staged.isEmpty()).isTrue();
    }
}
