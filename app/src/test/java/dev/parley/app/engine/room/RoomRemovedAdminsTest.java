package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removed admins working together on the heads they last saw (review 4): one removed admin builds on the other's add or promotion, and a member hands both on. Neither brings anyone in, makes anyone an admin, or brings a removed member back. */
class RoomRemovedAdminsTest {
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

    RoomEvent next(Identity author, RoomChange change) throws InvalidRoomEventException {
        RoomEvent event = log.next(author, log.size(), change);
        log = log.add(event).log();
        assertThat(log.state().skipped(event)).as(event + " took effect").isEmpty();
        return event;
    }

    /** As RoomBook.extend does for events a member in the room hands on (carriedByMember). */
    boolean offerCarried(RoomEvent event) throws InvalidRoomEventException {
        RoomLog.Added added = log.add(event, true);
        assertThat(added.outcome()).isEqualTo(RoomLog.Outcome.ADDED);
        log = added.log();
        return log.state().skipped(event).isEmpty();
    }

    static RoomLog on(RoomLog view, RoomEvent... events) throws InvalidRoomEventException {
        for (RoomEvent event : events) {
            view = view.add(event, true).log();
        }
        return view;
    }

    /**
     * Promise 2 ("a member who is out can never bring anyone in, make anyone an admin"): two admins removed by the
     * creator, Carol (senior) and Bob. Bob, on the heads he last saw, adds Mallory and makes her an admin; Carol, on
     * top of those, removes Bob. Carol's removal stands (rule 4: she could make it there) and sorts before Alice's
     * removal of Bob, which is then skipped ("not a member"): Bob's applied departure is Carol's removal, which
     * follows his add and promotion, so rule 3 voids neither. Mallory is in, and an admin.
     */
    @Test
    void twoRemovedAdminsCannotBringInAndPromoteAStrangerByOneRemovingTheOtherOnTopOfItsAdd() throws Exception {
        log = RoomLog.create(RoomEvent.sign(ALICE, ROOM, 0, List.of(), 0, CREATION));
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomLog theirView = log;
        next(ALICE, new RoomChange.Rename("one"));
        next(ALICE, new RoomChange.Rename("two"));
        next(ALICE, new RoomChange.Rename("three"));
        RoomEvent removesBob = next(ALICE, new RoomChange.Remove(BOB.peerId()));
        RoomEvent removesCarol = next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        assertThat(log.state().members().keySet()).containsExactly(ALICE.peerId(), DAVE.peerId());
        RoomLog alicesBefore = log;

        // Bob and Carol, out, sign on the heads they last saw; Dave (a member) hands it on, as Known limits allow.
        RoomEvent addsMallory = theirView.next(BOB, 100, new RoomChange.Add(card(MALLORY, "Mallory")));
        RoomLog bobs = on(theirView, addsMallory);
        RoomEvent promotesMallory = bobs.next(BOB, 101, new RoomChange.Promote(MALLORY.peerId()));
        bobs = on(bobs, promotesMallory);
        RoomEvent carolRemovesBob = bobs.next(CAROL, 102, new RoomChange.Remove(BOB.peerId()));
        assertThat(carolRemovesBob.epoch()).isLessThan(removesBob.epoch());

        offerCarried(addsMallory);
        offerCarried(promotesMallory);
        offerCarried(carolRemovesBob);
        RoomState state = log.state();
        System.out.println("applied: " + state.applied().size() + " members " + state.members().size()
                + " skipped(removesBob)=" + state.skipped(removesBob) + " skipped(add)=" + state.skipped(addsMallory));
        RoomState scratch = RoomLog.of(log.events().reversed()).state();
        assertThat(scratch.isMember(MALLORY.peerId())).isEqualTo(state.isMember(MALLORY.peerId()));

        assertThat(state.isMember(BOB.peerId())).isFalse();
        assertThat(state.isMember(CAROL.peerId())).isFalse();
        System.out.println("Mallory admin: " + state.isAdmin(MALLORY.peerId()));
        assertThat(state.isMember(MALLORY.peerId()))
                .as("Mallory, added by Bob after Alice removed him, on heads from before: out members bring nobody in")
                .isFalse();
        assertThat(state.isAdmin(MALLORY.peerId())).as("nor make anyone an admin").isFalse();
    }

    /**
     * Promise 1 with the same means: Dave, removed by Alice, is added again by Bob after Alice removed Bob too (on
     * the heads Bob last saw, which hold Dave's removal); Carol, removed as well, removes Bob on top of that add.
     */
    @Test
    void aRemovedMemberDoesNotComeBackThroughARemovedAdminsAddThatAnotherRemovedAdminBuildsOn() throws Exception {
        log = RoomLog.create(RoomEvent.sign(ALICE, ROOM, 0, List.of(), 0, CREATION));
        next(ALICE, new RoomChange.Add(card(BOB, "Bob")));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        next(ALICE, new RoomChange.Add(card(DAVE, "Dave")));
        next(ALICE, new RoomChange.Promote(CAROL.peerId()));
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        RoomEvent removesDave = next(ALICE, new RoomChange.Remove(DAVE.peerId()));
        RoomLog theirView = log;
        next(ALICE, new RoomChange.Rename("one"));
        next(ALICE, new RoomChange.Rename("two"));
        RoomEvent removesBob = next(ALICE, new RoomChange.Remove(BOB.peerId()));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        assertThat(log.state().departure(DAVE.peerId()).orElseThrow().event()).isEqualTo(removesDave);

        RoomEvent bobAddsDave = theirView.next(BOB, 100, new RoomChange.Add(card(DAVE, "Dave")));
        RoomEvent carolRemovesBob = on(theirView, bobAddsDave).next(CAROL, 101, new RoomChange.Remove(BOB.peerId()));
        assertThat(carolRemovesBob.epoch()).isLessThan(removesBob.epoch());
        offerCarried(bobAddsDave);
        assertThat(log.state().isMember(DAVE.peerId())).as("Bob's add alone is void").isFalse();
        offerCarried(carolRemovesBob);

        RoomState state = log.state();
        assertThat(RoomTestSupport.fromScratch(log).isMember(DAVE.peerId())).isEqualTo(state.isMember(DAVE.peerId()));
        assertThat(state.isMember(DAVE.peerId()))
                .as("Dave's removal was in force; only Bob, removed, added him again").isFalse();
    }
}
