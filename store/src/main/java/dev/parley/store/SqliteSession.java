package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One SQLite connection, used by one thread at a time, with its prepared statements kept for reuse (preparing
 * costs more than running the small statements the store issues). Parameters bind by type: text, numbers, bytes,
 * {@link Instant} as epoch milliseconds, enums by name, null.
 */
final class SqliteSession implements AutoCloseable {
    /** Turns the current row into a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Takes the current row. */
    @FunctionalInterface
    interface RowConsumer {
        void accept(ResultSet row) throws SQLException;
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    SqliteSession(Connection connection) {
        this.connection = connection;
    }

    /** Runs a statement once, without keeping it prepared: PRAGMAs, schema changes, one-off transactions. */
    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Runs a statement that returns no rows (INSERT, UPDATE, DELETE, transaction control); returns the number of
     * rows it changed, triggers' changes not counted.
     */
    int update(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepared(sql, parameters);
        try {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw forget(sql, statement, e);
        }
    }

    <T> List<T> list(String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        PreparedStatement statement = prepared(sql, parameters);
        try (ResultSet rows = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(reader.read(rows));
            }
            return values;
        } catch (SQLException e) {
            throw forget(sql, statement, e);
        }
    }

    /**
     * Hands each row of a query to {@code consumer} as it is read, holding none: for results too large to list
     * (exports of a whole history).
     */
    void forEach(String sql, RowConsumer consumer, Object... parameters) throws SQLException {
        PreparedStatement statement = prepared(sql, parameters);
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                consumer.accept(rows);
            }
        } catch (SQLException e) {
            throw forget(sql, statement, e);
        }
    }

    /** The row of a query written to return at most one (a key lookup, {@code LIMIT 1}, an aggregate). */
    <T> Optional<T> first(String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        List<T> rows = list(sql, reader, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The first column of a one-row query as a number; 0 when there is no row. */
    long number(String sql, Object... parameters) throws SQLException {
        return first(sql, row -> row.getLong(1), parameters).orElse(0L);
    }

    /** A PRAGMA's or query's single text value. */
    String text(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static <E extends Enum<E>> E enumValue(ResultSet row, String column, Class<E> type) throws SQLException {
        return Enum.valueOf(type, row.getString(column));
    }

    private PreparedStatement prepared(String sql, Object[] parameters) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        for (int i = 0; i < parameters.length; i++) {
            bind(statement, i + 1, parameters[i]);
        }
        return statement;
    }

    /**
     * Drops a statement that failed from the cache: after an SQLITE_ERROR (a missing savepoint, say) the driver
     * closes the statement, and every later use would fail with "statement is not executing".
     */
    private SQLException forget(String sql, PreparedStatement statement, SQLException failure) {
        statements.remove(sql);
        try {
            statement.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (value) {
            case null -> statement.setObject(index, null);
            case String text -> statement.setString(index, text);
            case Long number -> statement.setLong(index, number);
            case Integer number -> statement.setInt(index, number);
            case byte[] bytes -> statement.setBytes(index, bytes);
            case Instant instant -> statement.setLong(index, instant.toEpochMilli());
            case Enum<?> constant -> statement.setString(index, constant.name());
            default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
        statements.clear();
        connection.close();
    }
}
