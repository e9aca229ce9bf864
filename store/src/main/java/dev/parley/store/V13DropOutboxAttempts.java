package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 13: the outbox no longer counts send attempts. Its {@code attempts} and {@code last_attempt_at} columns
 * (version 1) were never written: an entry is sent again on every new stream to its recipient until acknowledged,
 * and the app's back-off between dials lives in memory, per peer.
 */
final class V13DropOutboxAttempts implements Migration {
    @Override
    public int version() {
        return 13;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("ALTER TABLE outbox DROP COLUMN attempts");
        session.execute("ALTER TABLE outbox DROP COLUMN last_attempt_at");
    }
}
