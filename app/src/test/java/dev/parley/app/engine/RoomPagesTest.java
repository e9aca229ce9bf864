package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomDelivery;
import dev.parley.app.engine.api.RoomHistoryPage;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a room's view reads from real engines on loopback: its lines page by page, the unread count per room, how
 * many members hold each of our messages, and who removed the user.
 */
class RoomPagesTest {
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

    @Test
    void aRoomPagesBackFromItsNewestLinesAndCountsItsUnread() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        for (int i = 0; i < 120; i++) {
            bob.engine.rooms().say(room, "line " + i);
        }
        await(() -> unread(alice).getOrDefault(room, 0) == 120, () -> "Alice has unread " + unread(alice));

        RoomHistoryPage newest = alice.engine.rooms().newest(room, 50);
        assertThat(texts(newest)).hasSize(50).first().isEqualTo("line 70");
        assertThat(texts(newest)).last().isEqualTo("line 119");
        assertThat(newest.newer()).isEmpty();
        List<String> all = new ArrayList<>(newest.messages().stream().map(RoomMessage::text).toList());
        RoomHistoryPage page = newest;
        while (page.older().isPresent()) {
            page = alice.engine.rooms().before(room, page.older().get(), 50);
            all.addAll(0, page.messages().stream().map(RoomMessage::text).toList());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            expected.add("line " + i);
        }
        assertThat(all.stream().filter(text -> text.startsWith("line ")).toList()).isEqualTo(expected);
        RoomHistoryPage forward = alice.engine.rooms().after(room, page.newer().orElseThrow(), 50);
        assertThat(forward.messages().getFirst().id()).isNotEqualTo(page.messages().getLast().id());

        assertThat(alice.engine.rooms().markRead(room)).isEqualTo(120);
        assertThat(unread(alice)).doesNotContainKey(room);
        assertThat(unread(bob)).doesNotContainKey(room);
    }

    @Test
    void ourMessagesCountTheMembersWhoStoredThem() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));

        MessageId first = alice.engine.rooms().say(room, "to everyone");
        await(() -> delivery(alice, room, first).equals(new RoomDelivery(2, 2)),
                () -> "first message reached " + delivery(alice, room, first));
        alice.events.await(EngineEvent.RoomDelivered.class, delivered -> delivered.room().equals(room));
        RoomHistoryPage page = alice.engine.rooms().newest(room, 10);
        assertThat(page.deliveries()).containsEntry(first, new RoomDelivery(2, 2));
        assertThat(page.deliveries().keySet()).as("only our messages have deliveries").containsExactly(first);

        carol.close();
        started.remove(carol);
        MessageId second = alice.engine.rooms().say(room, "while Carol is away");
        await(() -> delivery(alice, room, second).stored() == 1,
                () -> "second message reached " + delivery(alice, room, second));
        assertThat(delivery(alice, room, second)).isEqualTo(new RoomDelivery(1, 2));

        TestEngine back = carol.restart();
        started.add(back);
        await(() -> delivery(alice, room, second).equals(new RoomDelivery(2, 2)),
                () -> "once Carol is back, second message reached " + delivery(alice, room, second));
    }

    @Test
    void aRemovedMemberKnowsWhoRemovedThem() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));

        alice.engine.rooms().remove(room, bob.peerId());
        await(() -> bob.engine.rooms().get(room).orElseThrow().status() == RoomStatus.LEFT,
                () -> "Bob sees " + bob.engine.rooms().get(room));
        RoomInfo seen = bob.engine.rooms().get(room).orElseThrow();
        assertThat(seen.removal()).hasValueSatisfying(removal -> {
            assertThat(removal.by()).isEqualTo(alice.peerId());
            assertThat(removal.byName()).isEqualTo("Alice");
        });

        carol.engine.rooms().leave(room);
        assertThat(carol.engine.rooms().get(room).orElseThrow().removal()).as("Carol left by herself").isEmpty();
    }

    private static Map<RoomId, Integer> unread(TestEngine member) {
        try {
            return member.engine.rooms().unread();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    private static RoomDelivery delivery(TestEngine member, RoomId room, MessageId id) {
        try {
            return member.engine.rooms().deliveries(room, List.of(id)).get(id);
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> texts(RoomHistoryPage page) {
        return page.messages().stream().filter(line -> !line.notice()).map(RoomMessage::text).toList();
    }
}
