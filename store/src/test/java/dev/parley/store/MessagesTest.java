package dev.parley.store;

import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.outgoing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagesTest extends StoreOnDisk {
    @BeforeEach
    void addConversations() {
        TestData.addAliceChat(store);
    }

    @Test
    void aDuplicateIdIsReportedAndChangesNothing() {
        StoredMessage first = incoming(CHAT, "m1", 10, "hello");
        assertThat(store.messages().insert(first)).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.messages().insert(incoming(CHAT, "m1", 99, "a different body")))
                .isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(store.messages().get("m1")).contains(first);
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
        assertThat(store.messages().get("m007").map(StoredMessage::body)).contains("already here");
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

        List<StoredMessage> walked = new ArrayList<>();
        Page page = store.messages().newest(CHAT, 50);
        walked.addAll(page.messages());
        while (page.next().isPresent()) {
            page = store.messages().before(CHAT, page.next().get(), 50);
            walked.addAll(page.messages());
        }
        List<StoredMessage> expected = new ArrayList<>(all);
        expected.sort(Comparator.comparing(StoredMessage::hlc).thenComparing(StoredMessage::id).reversed());
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(page.messages()).hasSize(37);
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
        assertThat(store.messages().newest(CHAT, 1).next()).contains(new MessageCursor(2, "b"));
    }

    @Test
    void markingReadUpToAMessageClearsTheUnreadCountAndNamesWhatBecameRead() {
        store.messages().insertAll(List.of(incoming(CHAT, "a", 1, "x"), outgoing(CHAT, "mine", 2, "y"),
                incoming(CHAT, "b", 3, "z"), incoming(CHAT, "c", 4, "w")));
        assertThat(store.messages().unreadCount(CHAT)).isEqualTo(3);

        assertThat(store.messages().markRead(CHAT, new MessageCursor(3, "b"))).containsExactly("a", "b");
        assertThat(store.messages().unreadCount(CHAT)).isEqualTo(1);
        assertThat(store.messages().markRead(CHAT, new MessageCursor(4, "c"))).containsExactly("c");
        assertThat(store.messages().unreadCount(CHAT)).isZero();
        assertThat(store.messages().get("b").map(StoredMessage::state)).contains(MessageState.READ);
        assertThat(store.messages().get("mine").map(StoredMessage::state)).contains(MessageState.SENDING);
    }

    @Test
    void statesOnlyMoveForward() {
        store.messages().insert(outgoing(CHAT, "o", 1, "x"));
        assertThat(store.messages().advanceState("o", MessageState.DELIVERED)).isTrue();
        assertThat(store.messages().advanceState("o", MessageState.SENT)).isFalse();
        assertThat(store.messages().get("o").map(StoredMessage::state)).contains(MessageState.DELIVERED);
        assertThat(store.messages().advanceState("o", MessageState.READ)).isTrue();
    }

    @Test
    void aStateThatDoesNotFitTheDirectionIsRefused() {
        store.messages().insert(incoming(CHAT, "i", 1, "x"));
        assertThatThrownBy(() -> store.messages().advanceState("i", MessageState.SENT))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("i is INCOMING");
        assertThatThrownBy(() -> store.messages().advanceState("nope", MessageState.READ))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
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
        assertThat(store.messages().get("ok")).isEmpty();
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
        assertThat(store.messages().get("ok")).isEmpty();
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

    @Test
    void anEditedBodyIsWhatSearchFinds() {
        store.messages().insert(incoming(CHAT, "e", 1, "see you at the station"));
        store.messages().editBody("e", "see you at the harbour");
        assertThat(store.search().search("station", 10)).isEmpty();
        assertThat(store.search().search("harbour", 10)).extracting(SearchHit::messageId).containsExactly("e");
        assertThat(store.messages().get("e").map(StoredMessage::body)).contains("see you at the harbour");
    }

    @Test
    void aDeletedMessageLeavesPagesAndSearch() {
        store.messages().insertAll(List.of(incoming(CHAT, "keep", 1, "apples"), incoming(CHAT, "gone", 2, "apples")));
        assertThat(store.messages().delete("gone")).isTrue();
        assertThat(store.messages().delete("gone")).isFalse();
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::id).containsExactly("keep");
        assertThat(store.search().search("apples", 10)).extracting(SearchHit::messageId).containsExactly("keep");
    }

    @Test
    void aRowidFreedByDeletingTheNewestMessageIsIndexedWhenReused() throws Exception {
        store.messages().insert(incoming(CHAT, "a", 1, "alpha"));
        store.messages().insert(incoming(CHAT, "b", 2, "bravo"));
        store.messages().delete("b");
        store.messages().insert(incoming(CHAT, "c", 3, "charlie"));
        assertThat(store.search().search("charlie", 10)).extracting(SearchHit::messageId).containsExactly("c");
        assertThat(store.search().search("bravo", 10)).isEmpty();
        assertThat(SchemaFiles.query(store.file(), "SELECT seq FROM messages WHERE id = 'c'")).containsExactly("2");
        assertThat(SchemaFiles.integrityCheck(store.file())).containsExactly("ok");
    }

    @Test
    void pageLimitsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> store.messages().newest(CHAT, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit 0");
        assertThatThrownBy(() -> store.messages().newest(CHAT, StoreLimits.MAX_PAGE_SIZE + 1))
                .isInstanceOf(InvalidInputException.class);
        assertThat(store.messages().newest("empty", 5)).isEqualTo(new Page(List.of(), Optional.empty()));
    }
}
