package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes messages and reports each one committed; it is killed with SIGKILL in the middle of its
 * bursts. Every message it reported must be in the file after reopening, and the file must pass SQLite's
 * integrity check and FTS5's check of the search index.
 */
class CrashSafetyTest {
    private static final int KILL_AFTER = 3_000;

    @TempDir
    Path folder;

    @RepeatedTest(3)
    void everyReportedCommitSurvivesSigkill() throws Exception {
        Path file = folder.resolve("crash.db");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), file.toString())
                .redirectError(folder.resolve("child-stderr.txt").toFile())
                .start();
        Set<String> reported = new HashSet<>();
        List<String> otherLines = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    reported.add(line.substring("committed ".length()));
                    if (reported.size() == KILL_AFTER) {
                        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
                        // pipe, losing the reports the child wrote just before it died.
                        child.toHandle().destroyForcibly();
                    }
                } else {
                    otherLines.add(line);
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(otherLines).containsExactly("ready");
        assertThat(reported).hasSizeGreaterThanOrEqualTo(KILL_AFTER);

        try (SqliteStore store = SqliteStore.open(file)) {
            Set<String> missing = new HashSet<>(reported);
            for (String id : reported) {
                if (store.messages().get(TestData.fromAlice(id)).isPresent()) {
                    missing.remove(id);
                }
            }
            assertThat(missing).as("reported committed but missing after the crash").isEmpty();
            assertThat(store.messages().insert(TestData.incoming(TestData.CHAT, "after-crash", 1, "still works")))
                    .isEqualTo(InsertOutcome.INSERTED);
        }
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }
}
