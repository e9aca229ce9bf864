package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 7: a room's membership log is a set of events that may share an epoch (two members who change the room
 * at once both make an event at the same epoch, and both stay), so the one-event-per-epoch constraint and the
 * single previous hash go. The rows are kept as they are.
 */
final class V7RoomLogSets implements Migration {
    @Override
    public int version() {
        return 7;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE membership_events (
                  hash    BLOB PRIMARY KEY,
                  room_id TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  epoch   INTEGER NOT NULL,
                  author  TEXT NOT NULL,
                  event   BLOB NOT NULL
                )""");
        session.execute("""
                INSERT INTO membership_events (hash, room_id, epoch, author, event)
                  SELECT hash, room_id, epoch, author, event FROM membership_log""");
        session.execute("DROP TABLE membership_log");
        session.execute("ALTER TABLE membership_events RENAME TO membership_log");
        session.execute("CREATE INDEX membership_log_by_room ON membership_log (room_id, epoch)");
    }
}
