package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A room's membership log: what it takes, who may change what, how concurrent changes settle, and how forged,
 * re-encoded and back-dated events are told apart. Each attack here is one a member or a former member can mount
 * with nothing but its own key and the events it was sent.
 */
class RoomLogTest {
    static final Identity ALICE = Identity.generate();
    static final Identity BOB = Identity.generate();
    static final Identity CAROL = Identity.generate();
    static final Identity DAVE = Identity.generate();
    static final Identity MALLORY = Identity.generate();
    static final byte[] SALT = new byte[RoomChange.Create.SALT_BYTES];
    static final RoomChange.Create CREATION = new RoomChange.Create("Climbing", card(ALICE, "Alice"), SALT);
    static final RoomId ROOM = CREATION.roomId();

    RoomLog log;

    static ContactCard card(Identity identity, String name) {
        return ContactCard.create(identity, name);
    }

    /** Signs the next event by {@code author} on the log's heads and adds it; it must take effect. */
    RoomEvent next(Identity author, RoomChange change) throws InvalidRoomEventException {
        RoomEvent event = log.next(author, log.size(), change);
        log = log.add(event).log();
        assertThat(log.state().skipped(event)).as(event + " took effect").isEmpty();
        return event;
    }

    /** Adds an event made elsewhere; returns whether it took effect. */
    boolean offer(RoomEvent event) throws InvalidRoomEventException {
        return offer(event, false);
    }

    /**
     * Adds an event made elsewhere as if a member in the room followed it (it reached that member before what
     * voids it): the log must hold it, and the rules must still void it. Returns whether it took effect.
     */
    boolean offerFollowed(RoomEvent event) throws InvalidRoomEventException {
        return offer(event, true);
    }

    private boolean offer(RoomEvent event, boolean vouched) throws InvalidRoomEventException {
        RoomLog.Added added = log.add(event, vouched);
        assertThat(added.outcome()).isEqualTo(RoomLog.Outcome.ADDED);
        log = added.log();
        return log.state().skipped(event).isEmpty();
    }

    /** {@code view} with {@code events} added, as a member who holds them has it. */
    static RoomLog on(RoomLog view, RoomEvent... events) throws InvalidRoomEventException {
        for (RoomEvent event : events) {
            view = view.add(event, true).log();
        }
        return view;
    }

    void create() throws InvalidRoomEventException {
        log = RoomLog.create(RoomEvent.sign(ALICE, ROOM, 0, List.of(), 0, CREATION));
    }

    void withBobAndCarol() throws InvalidRoomEventException {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
    }

    @Test
    void aLogOfEveryKindOfChangeComesFromItsBytesToTheSameStateInAnyOrder() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(BOB, new RoomChange.Rename("Climbing club"));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        next(BOB, new RoomChange.Leave());

        List<RoomEvent> decoded = new ArrayList<>();
        for (RoomEvent event : log.events()) {
            decoded.add(RoomEvent.decode(event.encode()));
        }
        Collections.shuffle(decoded, new Random(7));
        RoomState replayed = RoomLog.of(decoded).state();

        assertThat(replayed.name()).isEqualTo("Climbing club");
        assertThat(replayed.epoch()).isEqualTo(6);
        assertThat(replayed.heads()).containsExactly(log.events().getLast().hash());
        assertThat(replayed.members().keySet()).containsExactly(ALICE.peerId());
        assertThat(replayed.isAdmin(ALICE.peerId())).isTrue();
        assertThat(replayed.departure(CAROL.peerId()).orElseThrow().member().card().displayName()).isEqualTo("Carol");
        assertThat(replayed.applied()).hasSize(7);
    }

    @Test
    void aMemberMayWriteFromWhenItJoinedWhileItIsOneAndNotUnderAStaleEpoch() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Remove(BOB.peerId()));
        RoomState state = log.state();

        assertThat(state.writeProblem(CAROL.peerId(), 2)).isEmpty();
        assertThat(state.writeProblem(CAROL.peerId(), 1)).get().asString().contains("joined at epoch 2");
        assertThat(state.writeProblem(BOB.peerId(), 2)).as("even before its removal").get().asString()
                .contains("no longer a member");
        assertThat(state.writeProblem(CAROL.peerId(), 4)).as("the next epoch").isEmpty();
        assertThat(state.writeProblem(CAROL.peerId(), 5)).get().asString().contains("beyond");
        assertThat(state.writeProblem(CAROL.peerId(), -1)).get().asString().contains("beyond");
        assertThat(state.writeProblem(MALLORY.peerId(), 1)).get().asString().contains("not a member");

        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        assertThat(log.state().writeProblem(BOB.peerId(), 2)).as("before a break").get().asString()
                .contains("joined at epoch 4");
        assertThat(log.state().writeProblem(CAROL.peerId(), 3)).isEmpty();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        assertThat(log.state().writeProblem(CAROL.peerId(), 3)).as("four membership changes since").get()
                .asString().contains("stale");
        assertThat(log.state().writeProblem(CAROL.peerId(), 4)).isEmpty();
    }

    @Test
    void onlyAdminsChangeTheRoomAndAnAdminRemovesOnlyAdminsMadeAfterIt() throws Exception {
        withBobAndCarol();

        // Not even held, whoever follows them: Bob is no admin in the room these events follow.
        assertRefusedEvenFollowed(BOB, new RoomChange.Add(card(MALLORY, "Mallory")), "not an admin");
        assertRefusedEvenFollowed(BOB, new RoomChange.Remove(CAROL.peerId()), "not an admin");
        assertRefusedEvenFollowed(BOB, new RoomChange.Rename("Bob's"), "not an admin");
        assertRefusedEvenFollowed(BOB, new RoomChange.Promote(BOB.peerId()), "not an admin");
        // An add or a promotion that could do nothing where it was signed is refused too (reviews 5 and 6).
        assertRefusedEvenFollowed(ALICE, new RoomChange.Add(card(BOB, "Bob")), "a member already in the room");
        assertRefusedEvenFollowed(ALICE, new RoomChange.Promote(MALLORY.peerId()), "not a member in the room");
        // A removal is judged where it was signed (rule 4); these could not be made there.
        assertSkipped(ALICE, new RoomChange.Remove(MALLORY.peerId()), "could not remove");
        assertSkipped(ALICE, new RoomChange.Remove(ALICE.peerId()), "could not remove");
        assertRefusedEvenFollowed(ALICE, new RoomChange.Rename(" padded "), "room name");
        assertRefusedEvenFollowed(ALICE, new RoomChange.Rename(""), "room name cannot be empty");
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        assertRefusedEvenFollowed(ALICE, new RoomChange.Promote(BOB.peerId()), "an admin already in the room");
        next(BOB, new RoomChange.Promote(CAROL.peerId()));
        assertSkipped(BOB, new RoomChange.Remove(ALICE.peerId()), "made an admin before it");
        assertSkipped(CAROL, new RoomChange.Remove(BOB.peerId()), "made an admin before it");
        next(BOB, new RoomChange.Remove(CAROL.peerId()));
        next(ALICE, new RoomChange.Remove(BOB.peerId()));
        assertThat(log.state().admins()).containsExactly(ALICE.peerId());
    }

    @Test
    void theLogTakesOnlyEventsThatFitItAndAStrangersNever() throws Exception {
        withBobAndCarol();
        RoomEvent rename = log.next(ALICE, 9, new RoomChange.Rename("One"));

        assertThat(log.add(log.events().get(1)).outcome()).isEqualTo(RoomLog.Outcome.HELD);
        RoomEvent afterUnknown = RoomEvent.sign(ALICE, ROOM, 4, List.of(rename.hash()), 9, new RoomChange.Leave());
        assertThat(log.add(afterUnknown).outcome()).as("a sync fetches the parent")
                .isEqualTo(RoomLog.Outcome.MISSING_PARENTS);
        assertRefused(RoomEvent.sign(ALICE, ROOM, 2, log.state().heads(), 9, new RoomChange.Leave()),
                "claims epoch 2 but follows 3 events");
        assertRefused(RoomEvent.sign(ALICE, RoomId.random(), 3, log.state().heads(), 9, new RoomChange.Leave()),
                "another room");
        RoomEvent byStranger = RoomEvent.sign(MALLORY, ROOM, 3, log.state().heads(), 9,
                new RoomChange.Rename("Mallory's"));
        assertRefused(byStranger, "its author " + MALLORY.peerId() + " is not in the room");
        assertThatThrownBy(() -> log.add(byStranger, true)).as("even when something follows it")
                .hasMessageContaining("is not a member in the room it follows");
        assertRefused(RoomEvent.sign(DAVE, ROOM, 3, log.state().heads(), 9, new RoomChange.Leave()),
                "is not in the room");
        assertRefused(RoomEvent.sign(ALICE, ROOM, 0, List.of(), 0,
                new RoomChange.Create("Again", card(ALICE, "Alice"), SALT)), "exists already");
        assertThat(log.size()).isEqualTo(3);
    }

    @Test
    void theFirstEventMustCreateTheRoomAndBeSignedByItsCreator() throws Exception {
        RoomEvent byOther = RoomEvent.sign(MALLORY, ROOM, 0, List.of(), 0,
                new RoomChange.Create("Mine", card(ALICE, "Alice"), SALT));
        assertThatThrownBy(() -> RoomLog.create(byOther)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining("as creator but is signed by");
        // Mallory, who knows the id of Alice's room, creates a room of her own under it, to be taken for it.
        RoomEvent squatting = RoomEvent.sign(MALLORY, ROOM, 0, List.of(), 0,
                new RoomChange.Create("Climbing", card(MALLORY, "Mallory"), SALT));
        assertThatThrownBy(() -> RoomLog.create(squatting)).hasMessageContaining("only a room's creator");
        create();
        RoomEvent leave = log.next(ALICE, 1, new RoomChange.Leave());
        assertThatThrownBy(() -> RoomLog.create(leave)).hasMessageContaining("first event creates the room");
        assertThatThrownBy(() -> RoomLog.of(List.of())).hasMessageContaining("at least its creating event");
    }

    @Test
    void aRoomHoldsAtMost256Members() throws Exception {
        create();
        for (int i = 1; i < RoomState.MAX_MEMBERS; i++) {
            next(ALICE, new RoomChange.Add(card(Identity.generate(), "Member " + i)));
        }
        assertThat(log.state().members()).hasSize(RoomState.MAX_MEMBERS);

        // Refused where it was signed, not skipped in the fold: a place freed before it later must not let it in.
        assertRefusedEvenFollowed(ALICE, new RoomChange.Add(card(MALLORY, "Mallory")), "256 members already");
    }

    @Test
    void aPlaceFreedOnOlderHeadsLetsNoAddToAFullRoomIn() throws Exception {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        RoomLog bobsView = log;
        for (int i = 3; i < RoomState.MAX_MEMBERS - 1; i++) {
            next(ALICE, new RoomChange.Add(card(Identity.generate(), "Member " + i)));
        }
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        RoomEvent removesCarol = next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        next(ALICE, new RoomChange.Add(card(MALLORY, "Mallory")));
        // Review 5: the room full again, an add of Carol was held and skipped; Bob's leave, signed on the heads he had
        // before all this, sorted before it and freed a place, and Carol was back with no new add. Such an add is
        // refused now, where it was signed, whatever later comes before it.
        assertRefusedEvenFollowed(ALICE, new RoomChange.Add(card(CAROL, "Carol")), "256 members already");
        offer(bobsView.next(BOB, 90, new RoomChange.Leave()));

        assertThat(log.state().isMember(CAROL.peerId())).isFalse();
        assertThat(log.state().departure(CAROL.peerId()).orElseThrow().event()).isEqualTo(removesCarol);
        assertThat(log.state().members()).hasSize(RoomState.MAX_MEMBERS - 1);
    }

    @Test
    void anAddOrPromotionThatCouldDoNothingWhereItWasSignedIsRefusedSoNoLaterRemovalLetsItIn() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        RoomLog bobsView = log;
        // Review 6: Bob signed, and held back, an add of Carol and a promotion of her while she was an admin in the
        // room; Alice then removed Carol and added her again as an ordinary member. Released now, they sorted after
        // and brought back a member, and an admin's role, nobody gave again. They are refused where they were signed.
        RoomEvent heldAdd = bobsView.next(BOB, 95, new RoomChange.Add(card(CAROL, "Carol")));
        RoomEvent heldPromotion = bobsView.next(BOB, 96, new RoomChange.Promote(CAROL.peerId()));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        for (RoomEvent held : List.of(heldAdd, heldPromotion)) {
            RoomLog before = log;
            assertThatThrownBy(() -> before.add(held, true)).isInstanceOf(InvalidRoomEventException.class)
                    .hasMessageContaining("already in the room it follows");
        }
        assertThat(log.state().isAdmin(CAROL.peerId())).isFalse();
    }

    @Test
    void anAddThatFollowsARemovalTakesEffectOnceItsAuthorIsFoundAnAdminByAPromotionMadeAtTheSameTime()
            throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        RoomLog fork = log;
        RoomEvent bobPromotesCarol = fork.next(BOB, 97, new RoomChange.Promote(CAROL.peerId()));
        RoomEvent carolAddsDave = on(fork, bobPromotesCarol).next(CAROL, 98, new RoomChange.Add(card(DAVE, "Dave")));
        RoomEvent alicePromotesCarol = fork.next(ALICE, 99, new RoomChange.Promote(CAROL.peerId()));
        offer(fork.next(ALICE, 96, new RoomChange.Remove(BOB.peerId())));
        offerFollowed(bobPromotesCarol);
        // Carol, made an admin by Bob, adds Dave again after his removal; Bob's removal at the same time voids her
        // promotion, and her add waits. Alice's promotion of Carol, made at the same time too, arrives: Carol is an
        // admin by the creator's doing, and her add — signed after Dave's removal — takes effect. Review 7 read this
        // as a departure undone by an add the view held; it is the add of an admin who was one all along, and the
        // promise reads: a departure stays in force unless an add that follows it, or one made beside it by an
        // admin who had not seen it, takes effect.
        assertThat(offerFollowed(carolAddsDave)).isFalse();
        assertThat(log.state().isMember(DAVE.peerId())).isFalse();
        offer(alicePromotesCarol);

        assertThat(log.state().isMember(DAVE.peerId())).isTrue();
        assertThat(log.follows(carolAddsDave, log.state().departure(BOB.peerId()).orElseThrow().event())).isFalse();
        assertThat(RoomTestSupport.fromScratch(log).isMember(DAVE.peerId())).isTrue();
    }

    @Test
    void addsMadeAtOnceWhereThereWasRoomAllTakeEffectAndMayTakeTheRoomPastItsSize() throws Exception {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        for (int i = 2; i < RoomState.MAX_MEMBERS - 1; i++) {
            next(ALICE, new RoomChange.Add(card(Identity.generate(), "Member " + i)));
        }
        RoomLog fork = log;
        // One place left, and two admins fill it at once: both adds were made where there was room, so both stand
        // (judged in the fold, one would be skipped and could come in later when a place freed before it).
        offer(fork.next(ALICE, 91, new RoomChange.Add(card(CAROL, "Carol"))));
        offer(fork.next(BOB, 92, new RoomChange.Add(card(DAVE, "Dave"))));

        assertThat(log.state().members()).hasSize(RoomState.MAX_MEMBERS + 1);
        assertRefusedEvenFollowed(ALICE, new RoomChange.Add(card(MALLORY, "Mallory")), "256 members already");
    }

    // ---- concurrent changes ----

    @Test
    void twoAdminsChangingTheRoomAtOnceBothTakeEffectAndTheNextEventJoinsTheBranches() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog fork = log;
        RoomEvent byAlice = fork.next(ALICE, 10, new RoomChange.Rename("Alice's name"));
        RoomEvent byBob = fork.next(BOB, 11, new RoomChange.Add(card(DAVE, "Dave")));

        assertThat(offer(byAlice)).isTrue();
        assertThat(offer(byBob)).isTrue();
        RoomLog otherOrder = RoomLog.of(List.of(byBob, byAlice, fork.events().get(3), fork.events().get(2),
                fork.events().get(1), fork.events().get(0)));

        for (RoomState state : List.of(log.state(), otherOrder.state())) {
            assertThat(state.name()).isEqualTo("Alice's name");
            assertThat(state.members().keySet()).contains(DAVE.peerId());
            assertThat(state.epoch()).isEqualTo(5);
            assertThat(state.heads()).hasSize(2);
        }
        RoomEvent joined = next(CAROL, new RoomChange.Leave());
        assertThat(joined.parents()).hasSize(2);
        assertThat(joined.epoch()).isEqualTo(6);
        assertThat(log.state().heads()).containsExactly(joined.hash());
    }

    @Test
    void aRemovalBeatsEverythingTheRemovedMemberDidAtTheSameTimeButNotBefore() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        RoomEvent beforeRemoval = next(CAROL, new RoomChange.Rename("Carol's name"));
        RoomLog fork = log;
        RoomEvent removal = fork.next(ALICE, 20, new RoomChange.Remove(CAROL.peerId()));
        // Carol, at the same moment or pretending to, adds a friend, promotes Bob and renames the room.
        RoomLog carols = fork;
        List<RoomEvent> byCarol = new ArrayList<>();
        for (RoomChange change : List.of(new RoomChange.Add(card(MALLORY, "Mallory")),
                new RoomChange.Promote(BOB.peerId()), new RoomChange.Rename("Taken"))) {
            RoomEvent event = carols.next(CAROL, 21, change);
            carols = carols.add(event).log();
            byCarol.add(event);
        }
        RoomEvent byMallory = carols.next(MALLORY, 22, new RoomChange.Leave());

        offer(removal);
        for (RoomEvent event : byCarol) {
            assertThat(offerFollowed(event)).as(event.toString()).isFalse();
            assertThat(log.state().skipped(event)).get().asString().contains("removed at the same time");
        }
        offerFollowed(byMallory);

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), BOB.peerId());
        assertThat(state.isAdmin(BOB.peerId())).isFalse();
        assertThat(state.name()).as("what Carol did before still holds").isEqualTo("Carol's name");
        assertThat(state.applied()).contains(beforeRemoval).doesNotContainAnyElementsOf(byCarol);
        assertThat(state.departure(MALLORY.peerId())).as("never a member").isEmpty();
    }

    @Test
    void aRemovedAdminCannotUndoItsRemovalOrRemoveItsRemoverWithABackDatedEvent() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(BOB, new RoomChange.Promote(CAROL.peerId()));
        RoomLog carolsView = log;
        next(BOB, new RoomChange.Remove(CAROL.peerId()));
        next(ALICE, new RoomChange.Rename("After the removal"));

        // Carol signs, on the heads she last saw, a removal of the admin who removed her, a promotion of an
        // accomplice and the accomplice's removal of Alice; and grinds the first until it sorts before Bob's.
        RoomEvent removesBob;
        long hlc = 0;
        do {
            removesBob = carolsView.next(CAROL, hlc++, new RoomChange.Remove(BOB.peerId()));
        } while (RoomEvent.HASH_ORDER.compare(removesBob.hash(), log.events().get(5).hash()) >= 0);
        RoomEvent promotesDave = carolsView.add(removesBob).log().next(CAROL, 1, new RoomChange.Add(card(DAVE, "D")));
        RoomLog withDave = carolsView.add(removesBob).log().add(promotesDave).log();
        RoomEvent davePromoted = withDave.next(CAROL, 2, new RoomChange.Promote(DAVE.peerId()));
        RoomEvent daveRemovesAlice = withDave.add(davePromoted).log().next(DAVE, 3,
                new RoomChange.Remove(ALICE.peerId()));

        for (RoomEvent event : List.of(removesBob, promotesDave, davePromoted)) {
            assertThat(offerFollowed(event)).as(event.toString()).isFalse();
        }
        assertThat(offerFollowed(daveRemovesAlice)).isFalse();
        assertThat(log.state().skipped(daveRemovesAlice)).get().asString().contains("could not remove");

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), BOB.peerId());
        assertThat(state.admins()).containsExactly(ALICE.peerId(), BOB.peerId());
        assertThat(state.name()).isEqualTo("After the removal");
    }

    @Test
    void adminsWhoRemoveEachOtherAtOnceLeaveTheSeniorInAndEveryMemberAgrees() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog fork = log;
        RoomEvent aliceRemovesBob = fork.next(ALICE, 30, new RoomChange.Remove(BOB.peerId()));
        RoomEvent bobRemovesAlice = fork.next(BOB, 31, new RoomChange.Remove(ALICE.peerId()));

        RoomState oneWay = RoomLog.of(concat(fork.events(), aliceRemovesBob, bobRemovesAlice)).state();
        RoomState otherWay = RoomLog.of(concat(fork.events(), bobRemovesAlice, aliceRemovesBob)).state();

        for (RoomState state : List.of(oneWay, otherWay)) {
            assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), CAROL.peerId());
            assertThat(state.heads()).usingElementComparator(RoomEvent.HASH_ORDER)
                    .containsExactlyElementsOf(oneWay.heads());
        }
    }

    @Test
    void anOrdinaryMembersBackDatedLeaveUndoesNothing() throws Exception {
        withBobAndCarol();
        RoomLog carolsView = log;
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(BOB, new RoomChange.Remove(CAROL.peerId()));
        RoomEvent oldLeave;
        long hlc = 0;
        do {
            oldLeave = carolsView.next(CAROL, hlc++, new RoomChange.Leave());
        } while (RoomEvent.HASH_ORDER.compare(oldLeave.hash(), log.events().get(3).hash()) >= 0);

        offerFollowed(oldLeave);

        // Whichever of her leave and her removal comes first, she is out and nothing else changed.
        assertThat(log.state().members().keySet()).containsExactly(ALICE.peerId(), BOB.peerId());
        assertThat(log.state().isAdmin(BOB.peerId())).isTrue();
        assertThat(log.state().departure(CAROL.peerId())).isPresent();
    }

    @Test
    void anAdminsBackDatedLeaveTakesBackWhatItGrantedButNotItsRemoval() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog bobsEarlierView = log;
        RoomEvent removal = next(BOB, new RoomChange.Remove(CAROL.peerId()));
        RoomEvent promotion = next(BOB, new RoomChange.Promote(DAVE.peerId()));
        RoomEvent rename = next(DAVE, new RoomChange.Rename("Dave's now"));
        // Bob, still an admin, signs a leave on the heads from before his removal of Carol. A member's own events are
        // never concurrent unless it back-dated one; his leave voids those it does not follow, so that nobody goes on
        // acting after leaving: the promotion he made, and Dave's rename as the admin Bob made him. Not his removal
        // of Carol: he could make it where he signed it, and nothing but a new add brings her back.
        RoomEvent oldLeave = bobsEarlierView.next(BOB, 100, new RoomChange.Leave());
        assertThat(offer(oldLeave)).isTrue();

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), DAVE.peerId());
        assertThat(state.departure(CAROL.peerId()).orElseThrow().event()).isEqualTo(removal);
        assertThat(state.skipped(promotion)).get().asString().contains("left or was removed at the same time");
        assertThat(state.skipped(rename)).isPresent();
        assertThat(state.admins()).containsExactly(ALICE.peerId());
        assertThat(state.name()).isEqualTo("Climbing");
        assertThat(RoomLog.of(log.events().reversed()).state().members().keySet())
                .containsExactlyElementsOf(state.members().keySet());
    }

    @Test
    void aSeniorAdminsBackDatedRemovalOfARemoverDoesNotBringBackWhomItRemoved() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog alicesEarlierView = log;
        RoomEvent removal = next(BOB, new RoomChange.Remove(CAROL.peerId()));
        RoomEvent promotion = next(BOB, new RoomChange.Promote(DAVE.peerId()));
        // Alice, senior to Bob, removes him on the heads from before his removal of Carol (she could have been
        // offline, or be rewriting history): what Bob granted at the same time is void, his removal of Carol is not.
        RoomEvent removesBob = alicesEarlierView.next(ALICE, 100, new RoomChange.Remove(BOB.peerId()));
        assertThat(offer(removesBob)).isTrue();

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), DAVE.peerId());
        assertThat(state.departure(CAROL.peerId()).orElseThrow().event()).isEqualTo(removal);
        assertThat(state.skipped(promotion)).isPresent();
        assertThat(state.admins()).containsExactly(ALICE.peerId());
    }

    @Test
    void aRemovedAdminsRemovalMadeAtTheSameTimeStandsButNothingItGrantsDoes() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog bobsView = log;
        next(ALICE, new RoomChange.Remove(BOB.peerId()));
        // Bob, removed, signs on the heads he last saw what he could do there, and a member who had not yet heard
        // of his removal hands it on. His removal of Dave stands, as every removal its author could make where it was
        // signed does (the price of "nothing but an add brings a removed member back"); the rest is void, and none of
        // it lets anyone in or makes anyone an admin.
        RoomEvent removesDave = bobsView.next(BOB, 100, new RoomChange.Remove(DAVE.peerId()));
        RoomLog withIt = bobsView.add(removesDave).log();
        RoomEvent addsMallory = withIt.next(BOB, 101, new RoomChange.Add(card(MALLORY, "Mallory")));
        RoomEvent promotesCarol = withIt.add(addsMallory).log().next(BOB, 102,
                new RoomChange.Promote(CAROL.peerId()));
        RoomEvent removesAlice = bobsView.next(BOB, 103, new RoomChange.Remove(ALICE.peerId()));
        assertThat(offerFollowed(removesDave)).isTrue();
        assertThat(offerFollowed(addsMallory)).isFalse();
        assertThat(offerFollowed(promotesCarol)).isFalse();
        assertThat(offerFollowed(removesAlice)).as("Alice made Bob an admin: she ranks above him").isFalse();

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), CAROL.peerId());
        assertThat(state.admins()).containsExactly(ALICE.peerId());
        assertThat(RoomLog.of(log.events().reversed()).state().members().keySet())
                .containsExactlyElementsOf(state.members().keySet());
    }

    @Test
    void aRemovalOfSomeoneNotInTheRoomWhereItWasSignedIsVoidSoNothingLaterCanUndoARemoval() throws Exception {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(DAVE.peerId()));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog fork = log;
        RoomEvent addsMallory = fork.next(DAVE, 50, new RoomChange.Add(card(MALLORY, "Mallory")));
        // Bob, on heads that do not hold Mallory's add, removes her all the same (he heard of it elsewhere): the
        // removal was taken for a while as the add sorts first, and Alice's removal of Bob, signed on those heads
        // too, then voided it and let Mallory back in (review 3). It is void from the start now.
        RoomLog bobs = fork.add(fork.next(BOB, 51, new RoomChange.Rename("Bob's"))).log();
        RoomEvent bobRemovesMallory = bobs.next(BOB, 52, new RoomChange.Remove(MALLORY.peerId()));
        RoomEvent aliceRemovesBob = fork.next(ALICE, 53, new RoomChange.Remove(BOB.peerId()));
        log = fork;
        offer(addsMallory);
        offer(bobs.events().getLast());
        assertThat(offer(bobRemovesMallory)).isFalse();
        assertThat(log.state().skipped(bobRemovesMallory)).get().asString().contains("where it signed the removal");
        assertThat(log.state().isMember(MALLORY.peerId())).isTrue();

        offer(aliceRemovesBob);
        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactlyInAnyOrder(ALICE.peerId(), DAVE.peerId(),
                MALLORY.peerId());
        assertThat(state.departure(MALLORY.peerId())).as("never out").isEmpty();
    }

    @Test
    void aMemberWhoLeftStaysOutWhenARemovalSignedBeforeItsLeaveAndReAddArrivesLate() throws Exception {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        RoomLog bobsView = log;
        next(CAROL, new RoomChange.Leave());
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        RoomEvent secondLeave = next(CAROL, new RoomChange.Leave());
        // Bob, offline since, removes Carol on the heads he last saw. It stands, and before it sorts Alice's add of
        // Carol: rule 3 used to void both of Carol's leaves as changes she made at the same time, the second one too,
        // which followed that add, and she was in the room again (review 3). A leave is never void now.
        RoomEvent bobRemovesCarol = bobsView.next(BOB, 60, new RoomChange.Remove(CAROL.peerId()));
        offer(bobRemovesCarol);

        RoomState state = log.state();
        assertThat(state.isMember(CAROL.peerId())).isFalse();
        assertThat(state.departure(CAROL.peerId()).orElseThrow().event()).isEqualTo(secondLeave);
        assertThat(RoomLog.of(log.events().reversed()).state().isMember(CAROL.peerId())).isFalse();
    }

    @Test
    void anAdminsRankIsJudgedWhereItSignedTheRemoval() throws Exception {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(DAVE.peerId()));
        RoomLog fork = log;
        RoomEvent davePromotesBob = fork.next(DAVE, 70, new RoomChange.Promote(BOB.peerId()));
        // Alice, who has not seen Dave's promotion of Bob, makes Carol an admin and then Bob: where Carol removes Bob,
        // he is an admin made after her. Once Dave's promotion arrives, Bob ranks above Carol in the room as a whole,
        // and her removal stands all the same: a removal is judged where it was signed (rule 4), so that one in force
        // stays in force whatever arrives later (review 3 asked which way this should go).
        RoomLog alices = fork;
        for (RoomChange change : List.of(new RoomChange.Rename("Alice's"), new RoomChange.Promote(CAROL.peerId()),
                new RoomChange.Promote(BOB.peerId()))) {
            alices = alices.add(alices.next(ALICE, 71, change)).log();
        }
        RoomEvent carolRemovesBob = alices.next(CAROL, 72, new RoomChange.Remove(BOB.peerId()));
        log = alices;
        assertThat(offer(carolRemovesBob)).isTrue();
        offer(davePromotesBob);

        RoomState state = log.state();
        assertThat(state.departure(BOB.peerId()).orElseThrow().event()).isEqualTo(carolRemovesBob);
        assertThat(state.departure(BOB.peerId()).orElseThrow().member().adminSince().orElseThrow()
                .isSeniorTo(state.member(CAROL.peerId()).orElseThrow().adminSince().orElseThrow())).isTrue();
    }

    @Test
    void aRemovalByAnAdminWhosePromotionIsVoidStandsAsItsPromotersOwnWould() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(DAVE.peerId()));
        RoomLog fork = log;
        RoomLog daves = fork.add(fork.next(DAVE, 80, new RoomChange.Promote(CAROL.peerId()))).log();
        RoomEvent promotesCarol = daves.events().getLast();
        RoomEvent carolRemovesBob = daves.next(CAROL, 81, new RoomChange.Remove(BOB.peerId()));
        next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        // Dave, removed at the same time, made Carol an admin: that is void, and she is no admin anywhere. Her
        // removal of Bob, signed where she was one, stands: Dave could have removed Bob himself there, and an admin
        // he makes ranks below him, so a chain of promotions from a removed admin reaches no further than its own
        // removals would (rule 4's price).
        offerFollowed(promotesCarol);
        assertThat(offerFollowed(carolRemovesBob)).isTrue();

        RoomState state = log.state();
        assertThat(state.skipped(promotesCarol)).isPresent();
        assertThat(state.admins()).containsExactly(ALICE.peerId());
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), CAROL.peerId());
    }

    @Test
    void twoRemovedAdminsCannotBringInAndPromoteAStrangerByOneRemovingTheOtherOnTopOfItsAdd() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog theirView = log;
        next(ALICE, new RoomChange.Rename("one"));
        next(ALICE, new RoomChange.Rename("two"));
        next(ALICE, new RoomChange.Rename("three"));
        RoomEvent removesBob = next(ALICE, new RoomChange.Remove(BOB.peerId()));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        // Bob and Carol, out, sign on the heads they last saw, and Dave hands it on: Bob adds Mallory and makes her
        // an admin; Carol, senior to him, removes him on top of that. Her removal stands and sorts before Alice's,
        // which is then not taken (Bob is out already); review 4 showed that Bob's add and promotion then stood, as
        // the departure taken follows them. Alice's removal voids them all the same: it is one of Bob's departures.
        RoomEvent addsMallory = theirView.next(BOB, 100, new RoomChange.Add(card(MALLORY, "Mallory")));
        RoomEvent promotesMallory = on(theirView, addsMallory).next(BOB, 101, new RoomChange.Promote(MALLORY.peerId()));
        RoomEvent carolRemovesBob = on(theirView, addsMallory, promotesMallory).next(CAROL, 102,
                new RoomChange.Remove(BOB.peerId()));
        assertThat(carolRemovesBob.epoch()).isLessThan(removesBob.epoch());
        offerFollowed(addsMallory);
        offerFollowed(promotesMallory);
        offerFollowed(carolRemovesBob);

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId(), DAVE.peerId());
        assertThat(state.admins()).containsExactly(ALICE.peerId());
        assertThat(RoomTestSupport.fromScratch(log).members().keySet()).containsExactly(ALICE.peerId(), DAVE.peerId());
    }

    @Test
    void aRemovedMemberDoesNotComeBackThroughARemovedAdminsAddThatAnotherRemovedAdminBuildsOn() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomEvent removesDave = next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        RoomLog theirView = log;
        next(ALICE, new RoomChange.Rename("one"));
        next(ALICE, new RoomChange.Rename("two"));
        RoomEvent removesBob = next(ALICE, new RoomChange.Remove(BOB.peerId()));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        // Bob, out, adds Dave again on the heads he last saw; Carol, out too, removes Bob on top of that add.
        RoomEvent bobAddsDave = theirView.next(BOB, 100, new RoomChange.Add(card(DAVE, "Dave")));
        RoomEvent carolRemovesBob = on(theirView, bobAddsDave).next(CAROL, 101, new RoomChange.Remove(BOB.peerId()));
        assertThat(carolRemovesBob.epoch()).isLessThan(removesBob.epoch());
        offerFollowed(bobAddsDave);
        assertThat(log.state().isMember(DAVE.peerId())).as("Bob's add alone is void").isFalse();
        offerFollowed(carolRemovesBob);

        RoomState state = log.state();
        assertThat(state.isMember(DAVE.peerId())).isFalse();
        assertThat(state.departure(DAVE.peerId()).orElseThrow().event()).isEqualTo(removesDave);
        assertThat(RoomTestSupport.fromScratch(log).isMember(DAVE.peerId())).isFalse();
    }

    @Test
    void anAdminsRemovalConcurrentWithBothLeavesStandsInPlaceOfItsSubjectsLeave() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        RoomLog fork = log;
        RoomEvent bobLeaves = fork.next(BOB, 40, new RoomChange.Leave());
        RoomEvent carolLeaves = fork.next(CAROL, 41, new RoomChange.Leave());
        RoomEvent bobRemovesCarol = fork.next(BOB, 42, new RoomChange.Remove(CAROL.peerId()));
        offer(bobLeaves);
        offer(carolLeaves);
        assertThat(offerFollowed(bobRemovesCarol)).isTrue();

        RoomState state = log.state();
        assertThat(state.members().keySet()).containsExactly(ALICE.peerId());
        assertThat(state.departure(CAROL.peerId()).orElseThrow().event()).isEqualTo(bobRemovesCarol);
        assertThat(state.departure(BOB.peerId()).orElseThrow().event()).isEqualTo(bobLeaves);
    }

    @Test
    void anOrdinaryMembersOwnLeaveVouchesForNoneOfHerJunkAndNoRenameCarriesANameNoRoomMayHave() throws Exception {
        withBobAndCarol();
        int size = log.size();
        // Carol, an ordinary member, signs renames (which she may not make), each on the one before, and her leave on
        // the last, and pushes them as one delivery: her leave may take effect, but follows only her own junk.
        List<RoomEvent> delivery = new ArrayList<>();
        List<byte[]> parents = log.state().heads();
        for (int i = 0; i < 100; i++) {
            RoomEvent junk = RoomEvent.sign(CAROL, ROOM, size + i, parents, 100 + i, new RoomChange.Rename("Junk " + i));
            delivery.add(junk);
            parents = List.of(junk.hash());
        }
        delivery.add(RoomEvent.sign(CAROL, ROOM, size + 100, parents, 300, new RoomChange.Leave()));
        assertThat(log.vouchedIn(delivery)).as("her own leave vouches for none of it").isEmpty();
        assertRefused(delivery.getFirst(), "is not an admin");
        // Nor is it held when another member follows it: she was no admin in the room it follows either.
        assertThatThrownBy(() -> log.add(delivery.getFirst(), true))
                .hasMessageContaining("is not an admin in the room it follows");

        // An admin's rename to a name no room may have (64 KiB of it) is refused as it comes, not only in the fold.
        RoomEvent huge = log.next(ALICE, 400, new RoomChange.Rename("J".repeat(65_000)));
        assertThatThrownBy(() -> log.add(huge, true)).hasMessageContaining("room name");
        assertThat(log.size()).isEqualTo(size);
    }

    @Test
    void aMemberAddedAgainVouchesWithItsOwnBackDatedLeaveForNoneOfItsJunk() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(DAVE.peerId()));
        RoomLog davesAdminView = log;
        next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        int size = log.size();
        // Dave, an ordinary member again, signs renames on the heads from when he was an admin, and a leave on them:
        // he is a member, so his leave may take effect, but it is his own, and vouches for nothing of his.
        RoomEvent junk = davesAdminView.next(DAVE, 200, new RoomChange.Rename("Junk"));
        RoomEvent leave = RoomEvent.sign(DAVE, ROOM, junk.epoch() + 1, List.of(junk.hash()), 201,
                new RoomChange.Leave());
        assertThat(log.vouchedIn(List.of(junk, leave))).isEmpty();
        assertRefused(junk, "is not an admin");

        // Bob's leave on it would vouch for it (Bob is another member): what a member follows, every member holds.
        RoomEvent bobsLeave = RoomEvent.sign(BOB, ROOM, junk.epoch() + 1, List.of(junk.hash()), 202,
                new RoomChange.Leave());
        assertThat(log.vouchedIn(List.of(junk, bobsLeave))).containsExactly(RoomState.key(junk.hash()));
        assertThat(log.size()).isEqualTo(size);
    }

    @Test
    void twoAdminsChangingALogOneShortOfItsBoundAtOnceAreBothTakenEverywhereAndARemovalStillCrosses()
            throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        while (log.size() < RoomLog.MAX_EVENTS - 1) {
            next(ALICE, new RoomChange.Rename("Name " + log.size()));
        }
        RoomLog fork = log;
        RoomEvent alicesRename = fork.next(ALICE, 20_000, new RoomChange.Rename("Alice's name"));
        RoomEvent bobsRename = fork.next(BOB, 20_001, new RoomChange.Rename("Bob's name"));
        RoomLog alicesFirst = fork.add(alicesRename).log();
        RoomLog bobs = fork.add(bobsRename).log();
        RoomEvent removal = alicesFirst.next(ALICE, 20_002, new RoomChange.Remove(CAROL.peerId()));
        assertThatThrownBy(() -> alicesFirst.add(alicesFirst.next(ALICE, 20_003, new RoomChange.Rename("One more"))))
                .as("a change at the bound").hasMessageContaining("changes only below " + RoomLog.MAX_EVENTS);

        RoomLog alices = alicesFirst.add(bobsRename).log().add(removal).log();
        bobs = bobs.add(alicesRename).log().add(removal).log();
        for (RoomLog each : List.of(alices, bobs)) {
            assertThat(each.size()).isEqualTo(RoomLog.MAX_EVENTS + 2);
            assertThat(each.state().isMember(CAROL.peerId())).isFalse();
            assertThat(each.state().heads()).usingElementComparator(RoomEvent.HASH_ORDER)
                    .containsExactlyElementsOf(alices.state().heads());
            assertThat(each.state().name()).isEqualTo(alices.state().name());
        }
    }

    @Test
    void whoIsOutOrNoAdminCannotFillTheLogWithEventsThatChangeNothingUnlessAMemberFollowsThem() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        RoomLog carolsView = log;
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        int size = log.size();

        // Carol, out, signs renames on the heads she last saw; Bob, an ordinary member, signs an admin's change.
        List<RoomEvent> flood = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            flood.add(carolsView.next(CAROL, 100 + i, new RoomChange.Rename("Junk " + i)));
        }
        for (RoomEvent junk : flood) {
            assertRefused(junk, "would change nothing: its author " + CAROL.peerId() + " is not in the room");
        }
        assertRefused(log.next(BOB, 7, new RoomChange.Rename("Bob's")), "is not an admin");
        assertThat(log.size()).isEqualTo(size);

        // A member who took one before it knew of her removal, and followed it, vouches for that one only.
        RoomEvent followed = carolsView.add(flood.getFirst(), true).log().next(BOB, 8, new RoomChange.Leave());
        List<RoomEvent> delivery = List.of(flood.getFirst(), followed, flood.get(1));
        assertThat(log.vouchedIn(delivery)).containsExactly(RoomState.key(flood.getFirst().hash()));
    }

    @Test
    void anAddSignedOnOldHeadsDoesNotDateTheMembersJoiningBack() throws Exception {
        withBobAndCarol();
        RoomLog oldView = log;
        next(ALICE, new RoomChange.Rename("One"));
        next(ALICE, new RoomChange.Rename("Two"));
        next(ALICE, new RoomChange.Rename("Three"));

        RoomEvent oldAdd = oldView.next(ALICE, 60, new RoomChange.Add(card(DAVE, "Dave")));
        assertThat(oldAdd.epoch()).isEqualTo(3);
        assertThat(offer(oldAdd)).isTrue();

        RoomState state = log.state();
        assertThat(state.member(DAVE.peerId()).orElseThrow().joinedEpoch()).isEqualTo(6);
        assertThat(state.writeProblem(DAVE.peerId(), 3)).get().asString().contains("joined at epoch 6");
        assertThat(state.writeProblem(DAVE.peerId(), 6)).isEmpty();
    }

    // ---- bytes ----

    @Test
    void anEventReEncodedWithAnExtraFieldOrAPaddedNumberIsRefusedSoItKeepsOneHash() throws Exception {
        create();
        RoomEvent genuine = log.next(ALICE, 1, new RoomChange.Add(card(BOB, "Bob")));
        byte[] bytes = genuine.encode();

        // The attack that re-admitted a removed member: the same signed event with an unknown field appended.
        for (int tag = 3; tag < 6; tag++) {
            byte[] padded = concat(bytes, new byte[] {(byte) (tag << 3), 7});
            assertDecodeFails(padded, "canonical");
        }
        RoomProtos.SignedRoomEvent signed = RoomProtos.SignedRoomEvent.parseFrom(bytes);
        byte[] twice = concat(bytes, RoomProtos.SignedRoomEvent.newBuilder().setSignature(signed.getSignature())
                .build().toByteArray());
        assertDecodeFails(twice, "canonical");
        assertDecodeFails(withPaddedLength(signed), "canonical");
        RoomProtos.RoomEvent inner = RoomProtos.RoomEvent.parseFrom(signed.getEvent());
        byte[] innerExtra = concat(inner.toByteArray(), new byte[] {(byte) (9 << 3), 1});
        assertDecodeFails(signedBy(ALICE, ByteString.copyFrom(innerExtra)), "canonical");
        RoomProtos.RoomEvent withAddress = inner.toBuilder().setAdd(inner.getAdd().toBuilder()
                .mergeFrom(new byte[] {(byte) (2 << 3 | 2), 1, 0})).build();
        assertDecodeFails(signedBy(ALICE, withAddress.toByteString()), "canonical");

        // An Ed25519 signature has one valid form: S + L, the group order added, is refused.
        byte[] signature = signed.getSignature().toByteArray();
        byte[] malleated = signature.clone();
        BigInteger s = new BigInteger(1, reversed(java.util.Arrays.copyOfRange(signature, 32, 64)))
                .add(BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493")));
        byte[] sPlusL = reversed(toFixed(s, 32));
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertDecodeFails(signed.toBuilder().setSignature(ByteString.copyFrom(malleated)).build().toByteArray(),
                "not signed by its author");
        assertThat(RoomEvent.decode(bytes).hash()).isEqualTo(genuine.hash());
    }

    @Test
    void forgedAlteredAndMalformedBytesDoNotDecode() throws Exception {
        create();
        RoomEvent genuine = log.next(ALICE, 1, new RoomChange.Add(card(BOB, "Bob")));
        RoomProtos.SignedRoomEvent signed = RoomProtos.SignedRoomEvent.parseFrom(genuine.encode());
        RoomProtos.RoomEvent inner = RoomProtos.RoomEvent.parseFrom(signed.getEvent());

        assertDecodeFails(signed.toBuilder().setSignature(ByteString.copyFrom(MALLORY.sign(
                ByteString.copyFromUtf8("parley/room-event/2\0").concat(signed.getEvent()).toByteArray())))
                .build().toByteArray(), "not signed by its author " + ALICE.peerId());
        assertDecodeFails(signed.toBuilder().setEvent(inner.toBuilder().setHlc(77).build().toByteString())
                .build().toByteArray(), "not signed");
        assertDecodeFails(signedBy(ALICE, inner.toByteString(), "parley/room-event/1\0"), "not signed");
        assertDecodeFails(new byte[RoomEvent.MAX_ENCODED_SIZE + 1], "exceeds the limit of 65536");
        assertDecodeFails(new byte[] {(byte) 0xff, 1, 2}, "does not parse");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().clearChange().build().toByteString()), "changes nothing");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().setAdd(RoomProtos.Add.newBuilder()
                .setCard(ByteString.copyFromUtf8("not a card"))).build().toByteString()), "card that does not verify");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().setParents(0, ByteString.copyFrom(new byte[5]))
                .build().toByteString()), "parent of 5 bytes");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().addParents(inner.getParents(0)).build().toByteString()),
                "out of order or twice");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().clearParents().build().toByteString()), "names no parent");
        RoomProtos.RoomEvent.Builder crowded = inner.toBuilder().clearParents();
        for (int i = 0; i <= RoomEvent.MAX_PARENTS; i++) {
            byte[] parent = new byte[32];
            parent[0] = (byte) i;
            crowded.addParents(ByteString.copyFrom(parent));
        }
        assertDecodeFails(signedBy(ALICE, crowded.build().toByteString()), "65 parents");
        // 2^64 - 1 on the wire: a negative long, refused with the number as sent.
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().setEpoch(-1).build().toByteString()),
                "18446744073709551615");
        assertDecodeFails(signedBy(ALICE, inner.toBuilder().setEpoch(Long.MIN_VALUE).build().toByteString()),
                "only below epoch " + RoomLog.MAX_EVENTS_WITH_DEPARTURES);
    }

    private static List<RoomEvent> concat(List<RoomEvent> events, RoomEvent... more) {
        List<RoomEvent> all = new ArrayList<>(events);
        all.addAll(List.of(more));
        return all;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The wrapper with the event's length written in three bytes where fewer would do. */
    private static byte[] withPaddedLength(RoomProtos.SignedRoomEvent signed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeTag(1, 2);
        int length = signed.getEvent().size();
        assertThat(length).isLessThan(128 * 128);
        coded.writeRawByte((byte) (length & 0x7f | 0x80));
        coded.writeRawByte((byte) (length >> 7 | 0x80));
        coded.writeRawByte((byte) 0);
        coded.writeRawBytes(signed.getEvent());
        coded.writeBytes(2, signed.getSignature());
        coded.flush();
        return out.toByteArray();
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    private static byte[] toFixed(BigInteger value, int size) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[size];
        int copy = Math.min(size, raw.length);
        System.arraycopy(raw, raw.length - copy, fixed, size - copy, copy);
        return fixed;
    }

    private static byte[] signedBy(Identity signer, ByteString event) {
        return signedBy(signer, event, "parley/room-event/2\0");
    }

    private static byte[] signedBy(Identity signer, ByteString event, String domain) {
        return RoomProtos.SignedRoomEvent.newBuilder().setEvent(event)
                .setSignature(ByteString.copyFrom(signer.sign(ByteString.copyFromUtf8(domain).concat(event)
                        .toByteArray()))).build().toByteArray();
    }

    private static void assertDecodeFails(byte[] encoded, String reason) {
        assertThatThrownBy(() -> RoomEvent.decode(encoded)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining(reason);
    }

    private void assertRefused(RoomEvent event, String reason) {
        RoomLog before = log;
        assertThatThrownBy(() -> before.add(event)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining(reason);
    }

    /** The change, signed on the heads, is not held even when a member follows it, for the reason given. */
    private void assertRefusedEvenFollowed(Identity author, RoomChange change, String reason) {
        RoomEvent event = log.next(author, 99, change);
        RoomLog before = log;
        assertThatThrownBy(() -> before.add(event, true)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining(reason);
    }

    /** The change, signed on the heads, is held but takes no effect, for the reason given. */
    private void assertSkipped(Identity author, RoomChange change, String reason) throws Exception {
        RoomEvent event = log.next(author, 99, change);
        RoomState tried = log.add(event, true).log().state();
        assertThat(tried.skipped(event)).as(event.toString()).get().asString().contains(reason);
    }
}
