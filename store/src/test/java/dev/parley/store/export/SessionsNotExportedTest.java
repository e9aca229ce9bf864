package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ALICE;
import static dev.parley.store.export.SampleHistory.ME;
import static dev.parley.store.export.SampleHistory.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.HistoryScope;
import dev.parley.store.SqliteStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session records (secret keys) and outbox recipes (plaintexts) stay in the profile: no export format has them. */
class SessionsNotExportedTest {
    private static final String SECRET = "session-record-secret-key-material";
    private static final String RECIPE = "outbox-recipe-plaintext";

    @TempDir
    Path folder;

    @Test
    void noExportFormatCarriesASessionRecordARecipeOrAnOpenedEnvelopeId() throws Exception {
        try (SqliteStore store = SqliteStore.open(folder.resolve("profile.db"))) {
            SampleHistory.fill(store);
            store.sessions().stage(ALICE, SECRET.getBytes(StandardCharsets.UTF_8));
            store.outbox().addAsync("waiting-entry", ALICE, null, RECIPE.getBytes(StandardCharsets.UTF_8), T0).join();
            store.sessions().openedAsync(ALICE, "opened-envelope-id", T0).join();
            assertThat(store.sessions().load(ALICE)).isPresent();

            for (ExportFormat format : ExportFormat.values()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new HistoryExporter(store, ME, SampleHistory.callersNames())
                        .write(format, HistoryScope.everything(), ZoneId.of("Europe/Berlin"), out, ExportProgress.NONE);
                String exported = out.toString(StandardCharsets.UTF_8);
                assertThat(exported).as(format.name()).isNotEmpty()
                        .doesNotContain(SECRET, RECIPE, "opened-envelope-id", "waiting-entry")
                        .doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)))
                        .doesNotContain(Base64.getEncoder().encodeToString(RECIPE.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
