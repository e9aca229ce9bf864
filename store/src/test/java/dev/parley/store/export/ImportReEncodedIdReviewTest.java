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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third review's attack through a history file on the promises "an import brings no text deleted for everyone
 * back" and "a file's message never stands in for a held one" (store README, Promises), with the earlier review's
 * trick of re-encoding what is held: a message id written in capital hex digits.
 */
class ImportReEncodedIdReviewTest {
    private static final String SECRET = "the-boat-leaves-from-the-north-jetty";
    /** A message id as Parley writes them: 32 lowercase hex digits. */
    private static final String ID = "0193a5c2e7f04b1d8c6e2a9f3b7d1e05";

    @TempDir
    Path temp;

    /**
     * Fixed (was broken). Promise: an import brings no text deleted for everyone back; a held message is skipped. A backup made
     * before Alice deleted her message for everyone, with the message's id changed to capital hex digits, is
     * imported after the deletion. The store compares ids as text, so the file's message is not the held one and is
     * stored; the app reads ids with {@code MessageId.parse}, whose hex is case-blind, so it names the same message
     * (same conversation, author and id) as the deleted one. Observed before the fix: the conversation holds a second row of Alice's,
     * id "0193A5C2…", with the deleted text. (Not tried: a sender written in another of a PeerId's forms, CIDv1, may
     * pass the same way.)
     */
    @Test
    void aBackupWithTheIdInCapitalsBringsNoDeletedTextBack() throws Exception {
        Path file = temp.resolve("receiver").resolve("parley.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            SampleHistory.fill(store);
            MessageKey secret = new MessageKey(DIRECT, ALICE, ID);
            store.messages().insert(new StoredMessage(ID, DIRECT, ALICE, (T0.toEpochMilli() + 900_000) << 16,
                    T0.plusSeconds(900), T0.plusSeconds(901), Direction.INCOMING, MessageKind.TEXT, "it is " + SECRET,
                    MessageState.RECEIVED));
            Path backup = temp.resolve("backup.json");
            new HistoryExporter(store, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                    HistoryScope.everything(), ZoneId.of("UTC"), backup, false, ExportProgress.NONE);
            assertThat(Files.readString(backup)).contains(SECRET).contains("\"" + ID + "\"");
            assertThat(store.actions().deleteForEveryone(secret, ALICE, Instant.now())).isEqualTo(Outcome.APPLIED);

            Path reEncoded = temp.resolve("re-encoded.json");
            Files.writeString(reEncoded, Files.readString(backup)
                    .replace("\"" + ID + "\"", "\"" + ID.toUpperCase(Locale.ROOT) + "\""));
            new HistoryImporter(store).importFrom(reEncoded, ExportProgress.NONE);

            assertThat(store.messages().newest(DIRECT, 1_000).messages().stream()
                    .filter(message -> message.id().equalsIgnoreCase(ID)).map(StoredMessage::body))
                    .as("Alice's message, however its id is spelt").containsExactly("");
            assertThat(store.search().search(SECRET, 10)).isEmpty();
        }
    }
}
