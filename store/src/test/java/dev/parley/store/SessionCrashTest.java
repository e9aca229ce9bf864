package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM stages session states and sends the entries sealed with them ({@link SessionCrashMain}); it is killed
 * with SIGKILL mid-burst. After reopening, every peer's stored session must be at least as far as the last envelope
 * reported sent under it: a restarted app never seals with a message key it already used.
 */
class SessionCrashTest {
    private static final int KILL_AFTER = 2_000;

    @TempDir
    Path folder;

    @RepeatedTest(2)
    void noSessionIsBehindAnEnvelopeSentBeforeSigkill() throws Exception {
        Path file = folder.resolve("crash.db");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SessionCrashMain.class.getName(), file.toString())
                .redirectError(folder.resolve("child-stderr.txt").toFile())
                .start();
        Map<String, Long> lastSent = new HashMap<>();
        int reports = 0;
        List<String> otherLines = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] words = line.split(" ");
                if (words.length == 3 && words[0].equals("sent")) {
                    lastSent.merge(words[1], Long.parseLong(words[2]), Math::max);
                    if (++reports == KILL_AFTER) {
                        // Through the handle: destroyForcibly() on the Process would close our end of the pipe too.
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
        assertThat(lastSent).hasSize(SessionCrashMain.PEERS);

        try (SqliteStore store = SqliteStore.open(file)) {
            lastSent.forEach((peer, number) -> assertThat(SessionCrashMain.number(
                    store.sessions().load(peer).orElseThrow())).as("%s's stored session", peer)
                    .isGreaterThanOrEqualTo(number));
        }
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }
}
