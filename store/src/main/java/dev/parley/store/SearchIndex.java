package dev.parley.store;

import java.sql.SQLException;

/**
 * Indexes the messages stored since the search index was last brought up to date (see
 * {@link V2ReceiptsAndSearch}): one statement for all of them, so FTS5 writes one index segment per transaction
 * instead of one per message. The writer runs it at the end of every transaction; {@link Database} once at open,
 * for rows written past the store.
 */
final class SearchIndex {
    private SearchIndex() {
    }

    static Void catchUp(SqliteSession session) throws SQLException {
        long newest = session.number("SELECT coalesce(max(seq), 0) FROM messages");
        if (newest > session.number("SELECT indexed_seq FROM search_state")) {
            session.update("""
                    INSERT INTO messages_fts (rowid, body, conversation_id)
                      SELECT seq, body, conversation_id FROM messages
                      WHERE seq > (SELECT indexed_seq FROM search_state)""");
            session.update("UPDATE search_state SET indexed_seq = ?", newest);
        }
        return null;
    }
}
