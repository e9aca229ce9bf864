package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 14: the search index keeps prefixes of two and three characters, so that a search for the start of a word
 * ("welc" for "welcome", as {@link FtsQuery} asks for the last word typed) reads a few prefix entries instead of
 * walking every word in the index that begins so. Longer prefixes narrow the words enough to go without.
 *
 * <p>FTS5 cannot add a prefix index to a table: the step drops {@code messages_fts} and makes it again as version 2
 * did, with {@code prefix = '2 3'}, and indexes every message again. The triggers of version 2 name the table, not
 * its options, and keep working on the new one; the {@code automerge} setting lived in the dropped table and is set
 * again.
 */
final class V14PrefixSearch implements Migration {
    @Override
    public int version() {
        return 14;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("DROP TABLE messages_fts");
        session.execute("""
                CREATE VIRTUAL TABLE messages_fts USING fts5 (
                  body, conversation_id, content = 'messages', content_rowid = 'seq',
                  tokenize = 'unicode61 remove_diacritics 2', columnsize = 0, prefix = '2 3')""");
        session.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 8)");
        session.execute("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
        session.execute("UPDATE search_state SET indexed_seq = (SELECT coalesce(max(seq), 0) FROM messages)");
    }
}
