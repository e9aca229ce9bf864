package dev.parley.store;

import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rooms as a member holds them: its status, the envelopes of every sender with their numbers, sender keys. */
class RoomEnvelopesTest extends StoreOnDisk {
    static final String ROOM = "room-1";
    static final String CHAT = "room-chat";
    static final String BOB = "12D3KooWBob";
    static final String CAROL = "12D3KooWCarol";

    @BeforeEach
    void joinRoom() {
        MembershipEvent created = new MembershipEvent(ROOM, 0, new byte[] {10}, BOB, new byte[] {1});
        MembershipEvent added = new MembershipEvent(ROOM, 1, new byte[] {11}, BOB, new byte[] {2});
        assertThat(store.rooms().create(Conversation.room(CHAT, ROOM, "Climbing", T0), RoomStatus.INVITED, BOB,
                List.of(created, added), List.of(new RoomMember(ROOM, BOB, RoomRole.ADMIN, 0),
                        new RoomMember(ROOM, TestData.ME, RoomRole.MEMBER, 1)))).isEqualTo(InsertOutcome.INSERTED);
    }

    static RoomEnvelope envelope(String sender, long seq, long epoch) {
        return new RoomEnvelope(ROOM, sender, seq, epoch, sender + "-" + seq, new byte[] {(byte) seq});
    }

    static StoredMessage message(RoomEnvelope envelope) {
        return new StoredMessage(envelope.messageId(), CHAT, envelope.sender(), envelope.senderSeq(), T0, T0,
                Direction.INCOMING, MessageKind.TEXT, "number " + envelope.senderSeq(), MessageState.RECEIVED);
    }

    @Test
    void aDeletionStandsInForItsMessageSoTheNumberIsHeldAndTheSealedTextIsNeverKept() {
        store.roomEnvelopes().addAsync(envelope(BOB, 1, 1), Optional.empty()).join();
        RoomEnvelope deletion = new RoomEnvelope(ROOM, BOB, 3, 1, "the-deletion", new byte[] {42, 42});
        store.roomEnvelopes().addAsync(deletion, Optional.empty()).join();

        store.roomEnvelopes().standIn(deletion, 2, BOB + "-2");
        store.roomEnvelopes().standIn(new RoomEnvelope(ROOM, BOB, 4, 1, "a-wrong-claim", new byte[] {7}), 1,
                "not-bob-1");

        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEqualTo(Map.of(BOB, 3L));
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 0, 0, 10)).extracting(RoomEnvelope::envelope)
                .containsExactly(new byte[] {1}, new byte[] {42, 42}, new byte[] {42, 42});
        RoomEnvelope late = envelope(BOB, 2, 1);
        assertThat(store.roomEnvelopes().addAsync(late, Optional.of(message(late))).join())
                .as("the message itself, arriving under its number").isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 1, 0, 1).getFirst().envelope())
                .as("what stands in for it").isEqualTo(new byte[] {42, 42});
        assertThat(store.roomEnvelopes().addAsync(late, Optional.of(message(late))).join())
                .isEqualTo(InsertOutcome.DUPLICATE);
    }

    @Test
    void aDeletionStandsInForItsEditsAndOnlyUnderNumbersItsAuthorUsedBeforeIt() {
        RoomEnvelope withdrawn = envelope(BOB, 1, 1);
        store.roomEnvelopes().addAsync(withdrawn, Optional.of(message(withdrawn))).join();
        store.roomEnvelopes().addAsync(new RoomEnvelope(ROOM, BOB, 2, 1, "an-edit-of-1", new byte[] {2}),
                Optional.empty()).join();
        store.roomEnvelopes().addAsync(envelope(BOB, 3, 1), Optional.empty()).join();
        RoomEnvelope deletion = new RoomEnvelope(ROOM, BOB, 5, 1, "the-deletion", new byte[] {42});
        store.roomEnvelopes().addAsync(deletion, Optional.empty()).join();

        store.roomEnvelopes().standIn(deletion, 2, withdrawn.messageId(), "an-edit-of-1");
        store.roomEnvelopes().standIn(deletion, 3, withdrawn.messageId(), "an-edit-of-1");
        store.roomEnvelopes().standIn(deletion, 4, withdrawn.messageId(), "an-edit-of-1");
        for (long notBefore : List.of(5L, 6L, 1_000_000L)) {
            assertThatThrownBy(() -> store.roomEnvelopes().standIn(deletion, notBefore, withdrawn.messageId()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(String.valueOf(notBefore));
        }

        assertThat(store.roomEnvelopes().highest(ROOM, BOB)).as("no place its author has not used").isEqualTo(5);
        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEqualTo(Map.of(BOB, 5L));
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 0, 0, 10)).extracting(RoomEnvelope::envelope)
                .as("the message, its edit in the deletion's place, another message untouched, a lacking number")
                .containsExactly(new byte[] {1}, new byte[] {42}, new byte[] {3}, new byte[] {42}, new byte[] {42});
        assertThat(store.roomEnvelopes().held(ROOM, BOB, 3)).map(RoomEnvelope::messageId).contains(BOB + "-3");
    }

    @Test
    void anEnvelopeOfAMessageDeletedForEveryoneThatComesAfterTheDeletionKeepsItsNumberAndNotItsText() {
        RoomEnvelope late = envelope(BOB, 1, 1);
        StoredMessage shownDeleted = new StoredMessage(late.messageId(), CHAT, BOB, 1, T0, T0, Direction.INCOMING,
                MessageKind.TEXT, "", MessageState.RECEIVED);
        store.messages().insert(shownDeleted);
        store.actions().deleteForEveryone(shownDeleted.key(), BOB, T0);

        store.roomEnvelopes().addAsync(late, Optional.of(message(late))).join();

        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEqualTo(Map.of(BOB, 1L));
        assertThat(store.roomEnvelopes().held(ROOM, BOB, 1)).as("its sealed text").isEmpty();
        assertThat(store.messages().get(shownDeleted.key()).orElseThrow().body()).isEmpty();
    }

    @Test
    void aRoomIsStoredWithItsLogMembersAndStatusInOneGo() {
        assertThat(store.rooms().statuses()).isEqualTo(Map.of(ROOM, RoomStatus.INVITED));
        assertThat(TestData.room(store, ROOM).invitedBy()).isEqualTo(BOB);
        assertThat(store.rooms().log(ROOM)).extracting(MembershipEvent::epoch).containsExactly(0L, 1L);
        assertThat(TestData.room(store, ROOM).members()).extracting(RoomMember::peerId)
                .containsExactly(BOB, TestData.ME);
        assertThat(store.rooms().create(Conversation.room(CHAT, ROOM, "Other", T0), RoomStatus.JOINED, null,
                List.of(), List.of())).isEqualTo(InsertOutcome.DUPLICATE);

        store.rooms().setStatus(ROOM, RoomStatus.JOINED);

        assertThat(store.rooms().statuses()).isEqualTo(Map.of(ROOM, RoomStatus.JOINED));
        assertThatThrownBy(() -> store.rooms().setStatus("room-x", RoomStatus.LEFT))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("room-x");
    }

    @Test
    void eachSendersContiguousNumberStopsAtTheFirstGapAndMovesOnWhenItIsFilled() {
        for (long seq : new long[] {1, 2, 4, 5}) {
            store.roomEnvelopes().addAsync(envelope(BOB, seq, 1), Optional.empty()).join();
        }
        store.roomEnvelopes().addAsync(envelope(CAROL, 2, 1), Optional.empty()).join();

        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEqualTo(Map.of(BOB, 2L, CAROL, 0L));
        assertThat(store.roomEnvelopes().highest(ROOM, BOB)).isEqualTo(5);

        store.roomEnvelopes().addAsync(envelope(BOB, 3, 1), Optional.empty()).join();

        assertThat(store.roomEnvelopes().contiguous(ROOM)).containsEntry(BOB, 5L);
        assertThat(store.roomEnvelopes().highest(ROOM, "12D3KooWNobody")).isZero();
    }

    @Test
    void anEnvelopeHeldAlreadyIsADuplicateAndItsMessageIsStoredOnce() {
        RoomEnvelope first = envelope(BOB, 1, 1);

        assertThat(store.roomEnvelopes().addAsync(first, Optional.of(message(first))).join())
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.roomEnvelopes().addAsync(first, Optional.of(message(first))).join())
                .isEqualTo(InsertOutcome.DUPLICATE);

        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::body)
                .containsExactly("number 1");
    }

    @Test
    void unopenedEnvelopesWaitForTheirKeyAndAreHandedOnMeanwhile() {
        store.roomEnvelopes().addAsync(envelope(BOB, 1, 1), Optional.empty()).join();
        store.roomEnvelopes().addAsync(envelope(BOB, 2, 2), Optional.empty()).join();
        store.roomEnvelopes().addAsync(envelope(BOB, 3, 2), Optional.empty()).join();

        assertThat(store.roomEnvelopes().awaitedKeys(ROOM)).containsExactly(Map.entry(BOB, 1L), Map.entry(BOB, 2L));
        List<RoomEnvelope> waiting = store.roomEnvelopes().unopened(ROOM, BOB, 2);
        assertThat(waiting).extracting(RoomEnvelope::senderSeq).containsExactly(2L, 3L);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 0, 0, 10)).hasSize(3);

        assertThat(store.roomEnvelopes().opened(waiting.get(0), Optional.of(message(waiting.get(0)))))
                .isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.roomEnvelopes().opened(waiting.get(0), Optional.of(message(waiting.get(0)))))
                .isEqualTo(InsertOutcome.DUPLICATE);
        store.roomEnvelopes().opened(waiting.get(1), Optional.empty());

        assertThat(store.roomEnvelopes().unopened(ROOM, BOB, 2)).isEmpty();
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::body)
                .containsExactly("number 2");
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 1, 0, 10).getFirst().envelope()).containsExactly(2);
    }

    @Test
    void aMemberIsHandedWhatItLacksFromTheEpochItJoinedIn() {
        for (long seq = 1; seq <= 6; seq++) {
            store.roomEnvelopes().addAsync(envelope(BOB, seq, seq <= 3 ? 1 : 2), Optional.empty()).join();
        }

        assertThat(store.roomEnvelopes().after(ROOM, BOB, 1, 0, 10)).extracting(RoomEnvelope::senderSeq)
                .containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 1, 2, 10)).extracting(RoomEnvelope::senderSeq)
                .containsExactly(4L, 5L, 6L);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 1, 0, 2)).extracting(RoomEnvelope::senderSeq)
                .containsExactly(2L, 3L);
    }

    @Test
    void aPageHoldsNoMoreEnvelopeBytesThanAskedButAlwaysItsFirstEnvelope() {
        for (long seq = 1; seq <= 5; seq++) {
            byte[] bytes = new byte[seq == 3 ? 1_000 : 100];
            store.roomEnvelopes().addAsync(new RoomEnvelope(ROOM, BOB, seq, 1, BOB + "-" + seq, bytes), Optional.empty())
                    .join();
        }

        assertThat(store.roomEnvelopes().after(ROOM, BOB, 0, 0, 10, 250)).extracting(RoomEnvelope::senderSeq)
                .as("the third (1,000 bytes) does not fit after two of 100, nor any after it").containsExactly(1L, 2L);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 2, 0, 10, 250)).extracting(RoomEnvelope::senderSeq)
                .as("a first envelope larger than the page comes alone").containsExactly(3L);
        assertThat(store.roomEnvelopes().after(ROOM, BOB, 3, 0, 10, 250)).extracting(RoomEnvelope::senderSeq)
                .containsExactly(4L, 5L);
    }

    @Test
    void aRoomTheStoreDoesNotHoldIsNamedAndATooLongBodyStoresNothing() {
        RoomEnvelope elsewhere = new RoomEnvelope("room-x", BOB, 1, 1, "m", new byte[] {1});
        assertThatThrownBy(() -> Database.await(store.roomEnvelopes().addAsync(elsewhere, Optional.empty())))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("room-x");
        assertThatThrownBy(() -> store.senderKeys().add("room-x", BOB, 1, new byte[] {1}))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("room-x");
        assertThatThrownBy(() -> new RoomEnvelope(ROOM, BOB, 0, 1, "m", new byte[] {1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("start at 1");

        RoomEnvelope first = envelope(BOB, 1, 1);
        StoredMessage huge = new StoredMessage(first.messageId(), CHAT, BOB, 1, T0, T0, Direction.INCOMING,
                MessageKind.TEXT, "x".repeat(StoreLimits.MAX_BODY_BYTES + 1), MessageState.RECEIVED);
        assertThatThrownBy(() -> Database.await(store.roomEnvelopes().addAsync(first, Optional.of(huge))))
                .isInstanceOf(BodyTooLongException.class);
        assertThat(store.roomEnvelopes().highest(ROOM, BOB)).isZero();
    }

    @Test
    void senderKeysAreKeptOncePerSlotAndGoWithTheRoom() throws Exception {
        assertThat(store.senderKeys().add(ROOM, BOB, 1, new byte[] {1})).isEqualTo(InsertOutcome.INSERTED);
        assertThat(store.senderKeys().add(ROOM, BOB, 1, new byte[] {9})).isEqualTo(InsertOutcome.DUPLICATE);
        store.senderKeys().add(ROOM, CAROL, 2, new byte[] {2});

        assertThat(store.senderKeys().all()).containsExactly(new byte[] {1}, new byte[] {2});
        assertThat(store.senderKeys().forget(ROOM)).isEqualTo(2);
        assertThat(store.senderKeys().all()).isEmpty();

        store.senderKeys().add(ROOM, BOB, 3, new byte[] {3});
        store.roomEnvelopes().addAsync(envelope(BOB, 1, 1), Optional.empty()).join();
        SchemaFiles.deleteConversation(file(), CHAT);

        assertThat(store.senderKeys().all()).isEmpty();
        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEmpty();
        assertThat(store.rooms().statuses()).isEmpty();
    }

    @Test
    void aChainedKeyIsWrittenWithTheEnvelopeThatMovedItOnAndReplacedEachTime() {
        RoomEnvelope first = envelope(BOB, 1, 1);
        RoomEnvelope second = envelope(BOB, 2, 1);

        store.roomEnvelopes().addAsync(first, Optional.of(message(first)),
                Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {1}))).join();
        store.roomEnvelopes().addAsync(second, Optional.empty(),
                Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {2}))).join();
        assertThat(store.senderKeys().all()).containsExactly(new byte[] {2});

        store.roomEnvelopes().opened(second, Optional.of(message(second)),
                Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {3})));
        assertThat(store.senderKeys().all()).containsExactly(new byte[] {3});
        assertThat(store.roomEnvelopes().awaitedKeys(ROOM)).isEmpty();
    }

    @Test
    void envelopesAddedTogetherAreKeptAsEachAloneWithTheNewestKeyAndEveryContiguousNumberMovedOn() {
        RoomEnvelope held = envelope(BOB, 2, 1);
        store.roomEnvelopes().addAsync(held, Optional.of(message(held))).join();
        RoomEnvelope first = envelope(BOB, 1, 1);
        RoomEnvelope third = envelope(BOB, 3, 1);
        RoomEnvelope carols = envelope(CAROL, 1, 1);
        RoomEnvelope unopened = envelope(CAROL, 3, 1);

        List<InsertOutcome> outcomes = store.roomEnvelopes().addAllAsync(List.of(
                new RoomEnvelopes.Addition(first, Optional.of(message(first)),
                        Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {1}))),
                new RoomEnvelopes.Addition(held, Optional.of(message(held)),
                        Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {2}))),
                new RoomEnvelopes.Addition(third, Optional.of(message(third)),
                        Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {3}))),
                new RoomEnvelopes.Addition(carols, Optional.of(message(carols)), Optional.empty()),
                new RoomEnvelopes.Addition(unopened, Optional.empty(), Optional.empty()),
                new RoomEnvelopes.Addition(first, Optional.of(message(first)), Optional.empty()))).join();

        assertThat(outcomes).containsExactly(InsertOutcome.INSERTED, InsertOutcome.DUPLICATE, InsertOutcome.INSERTED,
                InsertOutcome.INSERTED, InsertOutcome.INSERTED, InsertOutcome.DUPLICATE);
        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEqualTo(Map.of(BOB, 3L, CAROL, 1L));
        assertThat(store.senderKeys().all()).as("the key as the last envelope left it").containsExactly(new byte[] {3});
        assertThat(store.roomEnvelopes().awaitedKeys(ROOM)).containsExactly(Map.entry(CAROL, 1L));
        assertThat(store.messages().newest(CHAT, 10).messages()).extracting(StoredMessage::id)
                .containsExactlyInAnyOrder(BOB + "-1", BOB + "-2", BOB + "-3", CAROL + "-1");
    }

    @Test
    void envelopesAddedTogetherInARoomTheStoreDoesNotHoldAreNoneOfThemKept() {
        RoomEnvelope first = envelope(BOB, 1, 1);
        RoomEnvelope stranger = new RoomEnvelope("room-2", BOB, 1, 1, "elsewhere", new byte[] {1});

        assertThatThrownBy(() -> store.roomEnvelopes().addAllAsync(List.of(
                new RoomEnvelopes.Addition(first, Optional.of(message(first)), Optional.empty()),
                new RoomEnvelopes.Addition(stranger, Optional.empty(), Optional.empty()))).join())
                .hasCauseInstanceOf(NotFoundException.class).hasMessageContaining("room-2");
        assertThat(store.roomEnvelopes().contiguous(ROOM)).isEmpty();
        assertThat(store.messages().newest(CHAT, 10).messages()).isEmpty();
    }

    @Test
    void anEnvelopeHeldUnopenedTakesItsMessageWhenItArrivesAgainOpened() {
        RoomEnvelope waiting = envelope(BOB, 1, 1);
        store.roomEnvelopes().addAsync(waiting, Optional.empty()).join();
        assertThat(store.roomEnvelopes().awaitedKeys(ROOM)).containsExactly(Map.entry(BOB, 1L));

        assertThat(store.roomEnvelopes().addAsync(waiting, Optional.of(message(waiting)),
                Optional.of(new SenderKeyState(ROOM, BOB, 1, new byte[] {9}))).join()).isEqualTo(InsertOutcome.INSERTED);

        assertThat(store.roomEnvelopes().awaitedKeys(ROOM)).isEmpty();
        assertThat(store.senderKeys().all()).containsExactly(new byte[] {9});
        assertThat(store.roomEnvelopes().addAsync(waiting, Optional.of(message(waiting))).join())
                .isEqualTo(InsertOutcome.DUPLICATE);
    }

    @Test
    void ourOwnEditsAreNotedByTheMessageTheyChanged() {
        store.roomEnvelopes().noteOwnEdit(ROOM, 4, "message-a");
        store.roomEnvelopes().noteOwnEdit(ROOM, 2, "message-a");
        store.roomEnvelopes().noteOwnEdit(ROOM, 3, "message-b");

        assertThat(store.roomEnvelopes().ownEdits(ROOM, "message-a")).containsExactly(2L, 4L);
        assertThat(store.roomEnvelopes().ownEdits(ROOM, "message-c")).isEmpty();
    }
}
