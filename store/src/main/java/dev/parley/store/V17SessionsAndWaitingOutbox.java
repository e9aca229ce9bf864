package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 17: what forward-secret 1:1 sessions need kept. {@code sessions} holds one opaque record per peer (the
 * app's encoded Double Ratchet sessions with that peer: secret key material, never exported); {@code
 * session_opened} the ids of session envelopes already opened, so a replayed one is refused, with an index on the
 * time to forget old ones. An outbox entry may now wait for a session: its {@code envelope} becomes nullable and
 * a new {@code recipe} keeps the app's plaintext to seal it (again, should the session be lost); every entry has
 * one or the other, or both.
 *
 * <p>SQLite cannot drop NOT NULL in place, so the outbox is rebuilt (new table, copy keeping {@code seq}, drop,
 * rename, both indexes again). No table refers to the outbox, so the drop cascades nowhere and foreign keys can stay
 * on: the copy's {@code message_seq} is checked against the messages as it is inserted.
 */
final class V17SessionsAndWaitingOutbox implements Migration {
    @Override
    public int version() {
        return 17;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE sessions (
                  peer       TEXT PRIMARY KEY,
                  record     BLOB NOT NULL,
                  updated_at INTEGER NOT NULL
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE session_opened (
                  peer       TEXT NOT NULL,
                  message_id TEXT NOT NULL,
                  opened_at  INTEGER NOT NULL,
                  PRIMARY KEY (peer, message_id)
                ) WITHOUT ROWID""");
        session.execute("CREATE INDEX session_opened_by_time ON session_opened (opened_at)");
        session.execute("""
                CREATE TABLE outbox_v17 (
                  seq         INTEGER PRIMARY KEY,
                  message_id  TEXT NOT NULL,
                  recipient   TEXT NOT NULL,
                  envelope    BLOB,
                  created_at  INTEGER NOT NULL,
                  message_seq INTEGER REFERENCES messages (seq) ON DELETE SET NULL,
                  recipe      BLOB,
                  UNIQUE (message_id, recipient),
                  CHECK (envelope IS NOT NULL OR recipe IS NOT NULL)
                )""");
        session.execute("""
                INSERT INTO outbox_v17 (seq, message_id, recipient, envelope, created_at, message_seq)
                  SELECT seq, message_id, recipient, envelope, created_at, message_seq FROM outbox""");
        session.execute("DROP TABLE outbox");
        session.execute("ALTER TABLE outbox_v17 RENAME TO outbox");
        session.execute("CREATE INDEX outbox_by_recipient ON outbox (recipient, seq)");
        session.execute("CREATE INDEX outbox_by_message ON outbox (message_seq) WHERE message_seq IS NOT NULL");
    }
}
