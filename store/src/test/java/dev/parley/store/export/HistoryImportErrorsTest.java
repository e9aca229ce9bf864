package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.store.Conversation;
import dev.parley.store.Direction;
import dev.parley.store.HistoryScope;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files an import must refuse, each with a clear message and the history untouched: a profile that had one message
 * still has exactly that one, even when the bad part of the file comes after thousands of good messages.
 */
class HistoryImportErrorsTest {
    @TempDir
    Path temp;
    SqliteStore source;
    SqliteStore target;
    Path good;

    @BeforeEach
    void export() {
        source = SqliteStore.open(temp.resolve("source.db"));
        SampleHistory.fill(source);
        good = temp.resolve("good.json");
        new HistoryExporter(source, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                HistoryScope.everything(), HistoryRoundTripTest.BERLIN, good, false, ExportProgress.NONE);
        target = SqliteStore.open(temp.resolve("target.db"));
        source.contacts().get(SampleHistory.ALICE).ifPresent(target.contacts()::put);
        target.conversations().create(Conversation.direct("kept", SampleHistory.ALICE, "Alice",
                SampleHistory.T0));
        StoredMessage held = source.messages().get(new MessageKey(SampleHistory.DIRECT, ME.peerId(), "d0"))
                .orElseThrow();
        target.messages().insert(new StoredMessage(held.id(), "kept", held.sender(), held.hlc(), held.sentAt(),
                held.receivedAt(), held.direction(), held.kind(), held.body(), held.state()));
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    void assertRefused(Path file, String... reasons) {
        assertThatThrownBy(() -> new HistoryImporter(target).importFrom(file, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class)
                .hasMessageContainingAll(reasons);
        assertThat(target.history().count(HistoryScope.everything())).isEqualTo(1);
        assertThat(target.conversations().list()).hasSize(1);
        assertThat(target.rooms().statuses()).isEmpty();
    }

    Path write(String name, String content) throws Exception {
        Path file = temp.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aFileOfAnUnknownVersionIsRefusedSayingWhichVersion() throws Exception {
        String newer = Files.readString(good).replace("\"version\": 3,", "\"version\": 4,");
        assertRefused(write("v4.json", newer), "is a Parley export of version 4", "reads versions 1 to 3 only",
                "Nothing was imported");
    }

    @Test
    void aFileCutShortIsRefusedAfterItsGoodPartWasReadAndNothingIsKept() throws Exception {
        byte[] whole = Files.readAllBytes(good);
        Path cut = temp.resolve("cut.json");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 3 / 4));
        assertRefused(cut, "ends early", "cut short", "nothing was imported");
    }

    @Test
    void aDamagedFileIsRefusedWithItsLineAndColumn() throws Exception {
        String damaged = Files.readString(good).replaceFirst("\"receipts\": \\[", "\"receipts\": [}");
        assertRefused(write("damaged.json", damaged), "is not valid JSON at line", "column");
    }

    @Test
    void filesThatAreNotExportsAreRefusedAsSuch() throws Exception {
        Path picture = temp.resolve("photo.png");
        Files.write(picture, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        assertRefused(picture, "is not a Parley export: it is not JSON");
        assertRefused(write("other.json", "{\"format\": \"someone-else\", \"version\": 1, \"conversations\": []}"),
                "is not a Parley export");
        assertRefused(write("list.json", "[1, 2, 3]"), "is not a Parley export");
        assertRefused(write("empty.json", ""), "is not a Parley export");
        assertRefused(temp.resolve("missing.json"), "does not exist");
        assertRefused(temp, "is a folder");
    }

    @Test
    void aMessageWithABadFieldIsRefusedNamingTheMessage() throws Exception {
        String badTime = Files.readString(good).replaceFirst("\"sentAt\": \"2026-11-21T14:04:00.250\\+01:00\"",
                "\"sentAt\": \"yesterday\"");
        assertRefused(write("bad-time.json", badTime), "message d1 has sentAt 'yesterday'", "ISO-8601");
        String badState = Files.readString(good).replaceFirst("\"state\": \"read\"", "\"state\": \"lost\"");
        assertRefused(write("bad-state.json", badState), "has state 'lost'", "which is none of");
        String noText = Files.readString(good, StandardCharsets.UTF_8).replaceFirst("\"text\": \"See you",
                "\"txt\": \"See you");
        assertRefused(write("no-text.json", noText), "message d-late has no text");
    }

    @Test
    void aCancelledImportKeepsNothing() {
        // Cancellation is looked at every few hundred messages: give the file enough of them.
        for (int i = 0; i < 1_200; i++) {
            source.messages().insert(new StoredMessage("bulk" + i, SampleHistory.DIRECT,
                    SampleHistory.ALICE, ((SampleHistory.T0.toEpochMilli() + 200_000 + i) << 16),
                    SampleHistory.T0.plusSeconds(200 + i), SampleHistory.T0.plusSeconds(200 + i),
                    Direction.INCOMING, MessageKind.TEXT, "bulk " + i,
                    MessageState.READ));
        }
        Path big = temp.resolve("big.json");
        new HistoryExporter(source, ME, SampleHistory.callersNames()).export(ExportFormat.JSON,
                HistoryScope.everything(), HistoryRoundTripTest.BERLIN, big, false, ExportProgress.NONE);
        assertThatThrownBy(() -> new HistoryImporter(target).importFrom(big, new CancelledProgress()))
                .isInstanceOf(ExportCancelledException.class).hasMessageContaining("nothing was imported");
        assertThat(target.history().count(HistoryScope.everything())).isEqualTo(1);
    }
}
