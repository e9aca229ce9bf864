package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 8: tells a contact's own addresses (it said so itself, or it was reached there) from hints (addresses an
 * invite code claims for it, which whoever handed the code over may have made up). Hints are tried until the
 * contact says where it is, then dropped; see {@link Contacts#hintAddresses}. The rows from before this version
 * cannot be told apart, so they become hints: the contact's own come back with its next identify.
 */
final class V8AddressHints implements Migration {
    @Override
    public int version() {
        return 8;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("ALTER TABLE peer_addresses ADD COLUMN hint INTEGER NOT NULL DEFAULT 0");
        session.execute("UPDATE peer_addresses SET hint = 1");
    }
}
