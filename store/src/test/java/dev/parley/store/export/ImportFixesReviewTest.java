package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ALICE;
import static dev.parley.store.export.SampleHistory.DIRECT;
import static dev.parley.store.export.SampleHistory.ME;
import static dev.parley.store.export.SampleHistory.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.Direction;
import dev.parley.store.HistoryScope;
import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second review's attacks through history files (JSON version 2) on the fixed promise "an import brings no
 * deleted text back" (app README, Promises), on real SQLite files: an export made after a deletion, a file whose
 * "deleted" flag was taken out, and a backup from before the deletion whose conversation was renamed.
 */
class ImportFixesReviewTest {
    private static final String SECRET = "the-key-is-under-the-blue-flowerpot";

    @TempDir
    Path temp;
    private SqliteStore store;

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * Holds: once Alice deleted her message for everyone, an export holds none of its text (not its versions, not a
     * reply's reference, not a reaction); the same file with its "deleted" flag taken out, imported back, leaves the
     * message deleted here and brings no text to a new profile either.
     */
    @Test
    void anExportAfterADeletionHoldsNoneOfItsTextAndWithoutItsDeletedFlagBringsNoneBack() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        MessageKey secret = secretFromAliceEditedReactedAndRepliedTo(store);
        assertThat(store.actions().deleteForEveryone(secret, ALICE, T0.plusSeconds(1_000)))
                .isEqualTo(Outcome.APPLIED);

        Path export = temp.resolve("after-deletion.json");
        exportEverything(store, export);
        String json = Files.readString(export);
        assertThat(json).as("an export made after the deletion").doesNotContain(SECRET).contains("\"deleted\"");
        String unflagged = json.replaceAll(",\\s*\"deleted\"\\s*:\\s*true", "");
        assertThat(unflagged).doesNotContain("\"deleted\"");
        Path crafted = temp.resolve("unflagged.json");
        Files.writeString(crafted, unflagged);

        new HistoryImporter(store).importFrom(crafted, ExportProgress.NONE);
        assertThat(store.messages().get(secret).orElseThrow().body()).isEmpty();
        assertThat(store.actions().extras(List.of(secret)).get(secret).deleted()).isTrue();
        assertThat(store.actions().versions(secret)).isEmpty();

        Path freshFile = temp.resolve("fresh").resolve("parley.db");
        try (SqliteStore fresh = SqliteStore.open(freshFile)) {
            new HistoryImporter(fresh).importFrom(crafted, ExportProgress.NONE);
            assertThat(fresh.messages().get(secret).orElseThrow().body()).isEmpty();
            assertThat(fresh.actions().versions(secret)).isEmpty();
        }
        assertThat(bytesContain(freshFile, SECRET)).isFalse();
        store.close();
        store = SqliteStore.open(file);
        assertThat(bytesContain(file, SECRET)).isFalse();
    }

    /**
     * Holds: a backup from before the deletion whose conversation is given another id still lands in the chat with
     * Alice (conversations are matched by their contact, not their id), where the message is held and deleted, so
     * neither its text nor its versions nor its reactions come back.
     */
    @Test
    void aBackupFromBeforeADeletionUnderARenamedConversationBringsNoTextBack() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        MessageKey secret = secretFromAliceEditedReactedAndRepliedTo(store);
        Path backup = temp.resolve("backup.json");
        exportEverything(store, backup);
        assertThat(Files.readString(backup)).contains(SECRET);
        assertThat(store.actions().deleteForEveryone(secret, ALICE, T0.plusSeconds(1_000)))
                .isEqualTo(Outcome.APPLIED);
        Path renamed = temp.resolve("renamed.json");
        Files.writeString(renamed, Files.readString(backup).replace("\"" + DIRECT + "\"", "\"elsewhere\""));

        new HistoryImporter(store).importFrom(renamed, ExportProgress.NONE);

        assertThat(store.conversations().list()).extracting(summary -> summary.conversation().id())
                .doesNotContain("elsewhere");
        assertThat(store.messages().get(secret).orElseThrow().body()).isEmpty();
        assertThat(store.actions().versions(secret)).isEmpty();
        assertThat(store.actions().extras(List.of(secret)).get(secret).reactions()).isEmpty();
        assertThat(store.search().search(SECRET, 10)).isEmpty();
        store.close();
        store = SqliteStore.open(file);
        assertThat(bytesContain(file, SECRET)).isFalse();
    }

    /** The sample history, and Alice's message naming SECRET, edited, reacted to and replied to by us. */
    private static MessageKey secretFromAliceEditedReactedAndRepliedTo(SqliteStore store) {
        SampleHistory.fill(store);
        MessageKey secret = new MessageKey(DIRECT, ALICE, "secret");
        store.messages().insert(new StoredMessage("secret", DIRECT, ALICE, (T0.toEpochMilli() + 900_000) << 16,
                T0.plusSeconds(900), T0.plusSeconds(901), Direction.INCOMING, MessageKind.TEXT,
                "it is " + SECRET, MessageState.RECEIVED));
        assertThat(store.actions().edit(secret, ALICE, "edit-1", (T0.toEpochMilli() + 960_000) << 16,
                "sorry, " + SECRET, T0.plusSeconds(960))).isEqualTo(Outcome.APPLIED);
        store.actions().react(secret, ME.peerId(), "👍", true, 1);
        store.messages().insert(new StoredMessage("reply", DIRECT, ME.peerId(), (T0.toEpochMilli() + 970_000) << 16,
                T0.plusSeconds(970), T0.plusSeconds(970), Direction.OUTGOING, MessageKind.TEXT, "got it",
                MessageState.SENDING));
        store.actions().describeAsync(new MessageKey(DIRECT, ME.peerId(), "reply"), Optional.of(secret), false)
                .join();
        return secret;
    }

    private static void exportEverything(SqliteStore store, Path to) throws Exception {
        new HistoryExporter(store, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                HistoryScope.everything(), ZoneId.of("UTC"), to, false, ExportProgress.NONE);
    }

    /** Whether the database file or its WAL holds {@code text} in UTF-8, anywhere in its bytes. */
    private static boolean bytesContain(Path file, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (Path part : Stream.of("", "-wal").map(suffix -> file.resolveSibling(file.getFileName() + suffix))
                .filter(Files::exists).toList()) {
            byte[] bytes = Files.readAllBytes(part);
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
        }
        return false;
    }
}
