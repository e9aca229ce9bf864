package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.ME;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.addAliceChat;
import static dev.parley.store.TestData.fromAlice;
import static dev.parley.store.TestData.incoming;
import static dev.parley.store.TestData.mine;
import static dev.parley.store.TestData.outgoing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.store.MessageActions.Extras;
import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageActions.PendingAction;
import dev.parley.store.MessageActions.PendingKind;
import dev.parley.store.MessageActions.Reaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replies, reactions, edits and deletions on a real file, and what a deletion leaves in the file's bytes. */
class MessageActionsTest extends StoreOnDisk {
    private static final String SECRET = "quetzalcoatl-meets-at-the-old-mill";

    @BeforeEach
    void chatWithAlice() {
        addAliceChat(store);
        store.messages().insert(incoming(CHAT, "a1", 10, "the glacier route looks good"));
        store.messages().insert(outgoing(CHAT, "m1", 20, "bring the rope"));
    }

    @Test
    void aReplyAndAForwardAreDescribedByReference() {
        store.messages().insert(outgoing(CHAT, "m2", 30, "agreed"));
        store.actions().describeAsync(mine("m2"), Optional.of(fromAlice("a1")), true).join();

        Extras extras = store.actions().extras(List.of(mine("m2"))).get(mine("m2"));
        assertThat(extras.replyTo()).contains(fromAlice("a1"));
        assertThat(extras.forwarded()).isTrue();
        assertThat(store.actions().extras(List.of(mine("m1"))).get(mine("m1"))).isEqualTo(Extras.NONE);
    }

    @Test
    void reactionsAreOnePerPersonAndEmojiAndAReplayedOlderOneChangesNothing() {
        assertThat(store.actions().react(fromAlice("a1"), ME, "👍", true, 100)).isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().react(fromAlice("a1"), ME, "👍", true, 100)).isEqualTo(Outcome.UNCHANGED);
        assertThat(store.actions().react(fromAlice("a1"), ALICE, "👍", true, 101)).isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().react(fromAlice("a1"), ME, "👍", false, 102)).isEqualTo(Outcome.APPLIED);
        // The add sent before the removal, arriving again after it, loses to it.
        assertThat(store.actions().react(fromAlice("a1"), ME, "👍", true, 100)).isEqualTo(Outcome.UNCHANGED);

        assertThat(store.actions().extras(List.of(fromAlice("a1"))).get(fromAlice("a1")).reactions())
                .containsExactly(new Reaction(ALICE, "👍"));
        assertThat(store.actions().react(fromAlice("nope"), ME, "👍", true, 103)).isEqualTo(Outcome.MISSING);
    }

    @Test
    void onlyTheAuthorEditsAndEveryVersionIsKept() {
        assertThat(store.actions().edit(fromAlice("a1"), ME, "e0", 40, "forged", T0)).isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().edit(mine("m1"), ME, "e1", 40, "bring two ropes", T0)).isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().edit(mine("m1"), ME, "e1", 40, "bring two ropes", T0))
                .isEqualTo(Outcome.UNCHANGED);
        // An older edit arriving late is history, not the text.
        assertThat(store.actions().edit(mine("m1"), ME, "e0", 30, "bring a rope", T0)).isEqualTo(Outcome.UNCHANGED);

        assertThat(store.messages().get(mine("m1")).orElseThrow().body()).isEqualTo("bring two ropes");
        assertThat(store.messages().get(fromAlice("a1")).orElseThrow().body()).isEqualTo("the glacier route looks good");
        assertThat(store.actions().versions(mine("m1"))).extracting(MessageActions.TextVersion::body)
                .containsExactly("bring the rope", "bring a rope", "bring two ropes");
        assertThat(store.actions().extras(List.of(mine("m1"))).get(mine("m1")).edited()).isTrue();
        assertThat(store.search().search("ropes", 10)).hasSize(1);
    }

    @Test
    void deletingForEveryoneLeavesNoTraceOfTheTextInTheFileOrTheSearchIndex() throws Exception {
        store.messages().insert(incoming(CHAT, "a2", 30, "meet me where " + SECRET + " tonight"));
        assertThat(store.actions().edit(fromAlice("a2"), ALICE, "e1", 31, "edited " + SECRET + " again", T0))
                .isEqualTo(Outcome.APPLIED);
        store.actions().react(fromAlice("a2"), ME, "🔥", true, 32);
        assertThat(store.search().search(SECRET, 10)).hasSize(1);
        assertThat(fileBytesContain(SECRET)).as("the text is in the file before").isTrue();

        assertThat(store.actions().deleteForEveryone(fromAlice("a2"), ME, T0)).isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().deleteForEveryone(fromAlice("a2"), ALICE, T0)).isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().deleteForEveryone(fromAlice("a2"), ALICE, T0)).isEqualTo(Outcome.UNCHANGED);

        Extras extras = store.actions().extras(List.of(fromAlice("a2"))).get(fromAlice("a2"));
        assertThat(extras.deleted()).isTrue();
        assertThat(extras.reactions()).isEmpty();
        assertThat(store.messages().get(fromAlice("a2")).orElseThrow().body()).isEmpty();
        assertThat(store.actions().versions(fromAlice("a2"))).isEmpty();
        assertThat(store.search().search(SECRET, 10)).isEmpty();
        assertThat(store.actions().edit(fromAlice("a2"), ALICE, "e2", 40, "back again", T0))
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(fileBytesContain(SECRET)).as("the text is in the file or its WAL after").isFalse();
        store.close();
        store = SqliteStore.open(file());
        assertThat(fileBytesContain(SECRET)).isFalse();
    }

    @Test
    void aWaitingDeletionReplacesTheEditsThatWaitedAndKeepsNoneThatComeAfter() throws Exception {
        MessageKey never = fromAlice("never-held");
        assertThat(store.actions().take(new PendingAction(never, ALICE, "e1", PendingKind.EDIT, 50,
                "rewritten: " + SECRET, T0))).isEqualTo(Outcome.MISSING);
        assertThat(fileBytesContain(SECRET)).as("the waiting edit's text is in the file").isTrue();

        assertThat(store.actions().take(new PendingAction(never, ME, "d0", PendingKind.DELETE, 51, "", T0)))
                .as("a deletion by someone who is not the author").isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().pendingCount(CHAT)).isEqualTo(1);
        assertThat(store.actions().take(new PendingAction(never, ALICE, "d1", PendingKind.DELETE, 52, "", T0)))
                .isEqualTo(Outcome.MISSING);
        assertThat(store.actions().take(new PendingAction(never, ALICE, "e2", PendingKind.EDIT, 53,
                "again: " + SECRET, T0))).as("an edit replayed after the deletion").isEqualTo(Outcome.MISSING);
        assertThat(store.actions().take(new PendingAction(never, ME, "r1", PendingKind.REACT, 54, "👍", T0)))
                .isEqualTo(Outcome.MISSING);

        assertThat(store.actions().pendingCount(CHAT)).as("only the deletion waits").isEqualTo(1);
        assertThat(fileBytesContain(SECRET)).as("the edits' text is in the file or its WAL after").isFalse();
        store.messages().insert(incoming(CHAT, "never-held", 45, "it came after all: " + SECRET));
        assertThat(store.actions().applyPending(never)).containsExactly(Outcome.APPLIED);
        assertThat(store.messages().get(never).orElseThrow().body()).isEmpty();
        assertThat(fileBytesContain(SECRET)).isFalse();
    }

    @Test
    void aReactionIsOneEmojiAndOnePersonHoldsABoundedNumberOnAMessage() {
        for (String emoji : List.of("👍", "❤️", "❤", "👍🏽", "🇩🇪", "1️⃣", "👩‍👩‍👧", "🏴󠁧󠁢󠁳󠁣󠁴󠁿")) {
            assertThat(store.actions().react(fromAlice("a1"), ME, emoji, true, 100)).as(emoji)
                    .isEqualTo(Outcome.APPLIED);
        }
        for (String text : List.of("x1", "BUY-NOW", "1", "#", "👍x", "👍 👍", "\u200D👍", "👍\u200D", "🇩", "a🏽")) {
            assertThatThrownBy(() -> store.actions().react(fromAlice("a1"), ME, text, true, 100)).as(text)
                    .isInstanceOf(InvalidInputException.class);
        }
        List<String> faces = new ArrayList<>();
        for (int face = 0x1F600; faces.size() < MessageActions.MAX_REACTIONS_PER_PERSON + 8; face++) {
            faces.add(Character.toString(face));
        }
        for (String face : faces) {
            store.actions().react(fromAlice("a1"), ALICE, face, true, 200);
            store.actions().react(fromAlice("a1"), ALICE, face, false, 201);
        }
        assertThat(store.actions().react(fromAlice("a1"), ALICE, "🔥", true, 300))
                .as("a new emoji beyond the bound, taken-back ones counted").isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().react(fromAlice("a1"), ALICE, faces.getFirst(), true, 300))
                .as("one already held may come back").isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().extras(List.of(fromAlice("a1"))).get(fromAlice("a1")).reactions()
                .stream().filter(reaction -> reaction.reactor().equals(ALICE))).hasSize(1);
    }

    @Test
    void hidingIsForThisDeviceOnly() {
        assertThat(store.actions().hide(fromAlice("a1"))).isTrue();
        assertThat(store.actions().hide(fromAlice("a1"))).isFalse();
        assertThat(store.actions().extras(List.of(fromAlice("a1"))).get(fromAlice("a1")).hidden()).isTrue();
        assertThat(store.messages().get(fromAlice("a1")).orElseThrow().body()).isEqualTo("the glacier route looks good");
    }

    @Test
    void actionsForAMessageNotYetHereWaitForItWithinABound() {
        MessageKey later = fromAlice("a9");
        assertThat(store.actions().take(new PendingAction(later, ALICE, "x1", PendingKind.EDIT, 50,
                "corrected", T0))).isEqualTo(Outcome.MISSING);
        assertThat(store.actions().take(new PendingAction(later, ALICE, "x1", PendingKind.EDIT, 50,
                "corrected", T0))).isEqualTo(Outcome.MISSING);
        assertThat(store.actions().take(new PendingAction(later, ME, "x2", PendingKind.REACT, 51,
                "🎉", T0))).isEqualTo(Outcome.MISSING);
        assertThat(store.actions().pendingCount(CHAT)).isEqualTo(2);
        for (int i = 0; i < MessageActions.MAX_PENDING_PER_SENDER + 10; i++) {
            store.actions().take(new PendingAction(fromAlice("never-" + i), ALICE, "f" + i,
                    PendingKind.REACT, i, "👍", T0));
        }
        assertThat(store.actions().take(new PendingAction(fromAlice("a1"), ALICE, "here", PendingKind.REACT, 60,
                "👀", T0))).as("an action whose message is here").isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().pendingCount(CHAT)).isEqualTo(MessageActions.MAX_PENDING_PER_SENDER + 1);

        store.messages().insert(incoming(CHAT, "a9", 45, "corected"));
        assertThat(store.actions().applyPending(later)).containsExactly(Outcome.APPLIED, Outcome.APPLIED);
        assertThat(store.messages().get(later).orElseThrow().body()).isEqualTo("corrected");
        assertThat(store.actions().extras(List.of(later)).get(later).reactions()).containsExactly(new Reaction(ME, "🎉"));
        assertThat(store.actions().pendingCount(CHAT)).isEqualTo(MessageActions.MAX_PENDING_PER_SENDER - 1);
    }

    @Test
    void aVersion13FileMigratesWithItsMessagesAndTakesActions() throws Exception {
        Path thirteen = folder.resolve("at13.db");
        SchemaFiles.migrate(thirteen, Schema.MIGRATIONS.subList(0, 13));
        SchemaFiles.execute(thirteen,
                "INSERT INTO contacts (peer_id, display_name, state, added_at) VALUES ('" + ALICE
                        + "', 'Alice', 'ACCEPTED', 1000)",
                "INSERT INTO conversations VALUES ('" + CHAT + "', 'DIRECT', '" + ALICE + "', NULL, 'Alice', 1000)",
                "INSERT INTO messages (id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body,"
                        + " state) VALUES ('old', '" + CHAT + "', '" + ALICE + "', 5, 2000, 2001, 'INCOMING', 'TEXT',"
                        + " 'an old " + SECRET + "', 'RECEIVED')");
        assertThat(SchemaFiles.userVersion(thirteen)).isEqualTo(13);
        try (SqliteStore migrated = SqliteStore.open(thirteen)) {
            assertThat(SchemaFiles.userVersion(thirteen)).isEqualTo(Schema.CURRENT_VERSION);
            assertThat(migrated.actions().react(fromAlice("old"), ME, "👍", true, 6)).isEqualTo(Outcome.APPLIED);
            assertThat(migrated.actions().deleteForEveryone(fromAlice("old"), ALICE, T0)).isEqualTo(Outcome.APPLIED);
            assertThat(migrated.search().search(SECRET, 10)).isEmpty();
        }
        assertThat(bytesContain(thirteen, SECRET)).isFalse();
    }

    private boolean fileBytesContain(String text) throws Exception {
        return bytesContain(file(), text);
    }

    /** Whether the database file or its WAL holds {@code text} in UTF-8, anywhere in its bytes. */
    private static boolean bytesContain(Path file, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (Path part : Stream.of("", "-wal").map(suffix -> file.resolveSibling(file.getFileName() + suffix))
                .filter(Files::exists).toList()) {
            byte[] bytes = Files.readAllBytes(part);
            outer:
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
