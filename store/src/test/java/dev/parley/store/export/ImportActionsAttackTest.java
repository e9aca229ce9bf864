package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ALICE;
import static dev.parley.store.export.SampleHistory.DIRECT;
import static dev.parley.store.export.SampleHistory.ME;
import static dev.parley.store.export.SampleHistory.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.Direction;
import dev.parley.store.HistoryScope;
import dev.parley.store.MessageActions;
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
 * A security review's attacks through history import (JSON version 2) on the promises of message actions (store
 * README, schema 15; app README, Promises): "a deletion for everyone leaves no trace of the text in the receiver's
 * SQLite file" and "only the author edits", on real SQLite files. Each test that fails shows a promise broken.
 */
class ImportActionsAttackTest {
    private static final String SECRET = "the-safe-code-is-4711-behind-the-clock";

    @TempDir
    Path temp;
    private SqliteStore store;

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * Holds since its fix; the review found it broken (what follows is what happened then): the promise. Alice sends a
     * message and edits it; the receiver's history is exported (a routine backup); Alice deletes the message for
     * everyone, which wipes the text, its versions and its search terms here. The receiver then imports the older
     * backup: the message stays "deleted" with an empty body, but {@code MessageActions.restore} puts every version of
     * its text back into {@code message_edits} (it skips only messages that are not stored, never ones that are
     * deleted), so {@code versions()} shows Alice's withdrawn text again and the file holds it once more — the deletion
     * is undone by an import the user thought was harmless.
     */
    @Test
    void importingABackupTakenBeforeADeletionForEveryoneBringsTheDeletedTextBack() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        SampleHistory.fill(store);
        MessageKey secret = new MessageKey(DIRECT, ALICE, "secret");
        store.messages().insert(new StoredMessage("secret", DIRECT, ALICE, (T0.toEpochMilli() + 900_000) << 16,
                T0.plusSeconds(900), T0.plusSeconds(901), Direction.INCOMING, MessageKind.TEXT,
                "meet me: " + SECRET, MessageState.RECEIVED));
        assertThat(store.actions().edit(secret, ALICE, "edit-1", (T0.toEpochMilli() + 960_000) << 16,
                "meet me at noon: " + SECRET, T0.plusSeconds(960))).isEqualTo(Outcome.APPLIED);

        Path backup = temp.resolve("backup.json");
        new HistoryExporter(store, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                HistoryScope.everything(), ZoneId.of("UTC"), backup, false, ExportProgress.NONE);

        assertThat(store.actions().deleteForEveryone(secret, ALICE, T0.plusSeconds(1_000)))
                .isEqualTo(Outcome.APPLIED);
        assertThat(store.actions().versions(secret)).isEmpty();
        assertThat(bytesContain(file, SECRET)).as("the deletion wiped the text from the file").isFalse();

        new HistoryImporter(store).importFrom(backup, ExportProgress.NONE);

        assertThat(store.messages().get(secret).orElseThrow().body()).isEmpty();
        assertThat(store.actions().extras(List.of(secret)).get(secret).deleted()).isTrue();
        assertThat(store.actions().versions(secret)).extracting(MessageActions.TextVersion::body)
                .as("the versions of a message its author deleted for everyone").isEmpty();
        store.close();
        store = SqliteStore.open(file);
        assertThat(bytesContain(file, SECRET)).as("the deleted text is in the receiver's file again").isFalse();
    }

    /**
     * Holds since its fix; the review found it broken (what follows is what happened then): "only its author edits a
     * message" (and whose reactions a message shows) for messages already held. A history import adds nothing to a
     * message it holds (ids dedupe, its extras row is kept), yet {@code MessageActions.restore} inserts every "version"
     * and reaction the file names for it. So a file made by someone else — its own store, where the same message of
     * Alice's was "edited" into words she never wrote and "reacted to" by Bob — gives the receiver's held message an
     * edit history Alice never made, marks it edited, and shows Bob's reaction, which Bob never sent.
     */
    @Test
    void anImportedFileGivesAHeldMessageVersionsItsAuthorNeverWroteAndReactionsNobodySent() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        SampleHistory.fill(store);
        MessageKey alices = new MessageKey(DIRECT, ALICE, "d-late");
        String written = store.messages().get(alices).orElseThrow().body();

        Path crafted = temp.resolve("crafted.json");
        try (SqliteStore forger = SqliteStore.open(temp.resolve("forger").resolve("parley.db"))) {
            SampleHistory.fill(forger);
            forger.actions().edit(alices, ALICE, "forged-edit", Long.MAX_VALUE - 1, "I never liked any of you",
                    T0.plusSeconds(90_000));
            forger.actions().react(alices, SampleHistory.BOB, "🖕", true, 1);
            new HistoryExporter(forger, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                    HistoryScope.everything(), ZoneId.of("UTC"), crafted, false, ExportProgress.NONE);
        }

        new HistoryImporter(store).importFrom(crafted, ExportProgress.NONE);

        assertThat(store.messages().get(alices).orElseThrow().body()).isEqualTo(written);
        assertThat(store.actions().versions(alices)).extracting(MessageActions.TextVersion::body)
                .as("versions of Alice's held message that Alice never wrote").doesNotContain("I never liked any of you");
        assertThat(store.actions().extras(List.of(alices)).get(alices).edited()).isFalse();
        assertThat(store.actions().extras(List.of(alices)).get(alices).reactions())
                .as("reactions Bob never sent").isEmpty();
    }

    /**
     * Holds: a hand-made file that marks a message new to the receiver as deleted for everyone, yet gives it its text,
     * versions and a reaction, brings none of them: a deleted message keeps no text, whatever the file says.
     */
    @Test
    void aNewMessageTheFileSaysWasDeletedKeepsNoTextNoVersionsAndNoReactions() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        SampleHistory.fill(store);
        MessageKey fresh = new MessageKey(DIRECT, ALICE, "fresh");
        Path crafted = exportWithFresh(fresh);
        Files.writeString(crafted, Files.readString(crafted).replaceAll("\"forwarded\"\\s*:\\s*true",
                "\"forwarded\":true,\"deleted\":true"));

        new HistoryImporter(store).importFrom(crafted, ExportProgress.NONE);

        assertThat(store.messages().get(fresh).orElseThrow().body()).isEmpty();
        MessageActions.Extras extras = store.actions().extras(List.of(fresh)).get(fresh);
        assertThat(extras.deleted()).isTrue();
        assertThat(extras.reactions()).isEmpty();
        assertThat(store.actions().versions(fresh)).isEmpty();
        assertThat(bytesContain(file, SECRET)).as("the receiver's file holds the text of a deleted message").isFalse();
    }

    /**
     * Holds: a deletion for everyone that came before its message waits for it, and finds it when a history import
     * brings it rather than its author.
     */
    @Test
    void aDeletionThatWaitedForItsMessageTakesItWhenAnImportBringsIt() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        store = SqliteStore.open(file);
        SampleHistory.fill(store);
        MessageKey fresh = new MessageKey(DIRECT, ALICE, "fresh");
        assertThat(store.actions().take(new MessageActions.PendingAction(fresh, ALICE, "deletion",
                MessageActions.PendingKind.DELETE, Long.MAX_VALUE - 1, "", T0))).isEqualTo(Outcome.MISSING);
        Path backup = exportWithFresh(fresh);

        new HistoryImporter(store).importFrom(backup, ExportProgress.NONE);

        assertThat(store.messages().get(fresh).orElseThrow().body()).isEmpty();
        assertThat(store.actions().extras(List.of(fresh)).get(fresh).deleted()).isTrue();
        assertThat(store.actions().versions(fresh)).isEmpty();
        assertThat(store.actions().pendingCount(DIRECT)).isZero();
        store.close();
        store = SqliteStore.open(file);
        assertThat(bytesContain(file, SECRET)).as("the receiver's file holds the deleted text").isFalse();
    }

    /** An export of the sample history and {@code fresh}, Alice's, edited, forwarded and reacted to, naming SECRET. */
    private Path exportWithFresh(MessageKey fresh) throws Exception {
        Path export = temp.resolve("other.json");
        try (SqliteStore other = SqliteStore.open(temp.resolve("other").resolve("parley.db"))) {
            SampleHistory.fill(other);
            other.messages().insert(new StoredMessage(fresh.id(), DIRECT, ALICE, (T0.toEpochMilli() + 900_000) << 16,
                    T0.plusSeconds(900), T0.plusSeconds(901), Direction.INCOMING, MessageKind.TEXT,
                    "first: " + SECRET, MessageState.RECEIVED));
            other.actions().describeAsync(fresh, Optional.empty(), true).join();
            other.actions().edit(fresh, ALICE, "edit-1", (T0.toEpochMilli() + 960_000) << 16, "then: " + SECRET,
                    T0.plusSeconds(960));
            other.actions().react(fresh, SampleHistory.BOB, "👍", true, 1);
            new HistoryExporter(other, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                    HistoryScope.everything(), ZoneId.of("UTC"), export, false, ExportProgress.NONE);
        }
        return export;
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
