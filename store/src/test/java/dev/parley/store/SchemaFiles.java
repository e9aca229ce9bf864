package dev.parley.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Makes and looks into database files with a plain JDBC connection, past the store's own code. */
final class SchemaFiles {
    private SchemaFiles() {
    }

    /** Applies {@code migrations} to the file and closes it: a file at an older version is a prefix of the steps. */
    static void migrate(Path file, List<Migration> migrations) throws SQLException {
        Database.openWriter(file.toAbsolutePath(), migrations).close();
    }

    /**
     * Deletes a conversation with SQL, foreign keys on, as nothing in the app does: what refers to it goes by the
     * schema's {@code ON DELETE CASCADE}.
     */
    static void deleteConversation(Path file, String id) throws SQLException {
        execute(file, "PRAGMA foreign_keys = ON", "DELETE FROM conversations WHERE id = '" + id + "'");
    }

    static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    static int userVersion(Path file) throws SQLException {
        return Integer.parseInt(query(file, "PRAGMA user_version").getFirst());
    }

    static List<String> tables(Path file) throws SQLException {
        return query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    }

    /** {@code PRAGMA integrity_check} plus FTS5's own check of the search index against the messages. */
    static List<String> integrityCheck(Path file) throws SQLException {
        List<String> problems = query(file, "PRAGMA integrity_check");
        try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
        }
        return problems;
    }

    static List<String> query(Path file, String sql) throws SQLException {
        try (Connection connection = connect(file); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    static void execute(Path file, String... statements) throws SQLException {
        try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
