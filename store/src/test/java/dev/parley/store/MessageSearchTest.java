package dev.parley.store;

import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSearchTest extends StoreOnDisk {
    @BeforeEach
    void addConversations() {
        TestData.addAliceChat(store);
        store.conversations().create(Conversation.room("room-chat", "room-1", "Room", T0));
        store.messages().insertAll(List.of(
                incoming(CHAT, "m1", 1, "Shall we meet at the Café Central tomorrow?"),
                incoming(CHAT, "m2", 2, "The café was closed, so we went to the park instead"),
                incoming("room-chat", "m3", 3, "Cafe opening hours: AND OR NOT \"quoted\" stuff*"),
                incoming(CHAT, "m4", 4, "nothing to see here")));
    }

    @Test
    void findsWordsRegardlessOfCaseAndDiacriticsNewestFirst() {
        assertThat(store.search().search("CAFE", 10)).extracting(SearchHit::messageId)
                .containsExactly("m3", "m2", "m1");
    }

    @Test
    void allWordsMustMatch() {
        assertThat(store.search().search("café park", 10)).extracting(SearchHit::messageId).containsExactly("m2");
        assertThat(store.search().search("café elephant", 10)).isEmpty();
    }

    @Test
    void theSnippetHighlightsTheMatchedWords() {
        SearchHit hit = store.search().search("central meet", 10).getFirst();
        assertThat(hit.conversationId()).isEqualTo(CHAT);
        assertThat(hit.hlc()).isEqualTo(1);
        assertThat(hit.snippet().text()).isEqualTo("Shall we meet at the Café Central tomorrow?");
        assertThat(hit.snippet().highlights()).extracting(h -> hit.snippet().text().substring(h.start(), h.end()))
                .containsExactly("meet", "Central");
    }

    @Test
    void theLastWordMatchesAsThePrefixOfAWordUntilASpaceFollowsIt() {
        store.messages().insert(incoming(CHAT, "m5", 5, "Welcome to the club"));
        assertThat(store.search().search("welc", 10)).extracting(SearchHit::messageId).containsExactly("m5");
        assertThat(store.search().search("w", 10)).extracting(SearchHit::messageId).containsExactly("m5", "m2", "m1");
        assertThat(store.search().search("café centr", 10)).extracting(SearchHit::messageId).containsExactly("m1");
        assertThat(store.search().search("welc ", 10)).as("a finished word").isEmpty();
        assertThat(store.search().search("welc club", 10)).as("only the last word is a prefix").isEmpty();
    }

    @Test
    void aLimitKeepsTheNewestHits() {
        assertThat(store.search().search("cafe", 1)).extracting(SearchHit::messageId).containsExactly("m3");
    }

    @Test
    void conversationIdsAreNotSearchedAsText() {
        store.conversations().create(Conversation.room("old-room-chat", "room-2", "Old room", T0));
        store.messages().insertAll(List.of(incoming("old-room-chat", "m5", 5, "cafe in the old room")));

        assertThat(store.search().search("room", 10)).extracting(SearchHit::messageId).containsExactly("m5");
        assertThat(store.search().search("chat", 10)).isEmpty();
    }

    @Test
    void operatorWordsAndPunctuationAreSearchedAsText() {
        assertThat(store.search().search("AND", 10)).extracting(SearchHit::messageId).containsExactly("m3");
        assertThat(store.search().search("\"quoted", 10)).extracting(SearchHit::messageId).containsExactly("m3");
        assertThat(store.search().search("stuff*", 10)).extracting(SearchHit::messageId).containsExactly("m3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "\"\"", "*", "a*b", "AND", "OR", "NOT", "NEAR(", "NEAR(a b)", "body:cafe",
            "{body}: x", "^start", "-", "- cafe", "(", ")", "((cafe", "cafe\"", "'", "''", "\\", ":", "+", "%_",
            "\u0000", "\uFDD0", "", "   ", "😀", "café\"AND\"park", "x\"y\"z*"})
    void hostileTextNeverBreaksTheQuery(String text) {
        assertThatCode(() -> store.search().search(text, 10)).doesNotThrowAnyException();
    }

    /**
     * Messages committed one at a time are indexed in bulk (SearchIndex.LAG), yet a search finds each: it brings the
     * index up to date first. Edits and deletions of messages the index does not hold yet keep it exact.
     */
    @Test
    void theIndexLagsBetweenSearchesAndEverySearchFindsEveryMessageStoredBeforeIt() throws Exception {
        store.search().search("anything", 1);
        long indexed = indexedUpTo();
        for (int i = 0; i < 10; i++) {
            store.messages().insert(incoming(CHAT, "one-" + i, 10 + i, "heron number " + i));
        }
        assertThat(indexedUpTo()).as("ten commits of one message each are not indexed one by one").isEqualTo(indexed);
        store.actions().edit(TestData.fromAlice("one-3"), TestData.ALICE, "e1", 30,
                "egret instead", T0);
        store.actions().deleteForEveryone(TestData.fromAlice("one-4"), TestData.ALICE, T0);

        assertThat(store.search().search("heron", 20)).extracting(SearchHit::messageId)
                .containsExactly("one-9", "one-8", "one-7", "one-6", "one-5", "one-2", "one-1", "one-0");
        assertThat(store.search().search("egret", 20)).extracting(SearchHit::messageId).containsExactly("one-3");
        assertThat(indexedUpTo()).isGreaterThan(indexed);
        assertThat(SchemaFiles.integrityCheck(file())).containsExactly("ok");

        long before = indexedUpTo();
        for (int i = 0; i < SearchIndex.LAG; i++) {
            store.messages().insert(incoming(CHAT, "bulk-" + i, 100 + i, "ibis " + i));
        }
        assertThat(indexedUpTo()).as("the writer indexed the lot once LAG waited").isEqualTo(before + SearchIndex.LAG);
    }

    @Test
    void closingTheStoreLeavesTheIndexComplete() throws Exception {
        store.messages().insert(incoming(CHAT, "last", 20, "the last words before closing"));
        store.close();
        assertThat(SchemaFiles.query(file(), "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'closing'"))
                .hasSize(1);
        assertThat(SchemaFiles.integrityCheck(file())).containsExactly("ok");
        store = SqliteStore.open(file());
    }

    private long indexedUpTo() throws Exception {
        return Long.parseLong(SchemaFiles.query(file(), "SELECT indexed_seq FROM search_state").getFirst());
    }
}
