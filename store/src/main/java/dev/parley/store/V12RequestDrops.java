package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 12: how many messages of a first-contact request were dropped because the request held its quota (the
 * app's rule: a stranger's messages are kept only up to a small amount until the user accepts). The messages kept
 * are counted from the messages table; only the dropped ones need a count of their own, since they are not stored.
 */
final class V12RequestDrops implements Migration {
    @Override
    public int version() {
        return 12;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("ALTER TABLE contacts ADD COLUMN dropped_messages INTEGER NOT NULL DEFAULT 0");
    }
}
