package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a room's log counts as fresh enough to write a first message on, whoever answers first. */
class RoomLogFetchesTest {
    static final RoomId ROOM = RoomId.random();
    static final PeerId ALICE = Identity.generate().peerId();
    static final PeerId BOB = Identity.generate().peerId();
    static final PeerId DAVE = Identity.generate().peerId();

    final RoomLogFetches fetches = new RoomLogFetches();

    @Test
    void oneMemberAnsweringFirstDoesNotEndTheWaitWhileOthersMayStillAnswer() {
        Set<PeerId> toReach = new HashSet<>();
        CompletableFuture<Void> fresh = fetches.await(ROOM, List.of(ALICE, BOB, DAVE), toReach);
        assertThat(toReach).containsExactlyInAnyOrder(ALICE, BOB, DAVE);

        fetches.heardFrom(ROOM, BOB);
        assertThat(fresh).as("heard only from Bob, perhaps removed meanwhile").isNotDone();
        fetches.unreachable(DAVE);
        assertThat(fresh).isNotDone();
        fetches.heardFrom(ROOM, ALICE);
        assertThat(fresh).isDone();
    }

    @Test
    void membersHeardFromBeforeTheFirstMessageAreNotWaitedForAgain() {
        fetches.heardFrom(ROOM, ALICE);
        fetches.heardFrom(RoomId.random(), BOB);
        Set<PeerId> toReach = new HashSet<>();
        CompletableFuture<Void> fresh = fetches.await(ROOM, List.of(ALICE, BOB), toReach);
        assertThat(toReach).as("Bob synced, but for another room").containsExactly(BOB);
        fetches.unreachable(BOB);
        assertThat(fresh).isDone();

        Set<PeerId> none = new HashSet<>();
        assertThat(fetches.await(ROOM, List.of(ALICE, BOB, DAVE), none)).isDone();
        assertThat(none).isEmpty();
    }

    @Test
    void aRoomWaitedForOnceIsNotWaitedForAgainAndNeitherIsAnEmptyRoom() {
        fetches.settle(ROOM);
        assertThat(fetches.await(ROOM, List.of(ALICE), new HashSet<>())).isDone();
        assertThat(fetches.await(RoomId.random(), List.of(), new HashSet<>())).isDone();
    }
}
