package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 9: a message is identified by its conversation, its sender and its id, no longer by its id alone.
 * Senders choose ids, so with ids unique across the store anyone could claim the id of someone else's message
 * first (a contact's 1:1 message with the id of a room message or of a membership notice) and have the genuine one
 * dropped as a duplicate. Now the same id from another sender or in another conversation is another message.
 *
 * <p>SQLite cannot drop a UNIQUE constraint in place, so the messages table is rebuilt the documented way (new
 * table, copy, drop, rename, then its indexes and triggers again), with foreign keys off
 * ({@link #rebuildsTables()}). Rows keep their {@code seq}: the search index refers to messages by it (external
 * content), so it stays valid as it is. The constraint lists the id first, so time-ordered ids keep adding to the
 * end of its index as before. Pages and marking read order by (hlc, id, sender): (hlc, id) no longer names one
 * message of a conversation. The conversation index stays (conversation_id, hlc, id): SQLite orders the rare
 * messages that share a clock and an id by sender itself, and a sender column in that index cost a quarter to a
 * third of the insert rate of large batches.
 *
 * <p>Receipts referred to a message by id; they now refer to its {@code seq}. Outbox entries carried only the
 * envelope's id; an entry for a message of ours now also refers to that message, so an acknowledgement finds the
 * message it delivered without looking its id up. Both are filled from the ids, which were unique until now.
 */
final class V9MessageKeys implements Migration {
    @Override
    public int version() {
        return 9;
    }

    @Override
    public boolean rebuildsTables() {
        return true;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE messages_v7 (
                  seq             INTEGER PRIMARY KEY,
                  id              TEXT NOT NULL,
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
                    OR (direction = 'INCOMING' AND state IN ('RECEIVED', 'READ'))),
                  UNIQUE (id, conversation_id, sender)
                )""");
        session.execute("""
                INSERT INTO messages_v7 (seq, id, conversation_id, sender, hlc, sent_at, received_at, direction, kind,
                                         body, state)
                  SELECT seq, id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body, state
                  FROM messages""");
        // Refers to "messages", which after the rename below is the new table.
        session.execute("""
                CREATE TABLE receipts_v7 (
                  message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
                  peer_id     TEXT NOT NULL,
                  kind        TEXT NOT NULL CHECK (kind IN ('DELIVERED', 'READ')),
                  at          INTEGER NOT NULL,
                  PRIMARY KEY (message_seq, peer_id, kind)
                ) WITHOUT ROWID""");
        session.execute("""
                INSERT INTO receipts_v7 (message_seq, peer_id, kind, at)
                  SELECT m.seq, r.peer_id, r.kind, r.at FROM receipts r JOIN messages m ON m.id = r.message_id""");
        session.execute("DROP TABLE receipts");
        // Takes the old table's indexes and its search triggers with it.
        session.execute("DROP TABLE messages");
        session.execute("ALTER TABLE messages_v7 RENAME TO messages");
        session.execute("ALTER TABLE receipts_v7 RENAME TO receipts");
        session.execute("CREATE INDEX messages_by_conversation ON messages (conversation_id, hlc, id)");
        session.execute("CREATE INDEX messages_unread ON messages (conversation_id) WHERE state = 'RECEIVED'");
        for (String trigger : V2ReceiptsAndSearch.SEARCH_TRIGGERS) {
            session.execute(trigger);
        }
        // A deleted message leaves its envelopes queued (they are on their way) but no longer refers to them.
        session.execute("ALTER TABLE outbox ADD COLUMN message_seq INTEGER"
                + " REFERENCES messages (seq) ON DELETE SET NULL");
        session.execute("""
                UPDATE outbox SET message_seq = (
                  SELECT seq FROM messages m WHERE m.id = outbox.message_id AND m.direction = 'OUTGOING')""");
        // Deleting a message looks for the entries that refer to it; most entries refer to none.
        session.execute("CREATE INDEX outbox_by_message ON outbox (message_seq) WHERE message_seq IS NOT NULL");
    }
}
