package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 10: where fellow room members who are not contacts were reachable, so that a restarted node can dial them
 * before they dial it. A room's log no longer carries addresses (nobody signs where a member is), so they come
 * from invitations' hints and from what each member says itself when it connects.
 */
final class V10MemberAddresses implements Migration {
    @Override
    public int version() {
        return 10;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE member_addresses (
                  peer_id   TEXT NOT NULL,
                  multiaddr TEXT NOT NULL,
                  last_seen INTEGER NOT NULL,
                  PRIMARY KEY (peer_id, multiaddr)
                ) WITHOUT ROWID""");
    }
}
