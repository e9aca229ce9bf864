package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 3: room members and each room's membership log. The log is a hash chain, one event per epoch; the
 * members table is the membership as of the log's head, replaced together with each appended event.
 */
final class V3Rooms implements Migration {
    @Override
    public int version() {
        return 3;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE room_members (
                  room_id      TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  peer_id      TEXT NOT NULL,
                  role         TEXT NOT NULL CHECK (role IN ('MEMBER', 'ADMIN')),
                  joined_epoch INTEGER NOT NULL,
                  PRIMARY KEY (room_id, peer_id)
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE membership_log (
                  hash      BLOB PRIMARY KEY,
                  room_id   TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  epoch     INTEGER NOT NULL,
                  prev_hash BLOB,
                  author    TEXT NOT NULL,
                  event     BLOB NOT NULL,
                  UNIQUE (room_id, epoch)
                )""");
    }
}
