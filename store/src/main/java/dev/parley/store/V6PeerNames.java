package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 6: names of people who appear in imported history but are not contacts (former room members, the
 * exporting user when the history moves to another identity), so an export of imported history names them as the
 * original did. Contacts' own names win over these.
 */
final class V6PeerNames implements Migration {
    @Override
    public int version() {
        return 6;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE peer_names (
                  peer_id TEXT PRIMARY KEY,
                  name    TEXT NOT NULL
                ) WITHOUT ROWID""");
    }
}
