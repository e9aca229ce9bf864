package dev.parley.store;

import java.sql.SQLException;

/**
 * Indexes the messages stored since the search index was last brought up to date (see
 * {@link V2ReceiptsAndSearch}): one statement for all of them, so FTS5 writes one index segment per batch instead of
 * one per message.
 *
 * <p>The writer runs {@link #catchUpInBulk} at the end of every transaction, which indexes only once {@link #LAG}
 * messages wait: a chat sent one message at a time commits every message alone, and an index segment per commit
 * (with FTS5's merging of them) cost about 60 µs of CPU and 85 µs of the commit's time (store/README.md). A search
 * brings the index up to date first ({@link #behind}, {@link #catchUp}), so it finds every message stored before it
 * began; {@link Database} catches up at open and at close too.
 */
final class SearchIndex {
    /** How many stored messages the index may lack between searches. */
    static final int LAG = 256;

    private SearchIndex() {
    }

    /** Whether messages wait to be indexed. */
    static boolean behind(SqliteSession session) throws SQLException {
        return session.number("SELECT coalesce(max(seq), 0) - (SELECT indexed_seq FROM search_state) FROM messages")
                > 0;
    }

    /** Indexes every message not yet indexed. */
    static Void catchUp(SqliteSession session) throws SQLException {
        return catchUp(session, 1);
    }

    /** Indexes the messages not yet indexed if there are {@link #LAG} of them or more. */
    static Void catchUpInBulk(SqliteSession session) throws SQLException {
        return catchUp(session, LAG);
    }

    private static Void catchUp(SqliteSession session, int atLeast) throws SQLException {
        long newest = session.number("SELECT coalesce(max(seq), 0) FROM messages");
        if (newest - session.number("SELECT indexed_seq FROM search_state") >= atLeast) {
            session.update("""
                    INSERT INTO messages_fts (rowid, body, conversation_id)
                      SELECT seq, body, conversation_id FROM messages
                      WHERE seq > (SELECT indexed_seq FROM search_state)""");
            session.update("UPDATE search_state SET indexed_seq = ?", newest);
        }
        return null;
    }
}
