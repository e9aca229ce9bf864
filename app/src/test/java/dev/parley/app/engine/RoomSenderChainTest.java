package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.transport.multiformats.PeerId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms under chained sender keys (crypto/README.md, "Sender keys"), with real engines on loopback: messages in order
 * and out of order through sync, a member added later reads from then on, and a member whose card does not list
 * chained keys keeps the room on static keys until it is out.
 */
class RoomSenderChainTest {
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

    /** The sender keys {@code member} keeps, read from its store file as they are after the writes so far. */
    static List<SenderKey> storedKeys(TestEngine member, RoomId room) throws Exception {
        List<SenderKey> keys = new ArrayList<>();
        String url = "jdbc:sqlite:" + member.profile.resolve(EngineConfig.STORE_FILE);
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key FROM sender_keys")) {
            while (rows.next()) {
                SenderKey key = SenderKey.decode(rows.getBytes(1));
                if (key.room().equals(room)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    static SenderKey storedKey(TestEngine member, RoomId room, PeerId owner, long epoch) throws Exception {
        return storedKeys(member, room).stream().filter(key -> key.owner().equals(owner) && key.epoch() == epoch)
                .findFirst().orElseThrow(() -> new AssertionError(member.name + " keeps no key of " + owner));
    }

    /** The ids and senders of the room's messages in {@code member}'s store file, in the conversation's order. */
    static List<String> storedMessages(TestEngine member, RoomId room) {
        List<String> messages = new ArrayList<>();
        String url = "jdbc:sqlite:" + member.profile.resolve(EngineConfig.STORE_FILE);
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement query = connection.prepareStatement("SELECT id, sender FROM messages"
                     + " WHERE conversation_id = (SELECT id FROM conversations WHERE room_id = ?) AND kind = 'TEXT'"
                     + " ORDER BY hlc, id, sender")) {
            query.setString(1, room.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(rows.getString(1) + " " + rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return messages;
    }

    static long epoch(TestEngine member, RoomId room) {
        return member.engine.rooms().get(room).orElseThrow().epoch();
    }

    @Test
    void threeMembersReadEachOtherInOrderUnderChainedKeysThatMoveOnWithEveryMessage() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));

        for (int i = 0; i < 5; i++) {
            for (TestEngine member : List.of(alice, bob, carol)) {
                member.engine.rooms().say(room, member.name + " " + i);
            }
        }

        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitTexts(member, room, 15);
        }
        List<String> alicesOrder = texts(alice, room).stream().map(RoomMessage::text).toList();
        for (TestEngine member : List.of(bob, carol)) {
            assertThat(texts(member, room)).extracting(RoomMessage::text).as(member.name)
                    .containsExactlyElementsOf(alicesOrder);
        }
        long epoch = epoch(alice, room);
        SenderKey alicesOwn = storedKey(alice, room, alice.peerId(), epoch);
        SenderKey alicesAtBob = storedKey(bob, room, alice.peerId(), epoch);
        assertThat(alicesOwn.isChained()).isTrue();
        // Each side's stored key stands one past the last message it sealed or opened: written with that message.
        assertThat(alicesOwn.iteration()).isEqualTo(alicesAtBob.iteration());
        assertThat(alicesAtBob.skippedKeys()).isZero();
        assertThat(storedKey(carol, room, bob.peerId(), epoch).iteration())
                .isEqualTo(storedKey(bob, room, bob.peerId(), epoch).iteration());
    }

    @Test
    void aMemberBackFromOfflineCatchesUpThroughSyncWhilePushesArriveAhead() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        carol.close();
        started.remove(carol);

        // More than SenderKey.MAX_SKIP of Alice's: a push of her next ones may overtake the catch-up by that much.
        for (int i = 0; i < 2_100; i++) {
            alice.engine.rooms().say(room, "alice " + i);
        }
        for (int i = 0; i < 100; i++) {
            bob.engine.rooms().say(room, "bob " + i);
        }
        await(() -> storedMessages(bob, room).size() >= 2_200, () -> "Bob has " + storedMessages(bob, room).size());
        TestEngine carolAgain = carol.restart();
        started.add(carolAgain);
        // Pushed while the sync hands over the rest: these lie ahead of what Carol's keys have reached.
        for (int i = 2_100; i < 2_120; i++) {
            alice.engine.rooms().say(room, "alice " + i);
        }

        for (TestEngine member : List.of(carolAgain, bob)) {
            await(() -> storedMessages(member, room).size() >= 2_220,
                    () -> member.name + " has " + storedMessages(member, room).size() + " of 2,220 messages");
        }
        assertThat(storedMessages(carolAgain, room)).hasSize(2_220).doesNotHaveDuplicates()
                .containsExactlyElementsOf(storedMessages(bob, room));
        long epoch = epoch(alice, room);
        assertThat(storedKey(carolAgain, room, alice.peerId(), epoch).skippedKeys()).isZero();
        assertThat(storedKey(carolAgain, room, alice.peerId(), epoch).iteration())
                .isEqualTo(storedKey(alice, room, alice.peerId(), epoch).iteration());
    }

    @Test
    void aMemberAddedLaterReadsFromThenOnAndNothingBefore() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        for (int i = 0; i < 4; i++) {
            alice.engine.rooms().say(room, "before " + i);
            bob.engine.rooms().say(room, "bob before " + i);
        }
        awaitTexts(bob, room, 8);

        TestEngine dave = start("Dave");
        TestEngine.befriend(alice, dave);
        alice.engine.rooms().invite(room, dave.peerId());
        dave.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
        dave.engine.rooms().accept(room);
        for (TestEngine member : List.of(alice, bob, dave)) {
            await(() -> member.engine.rooms().get(room).orElseThrow().members().size() == 3,
                    () -> member.name + " sees " + member.engine.rooms().get(room));
        }
        RoomChatTest.awaitEpoch(List.of(alice, bob, dave), room, epoch(alice, room));
        alice.engine.rooms().say(room, "after 0");
        bob.engine.rooms().say(room, "bob after 0");

        awaitTexts(dave, room, 2);
        awaitTexts(alice, room, 10);
        assertThat(texts(dave, room)).extracting(RoomMessage::text)
                .containsExactlyInAnyOrder("after 0", "bob after 0");
        long epoch = epoch(alice, room);
        SenderKey alicesAtDave = storedKey(dave, room, alice.peerId(), epoch);
        assertThat(alicesAtDave.isChained()).isTrue();
        // Alice's key of the new epoch started at her fifth number: the four before it are not Dave's to derive.
        assertThat(alicesAtDave.iteration()).isEqualTo(6);
        assertThat(storedKeys(dave, room)).allMatch(key -> key.epoch() == epoch);
    }

    @Test
    void aMemberOnACardWithoutChainedKeysKeepsTheRoomStaticUntilItIsOut() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine old = TestEngine.start(folder, "Olga", config -> config.withCardFeatures(Set.of()));
        started.add(old);
        RoomId room = roomOf(alice, List.of(bob, old));

        alice.engine.rooms().say(room, "to everyone");
        old.engine.rooms().say(room, "from an older Parley");
        for (TestEngine member : List.of(alice, bob, old)) {
            awaitTexts(member, room, 2);
        }
        long staticEpoch = epoch(alice, room);
        for (TestEngine member : List.of(alice, bob, old)) {
            assertThat(storedKeys(member, room)).as(member.name).filteredOn(key -> key.epoch() == staticEpoch)
                    .isNotEmpty().noneMatch(SenderKey::isChained);
        }

        alice.engine.rooms().remove(room, old.peerId());
        RoomChatTest.awaitEpoch(List.of(alice, bob), room, staticEpoch + 1);
        alice.engine.rooms().say(room, "just us");
        bob.engine.rooms().say(room, "chained now");
        awaitTexts(alice, room, 4);
        awaitTexts(bob, room, 4);
        long chainedEpoch = epoch(alice, room);
        assertThat(storedKey(bob, room, alice.peerId(), chainedEpoch).isChained()).isTrue();
        assertThat(storedKey(alice, room, bob.peerId(), chainedEpoch).isChained()).isTrue();
    }
}
