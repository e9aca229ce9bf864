package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 4: the addresses a contact was last reachable at, so a restarted node can dial its contacts (and
 * deliver what waits in the outbox) before discovery has found them again. Kept per contact and removed with it;
 * {@link Contacts#rememberAddresses} keeps only the most recently seen few.
 */
final class V4PeerAddresses implements Migration {
    @Override
    public int version() {
        return 4;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE peer_addresses (
                  peer_id   TEXT NOT NULL REFERENCES contacts (peer_id) ON DELETE CASCADE,
                  multiaddr TEXT NOT NULL,
                  last_seen INTEGER NOT NULL,
                  PRIMARY KEY (peer_id, multiaddr)
                ) WITHOUT ROWID""");
    }
}
