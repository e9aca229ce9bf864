package dev.parley.store.export;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.store.HistoryScope;
import dev.parley.store.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target for the JSON history import ({@code parley import FILE}): any file either imports or is refused
 * with a {@link HistoryFileException} for the user; anything else fails the run. One profile takes every input,
 * as a user importing file after file would. Corpus in {@code HistoryImportFuzzTestInputs/<method>/};
 * store/README.md, Fuzzing.
 */
class HistoryImportFuzzTest {
    @TempDir
    static Path temp;
    private static SqliteStore store;

    @BeforeAll
    static void open() {
        store = SqliteStore.open(temp.resolve("parley.db"));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @FuzzTest
    void jsonImport(byte[] data) throws IOException {
        Path file = temp.resolve("fuzzed.json");
        Files.write(file, data);
        try {
            new HistoryImporter(store).importFrom(file, ExportProgress.NONE);
        } catch (HistoryFileException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds: the sample history's export, and small hand-made ones; run from store/ (README, Fuzzing). */
    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("parley-fuzz-seeds");
        try (SqliteStore sample = SqliteStore.open(folder.resolve("parley.db"))) {
            SampleHistory.fill(sample);
            Path export = folder.resolve("export.json");
            Path room = folder.resolve("room.json");
            // A few minutes of each conversation: seeds under libFuzzer's 4 KiB default input length.
            HistoryExporter exporter = new HistoryExporter(sample, SampleHistory.ME, SampleHistory.callersNames());
            exporter.export(ExportFormat.JSON, new HistoryScope(Optional.of(SampleHistory.DIRECT),
                    Optional.of(SampleHistory.T0), Optional.of(SampleHistory.T0.plusSeconds(150)), true),
                    ZoneId.of("Europe/Berlin"), export, false, ExportProgress.NONE);
            exporter.export(ExportFormat.JSON, new HistoryScope(Optional.of(SampleHistory.ROOM_CONVERSATION),
                    Optional.empty(), Optional.of(SampleHistory.T0.plusSeconds(3_700)), true),
                    ZoneId.of("Europe/Berlin"), room, false, ExportProgress.NONE);
            byte[] whole = Files.readAllBytes(export);
            // store depends on no other module, so the seeds are written here rather than by FuzzSeeds.
            Path seeds = Path.of("src/test/resources/dev/parley/store/export/HistoryImportFuzzTestInputs/jsonImport");
            Files.createDirectories(seeds);
            Files.write(seeds.resolve("seed-direct.json"), whole);
            Files.write(seeds.resolve("seed-room.json"), Files.readAllBytes(room));
            Files.write(seeds.resolve("seed-cut-short.json"), java.util.Arrays.copyOf(whole, whole.length / 2));
            Files.writeString(seeds.resolve("seed-empty-export.json"), "{\"format\":\"" + JsonHistoryWriter.FORMAT
                    + "\",\"version\":" + JsonHistoryWriter.VERSION + ",\"conversations\":[]}");
            Files.writeString(seeds.resolve("seed-not-an-export.json"), "[]");
        }
    }
}
