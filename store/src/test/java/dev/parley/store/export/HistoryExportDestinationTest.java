package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.store.HistoryScope;
import dev.parley.store.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an export cannot go: each a clear error, and nothing left at the destination — no partial file, no
 * temporary file, an existing file untouched. The full and read-only disks are real: small tmpfs mounts (root).
 */
class HistoryExportDestinationTest {
    @TempDir
    Path temp;
    SqliteStore store;
    HistoryExporter exporter;
    final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void fill() {
        store = SqliteStore.open(temp.resolve("parley.db"));
        SampleHistory.fill(store);
        exporter = new HistoryExporter(store, ME, SampleHistory.callersNames());
    }

    @AfterEach
    void clean() throws Exception {
        store.close();
        for (Path mount : mounts) {
            run("umount", mount.toString());
        }
    }

    HistoryExporter.Summary export(Path destination, boolean replace, ExportProgress progress) {
        return exporter.export(ExportFormat.HTML, HistoryScope.everything(), HistoryRoundTripTest.BERLIN, destination,
                replace, progress);
    }

    static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void aMissingFolderAFolderAndAnExistingFileAreRefused() throws Exception {
        assertThatThrownBy(() -> export(temp.resolve("nowhere").resolve("h.html"), false, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class).hasMessageContaining("the folder " + temp.resolve("nowhere")
                        + " does not exist");
        assertThatThrownBy(() -> export(temp, false, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class).hasMessageContaining("is a folder");
        Path existing = Files.writeString(temp.resolve("h.html"), "an older export");
        assertThatThrownBy(() -> export(existing, false, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class).hasMessageContaining("exists already");
        assertThat(Files.readString(existing)).isEqualTo("an older export");

        export(existing, true, ExportProgress.NONE);
        assertThat(Files.readString(existing)).startsWith("<!DOCTYPE html>");
    }

    @Test
    void aCancelledExportLeavesTheOldFileAndNoPartialOne() throws Exception {
        Path existing = Files.writeString(temp.resolve("h.html"), "an older export");
        List<Path> before = filesIn(temp);
        assertThatThrownBy(() -> export(existing, true, new CancelledProgress()))
                .isInstanceOf(ExportCancelledException.class).hasMessageContaining("nothing was written");
        assertThat(Files.readString(existing)).isEqualTo("an older export");
        assertThat(filesIn(temp)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aFullDiskIsAClearErrorAndLeavesNothing() throws Exception {
        Path small = mountTmpfs("small", "size=16k");
        Path destination = small.resolve("history.html");
        // The sample's 60,000-character message alone is four times what fits.
        assertThatThrownBy(() -> export(destination, false, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class)
                .hasMessage("cannot write the export to " + destination + ": the disk is full; nothing was written"
                        + " there");
        assertThat(filesIn(small)).isEmpty();
    }

    @Test
    void aReadOnlyDiskIsAClearError() throws Exception {
        Path readOnly = mountTmpfs("read-only", "ro,size=64k");
        Path destination = readOnly.resolve("history.html");
        assertThatThrownBy(() -> export(destination, false, ExportProgress.NONE))
                .isInstanceOf(HistoryFileException.class)
                .hasMessage("cannot write the export to " + destination + ": the disk is read-only; nothing was"
                        + " written there");
        assertThat(filesIn(readOnly)).isEmpty();
    }

    private Path mountTmpfs(String name, String options) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path folder = Files.createDirectory(temp.resolve(name));
        run("mount", "-t", "tmpfs", "-o", options, "parley-test", folder.toString());
        mounts.add(folder);
        return folder;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
