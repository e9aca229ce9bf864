package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 1: contacts, conversations, messages and the outbox.
 *
 * <p>Messages carry an explicit {@code seq INTEGER PRIMARY KEY}: full-text search (version 2) refers to rows by
 * rowid, and only a declared rowid survives {@code VACUUM}. Pages are read newest-first along
 * {@code (conversation_id, hlc, id)}. Unread incoming messages have their own partial index, as small as it can be:
 * it is written with every incoming message, and only counts and marking read use it.
 */
final class V1ContactsAndMessages implements Migration {
    @Override
    public int version() {
        return 1;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE contacts (
                  peer_id         TEXT PRIMARY KEY,
                  display_name    TEXT NOT NULL,
                  hpke_public_key BLOB,
                  card            BLOB,
                  state           TEXT NOT NULL CHECK (state IN ('ACCEPTED', 'REQUEST', 'BLOCKED')),
                  added_at        INTEGER NOT NULL,
                  last_seen       INTEGER
                )""");
        session.execute("""
                CREATE TABLE conversations (
                  id         TEXT PRIMARY KEY,
                  kind       TEXT NOT NULL CHECK (kind IN ('DIRECT', 'ROOM')),
                  peer_id    TEXT UNIQUE REFERENCES contacts (peer_id),
                  room_id    TEXT UNIQUE,
                  title      TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  CHECK ((kind = 'DIRECT' AND peer_id IS NOT NULL AND room_id IS NULL)
                      OR (kind = 'ROOM' AND room_id IS NOT NULL AND peer_id IS NULL))
                )""");
        session.execute("""
                CREATE TABLE messages (
                  seq             INTEGER PRIMARY KEY,
                  id              TEXT NOT NULL UNIQUE,
                  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                  sender          TEXT NOT NULL,
                  hlc             INTEGER NOT NULL,
                  sent_at         INTEGER NOT NULL,
                  received_at     INTEGER NOT NULL,
                  direction       TEXT NOT NULL CHECK (direction IN ('INCOMING', 'OUTGOING')),
                  kind            TEXT NOT NULL,
                  body            TEXT NOT NULL,
                  state           TEXT NOT NULL CHECK (
                       (direction = 'OUTGOING' AND state IN ('SENDING', 'SENT', 'DELIVERED', 'READ'))
                    OR (direction = 'INCOMING' AND state IN ('RECEIVED', 'READ')))
                )""");
        session.execute("CREATE INDEX messages_by_conversation ON messages (conversation_id, hlc, id)");
        session.execute("CREATE INDEX messages_unread ON messages (conversation_id) WHERE state = 'RECEIVED'");
        session.execute("""
                CREATE TABLE outbox (
                  seq             INTEGER PRIMARY KEY,
                  message_id      TEXT NOT NULL,
                  recipient       TEXT NOT NULL,
                  envelope        BLOB NOT NULL,
                  attempts        INTEGER NOT NULL DEFAULT 0,
                  created_at      INTEGER NOT NULL,
                  last_attempt_at INTEGER,
                  UNIQUE (message_id, recipient)
                )""");
        session.execute("CREATE INDEX outbox_by_recipient ON outbox (recipient, seq)");
    }
}
