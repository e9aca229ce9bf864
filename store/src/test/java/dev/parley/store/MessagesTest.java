package dev.parley.store;

import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.fromAlice;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.mine;
import static dev.parley.store.TestData.outgoing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagesTest extends StoreOnDisk {
    private static final String ROOM_CHAT = "chat-room-1";
    private static final String MALLORY = "12D3KooWMallory";

    @BeforeEach
    void addConversations() {
        TestData.addAliceChat(store);
    }

    /** The chat's unread count, as the conversation list shows it. */
    private int unread() {
        return store.conversations().list().stream().filter(summary -> summary.conversation().id().equals(CHAT))
                .findFirst().orElseThrow().unread();
    }

    @Test
    void aDuplicateIdIsReportedAndChangesNothing() {
        StoredMessage first = incoming(CHAT, "m1", 10, "hello");
        assertThat(store.messages().insert(first)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.messages().insert(incoming(CHAT, "m1", 99, "a different body")))
                .isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.messages().get(fromAlice("m1"))).contains(first);
    }

    /**
     * The attack of a contact who sends a message with the id of another's message before it arrives: the id
     * names another message as soon as the sender or the conversation differs, and both are kept.
     */
    @Test
    void keptCountsOneSendersMessagesAndTheirBodyBytesInOneConversation() {
        store.messages().insert(incoming(CHAT, "a", 1, "héllo"));
        store.messages().insert(incoming(CHAT, "b", 2, "world"));
        store.messages().insert(outgoing(CHAT, "c", 3, "not hers"));

        assertThat(store.messages().kept(CHAT, TestData.ALICE)).isEqualTo(new KeptMessages(2, 11));
        assertThat(store.messages().kept(CHAT, MALLORY)).isEqualTo(new KeptMessages(0, 0));
    }

    @Test
    void theSameIdFromAnotherSenderOrInAnotherConversationIsAnotherMessage() {
        store.conversations().create(Conversation.room(ROOM_CHAT, "room-1", "Climbing", TestData.T0));
        StoredMessage alices = incoming(CHAT, "x", 1, "Alice's words");
        StoredMessage ours = outgoing(CHAT, "x", 2, "our words");
        StoredMessage inTheRoom = incoming(ROOM_CHAT, "x", 3, "Alice in the room");
        StoredMessage mallorys = new StoredMessage("x", ROOM_CHAT, MALLORY, 4, TestData.T0, TestData.T0,
                Direction.INCOMING, MessageKind.NOTICE, "Mallory's claim", MessageState.RECEIVED);

        assertThat(store.messages().insert(mallorys)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.messages().insert(alices)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.messages().insertAll(List.of(ours, inTheRoom)))
                .containsExactly(InsertOutcome.INSERTED, InsertOutcome.INSERTED);
        assertThat(store.messages().insert(incoming(CHAT, "x", 9, "a replay of Alice's")))
                .isEqualTo(InsertOutcome.DUPLICATE);

        for (StoredMessage message : List.of(alices, ours, inTheRoom, mallorys)) {
            assertThat(store.messages().get(message.key())).contains(message);
        }
        assertThat(store.messages().newest(CHAT, 10).messages()).containsExactly(ours, alices);
        assertThat(store.search().search("words", 10)).extracting(SearchHit::sender)
                .containsExactly(TestData.ME, TestData.ALICE);
        assertThat(store.messages().delete(new MessageKey(CHAT, MALLORY, "x"))).isFalse();
        assertThat(store.messages().get(alices.key())).isPresent();
    }

    @Test
    void largeInsertsTellMessagesOfTheSameIdApartBySender() {
        List<StoredMessage> list = new ArrayList<>();
        for (int i = 0; i < Messages.ROWS_PER_STATEMENT; i++) {
            String id = String.format("m%03d", i / 2);
            list.add(i % 2 == 0 ? incoming(CHAT, id, i, "theirs") : outgoing(CHAT, id, i, "ours"));
        }
        store.messages().insert(list.get(10));
        list.add(list.get(20));

        assertThat(store.messages().insertAll(list)).containsExactlyElementsOf(IntStream.range(0, list.size())
                .mapToObj(i -> i == 10 || i == Messages.ROWS_PER_STATEMENT ? InsertOutcome.DUPLICATE
                        : InsertOutcome.INSERTED).toList());
        assertThat(store.messages().newest(CHAT, 1000).messages()).hasSize(Messages.ROWS_PER_STATEMENT);
    }

    @Test
    void messagesOfTheSameClockAndIdFromTwoSendersBothHaveTheirPlaceOnPages() {
        store.messages().insertAll(List.of(incoming(CHAT, "a", 1, "first"), incoming(CHAT, "same", 2, "Alice's"),
                outgoing(CHAT, "same", 2, "a copy of her id and clock"), incoming(CHAT, "z", 3, "last")));

        assertThat(pagesNewestFirst(1).stream().flatMap(page -> page.messages().stream()))
                .extracting(StoredMessage::body)
                .containsExactly("last", "a copy of her id and clock", "Alice's", "first");
        StoredMessage alices = store.messages().newest(CHAT, 3).messages().getLast();
        assertThat(store.messages().after(CHAT, alices.cursor(), 10).messages()).extracting(StoredMessage::body)
                .containsExactly("a copy of her id and clock", "last");
        assertThat(store.messages().markRead(CHAT, alices.cursor())).containsExactly(fromAlice("a"),
                fromAlice("same"));
    }

    @Test
    void insertAllReportsEachOutcomeInOrder() {
        store.messages().insert(incoming(CHAT, "b", 2, "two"));
        List<InsertOutcome> outcomes = store.messages().insertAll(List.of(
                incoming(CHAT, "a", 1, "one"), incoming(CHAT, "b", 2, "two"), incoming(CHAT, "a", 1, "one")));
        assertThat(outcomes).containsExactly(InsertOutcome.INSERTED, InsertOutcome.DUPLICATE,
                InsertOutcome.DUPLICATE);
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::id)
                .containsExactly("b", "a");
    }

    @Test
    void largeInsertsReportDuplicatesFromTheStoreAndFromWithinTheList() {
        store.messages().insert(incoming(CHAT, "m007", 7, "already here"));
        store.messages().insert(incoming(CHAT, "m230", 230, "already here"));
        List<StoredMessage> list = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            list.add(incoming(CHAT, String.format("m%03d", i), i, "body " + i));
        }
        list.set(50, incoming(CHAT, "m049", 49, "body 49"));
        list.set(150, incoming(CHAT, "m020", 20, "body 20"));

        List<InsertOutcome> outcomes = store.messages().insertAll(list);

        List<Integer> duplicates = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == InsertOutcome.DUPLICATE) {
                duplicates.add(i);
            }
        }
        assertThat(duplicates).containsExactly(7, 50, 150, 230);
        assertThat(store.messages().get(fromAlice("m007")).map(StoredMessage::body)).contains("already here");
        assertThat(store.messages().newest(CHAT, 1000).messages()).hasSize(238);
        assertThat(store.search().search("body", 1000)).hasSize(236);
    }

    @Test
    void anUnknownConversationInALargeInsertIsNamedAndNothingIsStored() {
        List<StoredMessage> list = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            list.add(incoming(i == 42 ? "nowhere" : CHAT, "m" + i, i, "x"));
        }
        assertThatThrownBy(() -> store.messages().insertAll(list)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'nowhere'");
        assertThat(store.messages().newest(CHAT, 10).messages()).isEmpty();
    }

    @Test
    void pagesWalkTheConversationNewestFirstWithoutGapsOrRepeats() {
        List<StoredMessage> all = new ArrayList<>();
        for (int i = 0; i < 237; i++) {
            // Every third hlc repeats, so the id tie-break is exercised at page boundaries.
            all.add(incoming(CHAT, String.format("m%03d", i), i / 3, "message " + i));
        }
        store.messages().insertAll(all);

        List<Page> pages = pagesNewestFirst(50);
        List<StoredMessage> expected = new ArrayList<>(all);
        expected.sort(Comparator.comparing(StoredMessage::hlc).thenComparing(StoredMessage::id).reversed());
        assertThat(pages.stream().flatMap(page -> page.messages().stream())).containsExactlyElementsOf(expected);
        assertThat(pages.getLast().messages()).hasSize(37);
    }

    /** Every page of the chat, from the newest, each {@code size} long but the last. */
    private List<Page> pagesNewestFirst(int size) {
        List<Page> pages = new ArrayList<>(List.of(store.messages().newest(CHAT, size)));
        while (pages.getLast().next().isPresent()) {
            pages.add(store.messages().before(CHAT, pages.getLast().next().get(), size));
        }
        return pages;
    }

    @Test
    void pagesAfterACursorWalkForwardToThePresentWithoutGapsOrRepeats() {
        List<StoredMessage> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            all.add(incoming(CHAT, String.format("m%03d", i), i / 3, "message " + i));
        }
        store.messages().insertAll(all);
        all.sort(Comparator.comparing(StoredMessage::hlc).thenComparing(StoredMessage::id));

        List<StoredMessage> walked = new ArrayList<>();
        Page page = store.messages().after(CHAT, all.get(9).cursor(), 25);
        walked.addAll(page.messages());
        while (page.next().isPresent()) {
            page = store.messages().after(CHAT, page.next().get(), 25);
            walked.addAll(page.messages());
        }
        assertThat(walked).containsExactlyElementsOf(all.subList(10, all.size()));
        assertThat(page.messages()).hasSize(10);
    }

    @Test
    void aPageOfExactlyTheRemainingMessagesHasNoNextCursor() {
        store.messages().insertAll(List.of(incoming(CHAT, "a", 1, "x"), incoming(CHAT, "b", 2, "y")));
        Page page = store.messages().newest(CHAT, 2);
        assertThat(page.messages()).hasSize(2);
        assertThat(page.next()).isEmpty();
        assertThat(store.messages().newest(CHAT, 1).next()).contains(new MessageCursor(2, "b", TestData.ALICE));
    }

    @Test
    void markingReadUpToAMessageClearsTheUnreadCountAndNamesWhatBecameRead() {
        store.messages().insertAll(List.of(incoming(CHAT, "a", 1, "x"), outgoing(CHAT, "mine", 2, "y"),
                incoming(CHAT, "b", 3, "z"), incoming(CHAT, "c", 4, "w")));
        assertThat(unread()).isEqualTo(3);

        assertThat(store.messages().markRead(CHAT, new MessageCursor(3, "b", TestData.ALICE)))
                .containsExactly(fromAlice("a"), fromAlice("b"));
        assertThat(unread()).isEqualTo(1);
        assertThat(store.messages().markRead(CHAT, new MessageCursor(4, "c", TestData.ALICE)))
                .containsExactly(fromAlice("c"));
        assertThat(unread()).isZero();
        assertThat(store.messages().get(fromAlice("b")).map(StoredMessage::state)).contains(MessageState.READ);
        assertThat(store.messages().get(mine("mine")).map(StoredMessage::state)).contains(MessageState.SENDING);
    }

    @Test
    void aTooLongBodyIsRefusedWithItsSizeAndNothingIsStored() {
        String body = "é".repeat(StoreLimits.MAX_BODY_BYTES / 2 + 1);
        assertThatThrownBy(() -> store.messages().insertAll(List.of(incoming(CHAT, "ok", 1, "fine"),
                incoming(CHAT, "big", 2, body))))
                .isInstanceOfSatisfying(BodyTooLongException.class, e -> {
                    assertThat(e.messageId()).isEqualTo("big");
                    assertThat(e.bodyBytes()).isEqualTo(StoreLimits.MAX_BODY_BYTES + 2);
                })
                .hasMessageContaining("65538 bytes").hasMessageContaining("limit is 65536");
        assertThat(store.messages().get(fromAlice("ok"))).isEmpty();
        assertThat(store.messages().insert(incoming(CHAT, "edge", 3, "x".repeat(StoreLimits.MAX_BODY_BYTES))))
                .isEqualTo(InsertOutcome.INSERTED);
    }

    @Test
    void anUnknownConversationIsNamedAndTheRestOfTheWriteIsUndone() {
        assertThatThrownBy(() -> store.messages().insertAll(List.of(incoming(CHAT, "ok", 1, "fine"),
                incoming("no-such-chat", "lost", 2, "x"))))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.entity()).isEqualTo(NotFoundException.Entity.CONVERSATION);
                    assertThat(e.id()).isEqualTo("no-such-chat");
                })
                .hasMessageContaining("no conversation with id 'no-such-chat'");
        assertThat(store.messages().get(fromAlice("ok"))).isEmpty();
        assertThat(store.messages().insert(incoming(CHAT, "ok", 1, "fine"))).isEqualTo(InsertOutcome.INSERTED);
    }

    @Test
    void badIdsAreRefusedWhenTheRecordIsMade() {
        assertThatThrownBy(() -> incoming(CHAT, " ", 1, "x")).isInstanceOf(InvalidInputException.class)
                .hasMessage("message id is missing");
        assertThatThrownBy(() -> incoming(CHAT, "x".repeat(StoreLimits.MAX_ID_LENGTH + 1), 1, "x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("257 characters");
        assertThatThrownBy(() -> new StoredMessage("m", CHAT, "p", 1, TestData.T0, TestData.T0, Direction.INCOMING,
                MessageKind.TEXT, "x", MessageState.SENT)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("INCOMING and cannot be SENT");
    }

    /** Nothing in the app edits a body; the schema's trigger keeps the search index in step if anything does. */
    @Test
    void anEditedBodyIsWhatSearchFinds() throws Exception {
        store.messages().insert(incoming(CHAT, "e", 1, "see you at the station"));
        SchemaFiles.execute(file(), "UPDATE messages SET body = 'see you at the harbour'"
                + " WHERE conversation_id = '" + CHAT + "' AND sender = '" + TestData.ALICE + "' AND id = 'e'");
        assertThat(store.search().search("station", 10)).isEmpty();
        assertThat(store.search().search("harbour", 10)).extracting(SearchHit::messageId).containsExactly("e");
        assertThat(store.messages().get(fromAlice("e")).map(StoredMessage::body)).contains("see you at the harbour");
    }

    @Test
    void aDeletedMessageLeavesPagesAndSearch() {
        store.messages().insertAll(List.of(incoming(CHAT, "keep", 1, "apples"), incoming(CHAT, "gone", 2, "apples")));
        assertThat(store.messages().delete(fromAlice("gone"))).isTrue();
        assertThat(store.messages().delete(fromAlice("gone"))).isFalse();
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::id).containsExactly("keep");
        assertThat(store.search().search("apples", 10)).extracting(SearchHit::messageId).containsExactly("keep");
    }

    @Test
    void aRowidFreedByDeletingTheNewestMessageIsIndexedWhenReused() throws Exception {
        store.messages().insert(incoming(CHAT, "a", 1, "alpha"));
        store.messages().insert(incoming(CHAT, "b", 2, "bravo"));
        store.messages().delete(fromAlice("b"));
        store.messages().insert(incoming(CHAT, "c", 3, "charlie"));
        assertThat(store.search().search("charlie", 10)).extracting(SearchHit::messageId).containsExactly("c");
        assertThat(store.search().search("bravo", 10)).isEmpty();
        assertThat(SchemaFiles.query(file(), "SELECT seq FROM messages WHERE id = 'c'")).containsExactly("2");
        assertThat(SchemaFiles.integrityCheck(file())).containsExactly("ok");
    }

    @Test
    void pageLimitsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> store.messages().newest(CHAT, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit 0");
        assertThatThrownBy(() -> store.messages().newest(CHAT, StoreLimits.MAX_PAGE_SIZE + 1))
                .isInstanceOf(InvalidInputException.class);
        assertThat(store.messages().newest("empty", 5)).isEqualTo(new Page(List.of(), Optional.empty()));
    }

    @Test
    void aMessageStoredWithItsSessionEnvelopeRecordsTheEnvelopeOpenedInTheSameWriteOrNotAtAll() {
        long writesBefore = store.stats().writes();

        assertThat(store.messages().insertOpenedAsync(incoming(CHAT, "m1", 1, "hello"),
                new OpenedEnvelope(TestData.ALICE, "m1", TestData.T0)).join()).isEqualTo(InsertOutcome.INSERTED);

        assertThat(store.stats().writes() - writesBefore).isEqualTo(1);
        assertThat(store.messages().get(fromAlice("m1"))).isPresent();
        assertThat(store.sessions().wasOpened(TestData.ALICE, "m1")).isTrue();

        // A message whose conversation is missing fails in its write: the envelope is not recorded either, so a copy
        // sent again is opened and stored then, not taken for one stored already.
        StoredMessage nowhere = incoming("no-such-chat", "m2", 2, "lost?");
        assertThatThrownBy(() -> store.messages().insertOpenedAsync(nowhere,
                new OpenedEnvelope(TestData.ALICE, "m2", TestData.T0)).join()).hasCauseInstanceOf(NotFoundException.class);
        assertThat(store.sessions().wasOpened(TestData.ALICE, "m2")).isFalse();

        // A copy stored again (its first ack lost) is a duplicate, and its envelope stays recorded.
        assertThat(store.messages().insertOpenedAsync(incoming(CHAT, "m1", 1, "hello"),
                new OpenedEnvelope(TestData.ALICE, "m1", TestData.T0)).join()).isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.sessions().wasOpened(TestData.ALICE, "m1")).isTrue();
    }
}
