package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.Rooms;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms of real engines on loopback: members who are not each other's contacts read each other through the room,
 * a member who was offline catches up from a member who did not write what it missed, and everything survives a
 * restart of everyone.
 */
class RoomChatTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;
    final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TestEngine::close);
    }

    TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(folder, name);
        started.add(engine);
        return engine;
    }

    TestEngine restart(TestEngine engine) throws Exception {
        engine.close();
        started.remove(engine);
        TestEngine again = engine.restart();
        started.add(again);
        return again;
    }

    /** Alice creates a room and invites the others, who are her contacts but not each other's; all accept. */
    static RoomId roomOf(TestEngine admin, List<TestEngine> others) throws Exception {
        RoomId room = admin.engine.rooms().create("Climbing club").id();
        for (TestEngine other : others) {
            TestEngine.befriend(admin, other);
            admin.engine.rooms().invite(room, other.peerId());
        }
        for (TestEngine other : others) {
            other.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
            other.engine.rooms().accept(room);
        }
        int size = others.size() + 1;
        for (TestEngine member : all(admin, others)) {
            await(() -> member.engine.rooms().get(room).orElseThrow().members().size() == size,
                    () -> member.name + " sees " + member.engine.rooms().get(room));
        }
        return room;
    }

    static List<TestEngine> all(TestEngine first, List<TestEngine> rest) {
        List<TestEngine> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    static List<String> notices(TestEngine member, RoomId room) {
        try {
            return member.engine.rooms().history(room, 1_000).stream().filter(RoomMessage::notice)
                    .map(RoomMessage::text).toList();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    static List<RoomMessage> texts(TestEngine member, RoomId room) {
        try {
            return member.engine.rooms().history(room, 1_000).stream().filter(line -> !line.notice()).toList();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(50);
        }
    }

    static void awaitEpoch(List<TestEngine> members, RoomId room, long epoch) throws InterruptedException {
        for (TestEngine member : members) {
            await(() -> member.engine.rooms().get(room).orElseThrow().epoch() >= epoch,
                    () -> member.name + " is at " + member.engine.rooms().get(room));
        }
    }

    static void awaitTexts(TestEngine member, RoomId room, int count) throws InterruptedException {
        await(() -> texts(member, room).size() >= count,
                () -> member.name + " has " + texts(member, room).size() + " of " + count + " messages");
    }

    @Test
    void fiveMembersSeeEveryMessageOnceAndInTheSameOrder() throws Exception {
        TestEngine alice = start("Alice");
        List<TestEngine> others = List.of(start("Bob"), start("Carol"), start("Dave"), start("Erin"));
        RoomId room = roomOf(alice, others);
        List<TestEngine> members = all(alice, others);

        List<Thread> writers = new ArrayList<>();
        for (TestEngine member : members) {
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        member.engine.rooms().say(room, member.name + " says " + i);
                    } catch (EngineException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }

        for (TestEngine member : members) {
            awaitTexts(member, room, 100);
        }
        List<MessageId> order = texts(alice, room).stream().map(RoomMessage::id).toList();
        assertThat(order).hasSize(100).doesNotHaveDuplicates();
        for (TestEngine member : members) {
            List<RoomMessage> seen = texts(member, room);
            assertThat(seen).extracting(RoomMessage::id).as(member.name).containsExactlyElementsOf(order);
            for (TestEngine writer : members) {
                assertThat(seen).filteredOn(line -> line.sender().equals(writer.peerId()))
                        .extracting(RoomMessage::text)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                                .mapToObj(i -> writer.name + " says " + i).toList());
            }
        }
        assertThat(erinReceived(others.get(3), room)).hasSize(80);
    }

    private static List<EngineEvent.RoomMessageReceived> erinReceived(TestEngine erin, RoomId room) {
        return erin.events.all(EngineEvent.RoomMessageReceived.class).stream()
                .filter(received -> received.message().room().equals(room) && !received.message().notice())
                .toList();
    }

    @Test
    void aMemberWhoWasOfflineCatchesUpFromAMemberWhoDidNotWrite() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        TestEngine erin = start("Erin");
        RoomId room = roomOf(alice, List.of(bob, carol, dave, erin));
        // Erin has every member's key before she goes: each went under a session of its own, a round trip first.
        for (TestEngine member : List.of(alice, bob, carol, dave)) {
            member.awaitOutboxEmptyFor(erin.peerId());
        }
        erin.close();
        started.remove(erin);

        for (int i = 0; i < 50; i++) {
            bob.engine.rooms().say(room, "bob " + i);
            carol.engine.rooms().say(room, "carol " + i);
        }
        awaitTexts(alice, room, 100);
        awaitTexts(dave, room, 100);
        bob.close();
        carol.close();
        started.removeAll(List.of(bob, carol));

        TestEngine erinAgain = erin.restart();
        started.add(erinAgain);

        awaitTexts(erinAgain, room, 100);
        assertThat(texts(erinAgain, room)).extracting(RoomMessage::id)
                .containsExactlyElementsOf(texts(alice, room).stream().map(RoomMessage::id).toList());
    }

    @Test
    void everyoneRestartsAndTheRoomGoesOn() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().say(room, "before the restart");
        awaitTexts(bob, room, 1);
        awaitTexts(carol, room, 1);

        TestEngine alice2 = restart(alice);
        TestEngine bob2 = restart(bob);
        TestEngine carol2 = restart(carol);

        for (TestEngine member : List.of(alice2, bob2, carol2)) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.name()).isEqualTo("Climbing club");
            assertThat(info.status()).isEqualTo(RoomStatus.JOINED);
            assertThat(info.members()).hasSize(3);
            assertThat(texts(member, room)).extracting(RoomMessage::text).containsExactly("before the restart");
        }
        carol2.engine.rooms().say(room, "after the restart");
        awaitTexts(alice2, room, 2);
        awaitTexts(bob2, room, 2);
        assertThat(texts(bob2, room)).extracting(RoomMessage::text)
                .containsExactly("before the restart", "after the restart");
    }

    @Test
    void declinesLeavesRenamesAndPromotionsReachEveryMember() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, carol));
        TestEngine.befriend(alice, dave);
        alice.engine.rooms().invite(room, dave.peerId());
        dave.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
        assertThat(dave.engine.rooms().get(room).orElseThrow().status()).isEqualTo(RoomStatus.INVITED);

        // One change at a time, each seen by everyone before the next: two made at once would fork the log.
        dave.engine.rooms().decline(room);
        awaitEpoch(List.of(alice, bob, carol), room, 4);
        alice.engine.rooms().promote(room, bob.peerId());
        awaitEpoch(List.of(alice, bob, carol), room, 5);
        bob.engine.rooms().rename(room, "Climbing club · winter");
        awaitEpoch(List.of(alice, bob, carol), room, 6);
        carol.engine.rooms().leave(room);

        for (TestEngine member : List.of(alice, bob)) {
            // The log's head is stored before the notice of its last event: wait for both.
            await(() -> member.engine.rooms().get(room).orElseThrow().epoch() == 7
                    && notices(member, room).contains("Carol left"),
                    () -> member.name + " sees " + member.engine.rooms().get(room));
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.name()).isEqualTo("Climbing club · winter");
            assertThat(info.members()).extracting(RoomInfo.Member::name).containsExactly("Alice", "Bob");
            assertThat(info.members()).allMatch(RoomInfo.Member::admin);
            assertThat(notices(member, room)).containsSubsequence("Dave left", "Alice made Bob an admin",
                            "Bob renamed the room to Climbing club · winter", "Carol left");
        }
        assertThat(carol.engine.rooms().get(room).orElseThrow().status()).isEqualTo(RoomStatus.LEFT);
        assertThat(dave.engine.rooms().get(room).orElseThrow().status()).isEqualTo(RoomStatus.LEFT);
        bob.engine.rooms().say(room, "just us two");
        awaitTexts(alice, room, 1);
        assertThat(texts(carol, room)).isEmpty();
    }

    @Test
    void twoAdminsChangingTheRoomAtOnceBothTakeEffectAndEveryMemberHoldsTheSameLog() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, carol, dave));
        alice.engine.rooms().promote(room, bob.peerId());
        awaitEpoch(List.of(alice, bob, carol, dave), room, 4);
        for (TestEngine member : List.of(alice, carol, dave)) {
            member.close();
            started.remove(member);
        }
        // Two admins change the room, each not hearing of the other's change: two events at epoch 5.
        bob.engine.rooms().remove(room, dave.peerId());
        bob.close();
        started.remove(bob);
        TestEngine alice2 = alice.restart();
        started.add(alice2);
        alice2.engine.rooms().rename(room, "Forked club");
        assertThat(alice2.engine.rooms().get(room).orElseThrow().epoch()).isEqualTo(5);
        TestEngine bob2 = bob.restart();
        started.add(bob2);
        TestEngine carol2 = carol.restart();
        started.add(carol2);
        TestEngine dave2 = dave.restart();
        started.add(dave2);

        List<TestEngine> remaining = List.of(alice2, bob2, carol2);
        awaitEpoch(remaining, room, 6);
        await(() -> remaining.stream().map(member -> member.engine.store().rooms().log(room.toString()).stream()
                        .map(event -> java.util.HexFormat.of().formatHex(event.hash())).toList()).distinct().count() == 1,
                () -> "the logs differ");
        // A member stores an event's notice just after the event itself, so wait for the notice too.
        await(() -> remaining.stream().allMatch(member -> notices(member, room).contains("Bob removed Dave")),
                () -> "a member shows no notice of Dave's removal");
        for (TestEngine member : remaining) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.epoch()).as(member.name).isEqualTo(6);
            assertThat(info.name()).isEqualTo("Forked club");
            assertThat(info.members()).extracting(RoomInfo.Member::name).containsExactly("Alice", "Bob", "Carol");
            assertThat(member.engine.rooms().history(room, 50)).filteredOn(RoomMessage::notice)
                    .extracting(RoomMessage::text).containsOnlyOnce("Bob removed Dave");
        }
        await(() -> dave2.engine.rooms().get(room).orElseThrow().status() == RoomStatus.LEFT,
                () -> "Dave still thinks he is in " + dave2.engine.rooms().get(room));
        carol2.engine.rooms().say(room, "after the fork");
        awaitTexts(alice2, room, 1);
        awaitTexts(bob2, room, 1);
        assertThat(texts(dave2, room)).isEmpty();
    }

    @Test
    void anInvitationThatCannotCarryTheWholeLogIsRefusedBeforeAnyoneIsAdded() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        RoomId room = alice.engine.rooms().create("Climbing club").id();
        // Renames to 64-character names, until the log no longer fits an invitation's envelope with room to spare.
        String padding = "x".repeat(58);
        for (int i = 0; alice.engine.store().rooms().log(room.toString()).stream()
                .mapToLong(event -> event.event().length + 4L).sum() + Rooms.INVITATION_HEADROOM
                <= dev.parley.crypto.Envelope.MAX_SIZE; i++) {
            alice.engine.rooms().rename(room, String.format("%06d", i) + padding);
        }
        long epoch = alice.engine.rooms().get(room).orElseThrow().epoch();

        assertThatThrownBy(() -> alice.engine.rooms().invite(room, bob.peerId())).isInstanceOf(EngineException.class)
                .hasMessageContaining("cannot invite Bob: the room's membership log is");
        assertThat(alice.engine.rooms().get(room).orElseThrow().epoch()).as("no add signed").isEqualTo(epoch);
        assertThat(alice.engine.rooms().get(room).orElseThrow().members()).hasSize(1);
    }
}
