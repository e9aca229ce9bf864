package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 16: {@code room_own_edits}, which message each of this user's own room edits changed, by the edit
 * envelope's number. Under a chained sender key (crypto/README.md, "Sender keys") its owner cannot open its own
 * envelopes again, so a deletion for everyone finds the edits whose sealed copies it stands in for here. The sender
 * keys themselves need no new column: a key stored before chains reads as static, and stays so.
 */
final class V16OwnRoomEdits implements Migration {
    @Override
    public int version() {
        return 16;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE room_own_edits (
                  room_id    TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  sender_seq INTEGER NOT NULL,
                  target_id  TEXT NOT NULL,
                  PRIMARY KEY (room_id, sender_seq)
                ) WITHOUT ROWID""");
        session.execute("CREATE INDEX room_own_edits_target ON room_own_edits (room_id, target_id)");
    }
}
