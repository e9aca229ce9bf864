package dev.parley.store;

import java.sql.SQLException;

/**
 * One step of the schema. {@link Database} applies each missing step in its own transaction and sets
 * {@code PRAGMA user_version} to the step's version in that same transaction, so a file is always at exactly one
 * version. A step never changes once released: later changes are new steps.
 */
interface Migration {
    /** The schema version this step produces; steps are numbered 1, 2, 3… */
    int version();

    void apply(SqliteSession session) throws SQLException;

    /**
     * Whether the step rebuilds a table that others refer to (new table, copy, drop, rename: SQLite cannot change
     * a constraint in place). {@link Database} then runs it with foreign keys off, as SQLite's documented procedure
     * asks, since dropping the old table would otherwise delete, through {@code ON DELETE CASCADE}, the rows that
     * refer to it; it checks every foreign key before committing instead.
     */
    default boolean rebuildsTables() {
        return false;
    }
}
