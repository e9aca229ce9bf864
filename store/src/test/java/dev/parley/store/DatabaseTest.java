package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path folder;

    @Test
    void theWriterIsDurableWalWithForeignKeysAndReadersCannotWrite() throws Exception {
        Path file = folder.resolve("profile.db");
        try (Database database = Database.open(file)) {
            String journalMode = database.write(session -> session.text("PRAGMA journal_mode"));
            long synchronous = database.write(session -> session.number("PRAGMA synchronous"));
            long foreignKeys = database.write(session -> session.number("PRAGMA foreign_keys"));
            long readerQueryOnly = database.read(session -> session.number("PRAGMA query_only"));
            assertThat(journalMode).isEqualTo("wal");
            assertThat(synchronous).as("synchronous=FULL").isEqualTo(2);
            assertThat(foreignKeys).isEqualTo(1);
            assertThat(readerQueryOnly).isEqualTo(1);
            assertThatThrownBy(() -> database.read(session -> session.update(
                    "INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES ('m', 'r', x'00', 1)")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("reading " + file.toAbsolutePath());
        }
        assertThat(SchemaFiles.query(file, "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void aFileThatIsNotADatabaseIsNamed() throws Exception {
        Path file = Files.writeString(folder.resolve("notes.db"), "these are my notes, not a database\n".repeat(20));
        assertThatThrownBy(() -> SqliteStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot open " + file.toAbsolutePath())
                .hasMessageContaining("not a database");
        assertThat(Files.readString(file)).startsWith("these are my notes");
    }

    @Test
    void aMissingSearchModuleIsAClearErrorAtOpen() throws Exception {
        Path file = folder.resolve("profile.db");
        try (SqliteSession session = new SqliteSession(SchemaFiles.connect(file))) {
            Database.requireModule(session, file, "fts5");
            assertThatThrownBy(() -> Database.requireModule(session, file, "fts9"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot open " + file + ": the SQLite library has no FTS9 module,"
                            + " which Parley needs for message search")
                    .hasMessageContaining("no such module: fts9");
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        SqliteStore store = SqliteStore.open(folder.resolve("profile.db"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.contacts().put(TestData.alice())).isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.contacts().get("x")).isInstanceOf(StoreException.class)
                .hasMessageContaining("is closed");
    }
}
