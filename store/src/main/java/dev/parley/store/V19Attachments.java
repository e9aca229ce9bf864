package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 19: files offered with messages (app/README.md, "Files"). {@code attachments} holds, for each message that
 * offers a file, the offer as the app encodes it (opaque here), its root (the name a file has on the wire, indexed so
 * that a fetcher's request finds it), its size and chunk count, the leaf hashes once known, which chunks are on disk
 * (a bitmap, for resuming) and the transfer's state; once the whole file is here, the SHA-256 of its content, which
 * names the one copy every message offering the same bytes shares.
 */
final class V19Attachments implements Migration {
    @Override
    public int version() {
        return 19;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("""
                CREATE TABLE attachments (
                  conversation_id TEXT NOT NULL,
                  sender          TEXT NOT NULL,
                  message_id      TEXT NOT NULL,
                  root            BLOB NOT NULL,
                  offer           BLOB NOT NULL,
                  size            INTEGER NOT NULL CHECK (size >= 0),
                  chunks          INTEGER NOT NULL CHECK (chunks >= 0),
                  leaves          BLOB,
                  held            BLOB NOT NULL,
                  state           TEXT NOT NULL CHECK (state IN
                                    ('OFFERED', 'FETCHING', 'PAUSED', 'COMPLETE', 'CANCELLED', 'FAILED')),
                  content         TEXT,
                  PRIMARY KEY (conversation_id, sender, message_id)
                ) WITHOUT ROWID""");
        session.execute("CREATE INDEX attachments_by_root ON attachments (root)");
        session.execute("CREATE INDEX attachments_by_content ON attachments (content) WHERE content IS NOT NULL");
    }
}
