package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 5: what rooms need beyond their log. Whether this user was invited, joined or left each room; every
 * room envelope as its sender sealed it, numbered per sender, so that any member can hand a member what it
 * missed (also those it cannot open yet, for want of the sender's key: {@code opened = 0}); per sender the
 * highest number up to which nothing is missing; and the sender keys of each room.
 */
final class V5RoomDelivery implements Migration {
    @Override
    public int version() {
        return 5;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE room_status (
                  room_id    TEXT PRIMARY KEY REFERENCES conversations (room_id) ON DELETE CASCADE,
                  status     TEXT NOT NULL CHECK (status IN ('INVITED', 'JOINED', 'LEFT')),
                  invited_by TEXT
                ) WITHOUT ROWID""");
        // Rooms stored before this version were rooms the user was in.
        session.execute("INSERT INTO room_status (room_id, status) SELECT room_id, 'JOINED' FROM conversations"
                + " WHERE kind = 'ROOM'");
        session.execute("""
                CREATE TABLE room_envelopes (
                  seq        INTEGER PRIMARY KEY,
                  room_id    TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  sender     TEXT NOT NULL,
                  sender_seq INTEGER NOT NULL CHECK (sender_seq > 0),
                  epoch      INTEGER NOT NULL,
                  message_id TEXT NOT NULL,
                  envelope   BLOB NOT NULL,
                  opened     INTEGER NOT NULL CHECK (opened IN (0, 1)),
                  UNIQUE (room_id, sender, sender_seq)
                )""");
        session.execute("CREATE INDEX room_envelopes_unopened ON room_envelopes (room_id, sender, epoch)"
                + " WHERE opened = 0");
        session.execute("""
                CREATE TABLE room_senders (
                  room_id    TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  sender     TEXT NOT NULL,
                  contiguous INTEGER NOT NULL,
                  PRIMARY KEY (room_id, sender)
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE sender_keys (
                  room_id TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  owner   TEXT NOT NULL,
                  epoch   INTEGER NOT NULL,
                  key     BLOB NOT NULL,
                  PRIMARY KEY (room_id, owner, epoch)
                ) WITHOUT ROWID""");
    }
}
