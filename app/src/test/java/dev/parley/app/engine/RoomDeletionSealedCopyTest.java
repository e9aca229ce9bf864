package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deletion for everyone in a room takes the text's sealed copies too: a room envelope is the text sealed under the
 * room's key, which every member holds, so the envelopes kept for sync — the message's and those of its edits, each
 * sealing a version — must go with the text. Read from the SQLite files of the author, a member who was there and a
 * member who caught up by sync afterwards, with every member's sender keys at hand.
 */
class RoomDeletionSealedCopyTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    private static final String SECRET = "the-boat-key-hangs-behind-the-map";
    private static final List<String> VERSIONS = List.of("meet at the dock: " + SECRET,
            "first edit: the-spare-key-is-under-the-third-stone", "second edit: the-code-is-8642-not-2468");

    /**
     * Bob writes a message while Dave is away, edits it twice and deletes it for everyone. No envelope in Alice's,
     * Bob's or (once he is back and has synced with Alice) Dave's file opens to any version, Dave holds every number
     * of Bob's (so he asks for none again), and Dave, who never got the message, shows it where it was written as
     * deleted, with no text.
     */
    @Test
    void aRoomMessageDeletedForEveryoneLeavesNoSealedCopyOfAnyVersionAndAMemberSyncedLaterSeesItDeleted()
            throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, dave));
        bob.engine.rooms().say(room, "hello");
        for (TestEngine member : List.of(alice, bob, dave)) {
            awaitTexts(member, room, 1);
        }
        // The keys as they stand before the message: a chained key derives every later number from here.
        List<SenderKey> keys = keysOf(alice);
        keys.addAll(keysOf(dave));
        stop(dave);
        MessageId withdrawn = bob.engine.rooms().say(room, VERSIONS.get(0));
        MessageRef bobs = new MessageRef(new ConversationRef.Room(room), bob.peerId(), withdrawn);
        bob.engine.actions().edit(bobs, VERSIONS.get(1));
        bob.engine.actions().edit(bobs, VERSIONS.get(2));
        await(() -> versions(alice, bobs) == VERSIONS.size(), () -> "Alice lacks Bob's edits");
        bob.engine.actions().deleteForEveryone(bobs);
        await(() -> deleted(alice, bobs), () -> "Alice has not applied Bob's deletion");
        keys.addAll(keysOf(alice));
        keys.addAll(keysOf(bob));
        long bobsNumbers = alice.engine.store().roomEnvelopes().highest(room.toString(), bob.peerId().toBase58());
        assertThat(bobsNumbers).as("hello, the message, two edits and the deletion").isEqualTo(5);
        stop(bob);

        TestEngine daveAgain = restart(dave);
        await(() -> daveAgain.engine.store().roomEnvelopes().contiguous(room.toString())
                        .getOrDefault(bob.peerId().toBase58(), 0L) == bobsNumbers,
                () -> "Dave holds Bob's envelopes up to " + daveAgain.engine.store().roomEnvelopes()
                        .contiguous(room.toString()) + ", not " + bobsNumbers);
        await(() -> deleted(daveAgain, bobs), () -> "Dave does not show Bob's message as deleted");
        keys.addAll(keysOf(daveAgain));

        RoomMessage shown = texts(daveAgain, room).stream().filter(line -> line.id().equals(withdrawn)).findFirst()
                .orElseThrow();
        assertThat(shown.text()).isEmpty();
        daveAgain.events.await(EngineEvent.RoomMessageReceived.class,
                received -> received.message().id().equals(withdrawn));
        assertThat(daveAgain.events.all(EngineEvent.RoomMessageReceived.class)).as("what Dave's engine reported")
                .filteredOn(received -> received.message().id().equals(withdrawn)).singleElement()
                .satisfies(received -> {
                    assertThat(received.message().text()).isEmpty();
                    assertThat(received.message().details().deleted()).isTrue();
                });
        assertThat(texts(daveAgain, room)).extracting(RoomMessage::id).as("in the order it was written")
                .endsWith(withdrawn);
        for (TestEngine member : List.of(alice, bob, daveAgain)) {
            for (String version : VERSIONS) {
                assertThat(MessageActionsReviewAttacksTest.storeHolds(member, version))
                        .as(member.name + "'s SQLite file or WAL holds " + version).isFalse();
            }
            assertThat(sealedTexts(member, keys)).as(member.name + "'s room envelopes, opened with the room's keys")
                    .isNotEmpty().noneMatch(text -> VERSIONS.stream().anyMatch(text::contains));
        }
        for (TestEngine member : List.of(alice, daveAgain)) {
            assertThat(member.engine.store().roomEnvelopes().contiguous(room.toString()))
                    .as(member.name + " holds every number of Bob's").containsEntry(bob.peerId().toBase58(),
                            bobsNumbers);
        }
    }

    /** What every room envelope in {@code member}'s SQLite file opens to with {@code keys}, read from the file. */
    static List<String> sealedTexts(TestEngine member, List<SenderKey> keys) throws Exception {
        Path db = member.profile.resolve(EngineConfig.STORE_FILE);
        List<String> opened = new ArrayList<>();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT envelope FROM room_envelopes")) {
            while (rows.next()) {
                byte[] envelope = rows.getBytes(1);
                if (envelope == null || envelope.length == 0) {
                    continue;
                }
                for (SenderKey key : keys) {
                    try {
                        // A copy each time: opening moves a chained key on, and the next file holds the same envelope.
                        SenderKey copy = SenderKey.decode(key.encode());
                        byte[] plaintext = SEALER.openRoom(envelope, SenderKeyRing.of(key.owner(), List.of(copy)),
                                id -> true).plaintext();
                        opened.add(new String(plaintext, StandardCharsets.UTF_8));
                        break;
                    } catch (EnvelopeException e) {
                        // Sealed under another key: the next one may open it.
                    }
                }
            }
        }
        return opened;
    }

    static List<SenderKey> keysOf(TestEngine member) throws Exception {
        List<SenderKey> keys = new ArrayList<>();
        for (byte[] key : member.engine.store().senderKeys().all()) {
            keys.add(SenderKey.decode(key));
        }
        return keys;
    }

    private static int versions(TestEngine at, MessageRef message) {
        try {
            return at.engine.actions().versions(message).size();
        } catch (EngineException e) {
            return 0;
        }
    }

    static boolean deleted(TestEngine at, MessageRef message) {
        try {
            return at.engine.actions().details(message).deleted();
        } catch (EngineException e) {
            return false;
        }
    }
}
