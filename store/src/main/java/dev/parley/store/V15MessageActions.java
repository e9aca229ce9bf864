package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 15: what can happen to a message after it is written (app/README.md, "Message actions").
 *
 * <ul>
 *   <li>{@code message_extras}: per message, the message it replies to (by key, never a copy of its text), whether
 *       it was forwarded, when it was last edited, deleted for everyone, or hidden here (deleted for me). Most
 *       messages have no row.</li>
 *   <li>{@code message_edits}: every version of an edited message, the original first, keyed by the edit's id so a
 *       replayed edit is a duplicate. A deletion for everyone removes them with the text.</li>
 *   <li>{@code reactions}: one row per message, person and emoji, holding the clock of the latest add or removal:
 *       a replayed or late older action loses to it, so actions apply in any order and any number of times.</li>
 *   <li>{@code pending_actions}: actions naming a message that has not arrived (yet), applied when it does; kept
 *       within {@link MessageActions#MAX_PENDING_PER_SENDER} per conversation and sender.</li>
 * </ul>
 *
 * <p>Deleting for everyone must leave no trace of the text in the file: the search index is switched to FTS5's
 * {@code secure-delete}, which removes a row's terms from the index segments at once instead of adding a
 * tombstone that merges away some day; the connection's {@code secure_delete} PRAGMA zeroes freed space.
 */
final class V15MessageActions implements Migration {
    @Override
    public int version() {
        return 15;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE message_extras (
                  message_seq     INTEGER PRIMARY KEY REFERENCES messages (seq) ON DELETE CASCADE,
                  reply_to_id     TEXT,
                  reply_to_sender TEXT,
                  forwarded       INTEGER NOT NULL DEFAULT 0,
                  edited_hlc      INTEGER,
                  deleted_at      INTEGER,
                  hidden          INTEGER NOT NULL DEFAULT 0
                )""");
        session.execute("""
                CREATE TABLE message_edits (
                  message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
                  edit_id     TEXT NOT NULL,
                  hlc         INTEGER NOT NULL,
                  body        TEXT NOT NULL,
                  at          INTEGER NOT NULL,
                  PRIMARY KEY (message_seq, edit_id)
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE reactions (
                  message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
                  reactor     TEXT NOT NULL,
                  emoji       TEXT NOT NULL,
                  hlc         INTEGER NOT NULL,
                  present     INTEGER NOT NULL CHECK (present IN (0, 1)),
                  PRIMARY KEY (message_seq, reactor, emoji)
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE pending_actions (
                  seq             INTEGER PRIMARY KEY,
                  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                  target_sender   TEXT NOT NULL,
                  target_id       TEXT NOT NULL,
                  actor           TEXT NOT NULL,
                  action_id       TEXT NOT NULL,
                  kind            TEXT NOT NULL CHECK (kind IN ('REACT', 'UNREACT', 'EDIT', 'DELETE')),
                  hlc             INTEGER NOT NULL,
                  detail          TEXT NOT NULL,
                  received_at     INTEGER NOT NULL,
                  UNIQUE (conversation_id, actor, action_id)
                )""");
        session.execute("CREATE INDEX pending_by_target ON pending_actions (conversation_id, target_sender, target_id)");
        session.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1)");
    }
}
