package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 11: to whom this user handed each of its own sender keys. Only they are sent a key again when they ask,
 * so a member who was out when a key was made (removed, or not yet added) cannot fetch it later, whatever the log
 * says of it by then.
 */
final class V11SenderKeyRecipients implements Migration {
    @Override
    public int version() {
        return 11;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE sender_key_recipients (
                  room_id   TEXT NOT NULL REFERENCES conversations (room_id) ON DELETE CASCADE,
                  epoch     INTEGER NOT NULL,
                  recipient TEXT NOT NULL,
                  PRIMARY KEY (room_id, epoch, recipient)
                ) WITHOUT ROWID""");
    }
}
