package dev.parley.store;

import java.sql.SQLException;
import java.util.List;

/**
 * What the {@link BatchingWriter} runs around every transaction it commits, on its own thread: last thing before
 * the commit (derived state such as the search index, records staged in memory such as sessions), and after the
 * commit succeeded or the transaction was rolled back, so state kept in memory learns which of the two happened.
 */
interface TransactionHook {
    /** Runs last in the transaction; a failure rolls the whole transaction back. */
    void beforeCommit(SqliteSession session) throws SQLException;

    /** The transaction's COMMIT returned: everything it wrote is durable. */
    default void committed() {
    }

    /** The transaction was rolled back as a whole: nothing it wrote is on disk. */
    default void rolledBack() {
    }

    /** A hook with only a last step. */
    static TransactionHook beforeCommit(SqlWork<?> work) {
        return work::run;
    }

    /** Runs {@code hooks} in order at each point. */
    static TransactionHook all(List<TransactionHook> hooks) {
        return new TransactionHook() {
            @Override
            public void beforeCommit(SqliteSession session) throws SQLException {
                for (TransactionHook hook : hooks) {
                    hook.beforeCommit(session);
                }
            }

            @Override
            public void committed() {
                hooks.forEach(TransactionHook::committed);
            }

            @Override
            public void rolledBack() {
                hooks.forEach(TransactionHook::rolledBack);
            }
        };
    }
}
