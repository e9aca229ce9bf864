package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Full-text search over message bodies (SQLite FTS5, case- and diacritic-insensitive, whole words). Hits come
 * newest-stored first, each with a snippet of its body around the matched words. The index lags the newest messages
 * between searches; each search brings it up to date first.
 */
public final class MessageSearch {
    /** Words of context a snippet shows around the matches (FTS5 allows up to 64). */
    static final int SNIPPET_TOKENS = 16;
    private static final String SEARCH = "SELECT m.conversation_id, m.sender, m.id, m.hlc,"
            + " snippet(messages_fts, 0, '" + Snippet.OPEN_MARK + "', '" + Snippet.CLOSE_MARK + "', '…', "
            + SNIPPET_TOKENS + ")"
            // CROSS JOIN keeps the index as the outer loop, so results stream out in rowid order and stop at the
            // limit instead of walking the messages one by one.
            + " FROM messages_fts CROSS JOIN messages m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ?"
            + " ORDER BY messages_fts.rowid DESC LIMIT ?";

    private final Database database;

    MessageSearch(Database database) {
        this.database = database;
    }

    /** Messages of every conversation containing all the words of {@code text}; any text is safe to pass. */
    public List<SearchHit> search(String text, int limit) {
        Check.limit(limit);
        Optional<String> query = FtsQuery.fromUserText(text);
        if (query.isEmpty()) {
            return List.of();
        }
        database.bringSearchIndexUpToDate();
        return database.read(session -> session.list(SEARCH, MessageSearch::readHit, query.get(), limit));
    }

    private static SearchHit readHit(ResultSet row) throws SQLException {
        return new SearchHit(row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
                Snippet.fromMarked(row.getString(5)));
    }
}
