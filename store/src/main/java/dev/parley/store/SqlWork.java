package dev.parley.store;

import java.sql.SQLException;

/** Work done on one connection, inside the transaction the store opened for it. */
@FunctionalInterface
interface SqlWork<T> {
    T run(SqliteSession session) throws SQLException;
}
