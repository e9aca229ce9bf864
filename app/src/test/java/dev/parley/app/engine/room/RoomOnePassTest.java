package dev.parley.app.engine.room;

import static dev.parley.app.engine.room.RoomLogTest.ALICE;
import static dev.parley.app.engine.room.RoomLogTest.BOB;
import static dev.parley.app.engine.room.RoomLogTest.CAROL;
import static dev.parley.app.engine.room.RoomLogTest.CREATION;
import static dev.parley.app.engine.room.RoomLogTest.MALLORY;
import static dev.parley.app.engine.room.RoomLogTest.ROOM;
import static dev.parley.app.engine.room.RoomLogTest.card;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Identity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rule 3's departures do not depend on the fold, so one pass settles the room. Review 4 built this log against the
 * earlier rule, which folded again with the last pass's departures until they settled: Bob (admin) adds Mallory and
 * makes her an admin on heads that do not hold Alice's removal of him (D); Alice then removes Bob on top of that (R0)
 * and Mallory adds him again (A); D sorts after A. D took effect in a pass iff Mallory's add took effect in the pass
 * before, so the passes alternated and stopped at a bound; with a one-pass delay (Carol, removed at the same time as
 * her adds, fills the room in the first pass only) the last pass landed where D took effect and Bob's add and
 * promotion of Mallory, concurrent with D, did too. Now D, a standing removal, voids them whatever came of it.
 */
class RoomOnePassTest {
    static RoomLog on(RoomLog view, List<RoomEvent> all, Identity author, RoomChange change)
            throws InvalidRoomEventException {
        RoomEvent event = view.next(author, all.size(), change);
        all.add(event);
        return view.add(event, true).log();
    }

    record Scenario(List<RoomEvent> events, RoomEvent bobAddsMallory, RoomEvent bobPromotesMallory,
                    RoomEvent removesBob) {
    }

    static Scenario build(int fillers) throws Exception {
        List<RoomEvent> all = new ArrayList<>();
        RoomEvent created = RoomEvent.sign(ALICE, ROOM, 0, List.of(), 0, CREATION);
        all.add(created);
        RoomLog log = RoomLog.create(created);
        log = on(log, all, ALICE, new RoomChange.Add(card(BOB, "Bob")));
        log = on(log, all, ALICE, new RoomChange.Add(card(CAROL, "Carol")));
        log = on(log, all, ALICE, new RoomChange.Promote(BOB.peerId()));
        log = on(log, all, ALICE, new RoomChange.Promote(CAROL.peerId()));
        RoomLog base = log;
        // Carol fills the room on her branch while Alice removes her at the same time: her adds are void.
        RoomLog carols = base;
        // Most fillers where Bob forks, 4 more beside his branch (the earlier rule's passes then found the room full
        // where Mallory adds Bob back, whatever the hashes).
        int beforeFork = fillers > 0 ? fillers - 4 : 0;
        for (int i = 0; i < beforeFork; i++) {
            carols = on(carols, all, CAROL, new RoomChange.Add(card(Identity.generate(), "F" + i)));
        }
        RoomLog bobsStart = carols;
        for (int i = beforeFork; i < fillers; i++) {
            carols = on(carols, all, CAROL, new RoomChange.Add(card(Identity.generate(), "F" + i)));
        }
        RoomLog bobs = on(bobsStart, all, BOB, new RoomChange.Add(card(MALLORY, "Mallory")));
        RoomEvent addsMallory = all.getLast();
        bobs = on(bobs, all, BOB, new RoomChange.Promote(MALLORY.peerId()));
        RoomEvent promotesMallory = all.getLast();
        bobs = on(bobs, all, ALICE, new RoomChange.Remove(BOB.peerId()));
        bobs = on(bobs, all, MALLORY, new RoomChange.Rename("Mallory's"));
        bobs = on(bobs, all, MALLORY, new RoomChange.Add(card(BOB, "Bob")));
        long addBackEpoch = all.getLast().epoch();
        RoomLog alices = base;
        while (alices.size() <= addBackEpoch) {
            alices = on(alices, all, ALICE, new RoomChange.Rename("r" + alices.size()));
        }
        alices = on(alices, all, ALICE, new RoomChange.Remove(CAROL.peerId()));
        alices = on(alices, all, ALICE, new RoomChange.Remove(BOB.peerId()));
        RoomEvent removesBob = all.getLast();
        assertThat(removesBob.epoch()).isGreaterThan(addBackEpoch);
        return new Scenario(all, addsMallory, promotesMallory, removesBob);
    }

    /** D, a removal of Bob that stands, voids his add and promotion of Mallory, whether or not it was taken. */
    static void assertRule3(RoomState state, Scenario s, String where) {
        assertThat(state.skipped(s.bobAddsMallory())).as(where + ": Bob's add, concurrent with his removal D")
                .get().asString().contains("at the same time");
        assertThat(state.isMember(MALLORY.peerId())).as(where + ": Mallory in").isFalse();
        assertThat(state.isAdmin(MALLORY.peerId())).as(where + ": Mallory an admin").isFalse();
    }

    @Test
    void aRemovalOfAnAdminVoidsItsAddAndPromotionBesideIt() throws Exception {
        Scenario s = build(0);
        RoomLog log = RoomLog.of(s.events());
        assertRule3(log.state(), s, "no fill, of");
        assertThat(log.state().isMember(MALLORY.peerId())).isFalse();
    }

    @Test
    void soItDoesWhenAnotherRemovedAdminFillsTheRoomBesideIt() throws Exception {
        // Carol's 253 adds, void beside her removal, would fill the room if they were taken.
        Scenario s = build(253);
        RoomLog log = RoomLog.of(s.events());
        List<RoomEvent> shuffled = new ArrayList<>(s.events());
        Collections.shuffle(shuffled, new Random(4));
        RoomState ofShuffled = RoomLog.of(shuffled).state();
        RoomLog added = RoomLog.create(s.events().getFirst());
        for (RoomEvent event : s.events().subList(1, s.events().size())) {
            added = added.add(event, true).log();
        }
        assertRule3(added.state(), s, "fill, add one by one");
        assertRule3(ofShuffled, s, "fill, of shuffled");
        assertRule3(log.state(), s, "fill, of");
        assertRule3(RoomTestSupport.fromScratch(log), s, "fill, resolve from scratch");
    }
}
