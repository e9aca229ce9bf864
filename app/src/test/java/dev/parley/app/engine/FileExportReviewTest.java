package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.store.HistoryScope;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import dev.parley.store.export.HistoryExporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review 23b: a hostile export file against an import's promises (app/README.md, "Files", and the history export's
 * section): nothing written outside the profile, no wrong bytes kept as COMPLETE, memory that does not grow with what
 * the file claims. Alice sends Bob a file, exports, and the test edits the export as an attacker who hands it over
 * would; a fresh profile of hers imports it.
 */
class FileExportReviewTest extends TwoContactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<TestEngine> restored = new ArrayList<>();
    Path report;
    MessageRef reportMessage;
    Path export;

    @BeforeEach
    void aliceSendsAFileAndExports() throws Exception {
        report = TestFiles.random(temp.resolve("report.pdf"), 300_000, 23);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), report, "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        reportMessage = new MessageRef(new ConversationRef.Direct(bob.peerId()), alice.peerId(), id);
        export = temp.resolve("alice.json");
        alice.engine.history().exporter().export(ExportFormat.JSON, HistoryScope.everything(), ZoneOffset.UTC, export,
                false, ExportProgress.NONE);
    }

    @AfterEach
    void stopRestored() {
        restored.forEach(TestEngine::close);
    }

    @Test
    void theContentsCopyUnderAnotherKeyOrAnotherSizeIsNotKeptAndTheSameContentUnderTwoNamesIsKeptOnce()
            throws Exception {
        JsonNode tree = JSON.readTree(export.toFile());
        ArrayNode messages = messagesOf(tree);
        ObjectNode honest = messageWithFile(messages, reportMessage.id());
        // The copy in the folder is the content named, but these offers are not its file: another key (so another
        // root), a size of 200 GiB. A third offer is the honest one under a name of its own.
        ObjectNode otherKey = copyWithNewId(honest, messages);
        byte[] key = new byte[32];
        new Random(7).nextBytes(key);
        ((ObjectNode) otherKey.get("file")).put("key", Base64.getEncoder().encodeToString(key));
        ObjectNode otherSize = copyWithNewId(honest, messages);
        ((ObjectNode) otherSize.get("file")).put("size", 200L << 30);
        ObjectNode otherName = copyWithNewId(honest, messages);
        ((ObjectNode) otherName.get("file")).put("name", "Report.PDF");
        JSON.writeValue(export.toFile(), tree);

        TestEngine fresh = restore("fresh");
        fresh.engine.importHistory(export, ExportProgress.NONE);

        assertThat(stateOf(fresh, honest)).isEqualTo(FileTransfer.State.COMPLETE);
        assertThat(stateOf(fresh, otherName)).isEqualTo(FileTransfer.State.COMPLETE);
        assertThat(fresh.engine.files().attachment(refOf(otherName)).orElseThrow().name()).isEqualTo("Report.PDF");
        assertThat(stateOf(fresh, otherKey)).as("the content under a key that does not make the offer's root")
                .isEqualTo(FileTransfer.State.OFFERED);
        assertThat(stateOf(fresh, otherSize)).as("the content under a size it is not")
                .isEqualTo(FileTransfer.State.OFFERED);
        assertThat(filesIn(fresh)).containsExactly(TestFiles.sha256(report));
        assertThat(TestFiles.sha256(fresh.engine.files().stored(refOf(otherName)))).isEqualTo(TestFiles.sha256(report));
    }

    @Test
    void anImportIntoAProfileThatHoldsTheContentLeavesItsCopyAsItWas() throws Exception {
        TestEngine fresh = restore("fresh");
        fresh.engine.importHistory(export, ExportProgress.NONE);
        Path held = fresh.engine.files().stored(reportMessage);
        long modified = Files.getLastModifiedTime(held).toMillis();

        // A second export names the same content for a new message, and its folder has other bytes under that name.
        JsonNode tree = JSON.readTree(export.toFile());
        ArrayNode messages = messagesOf(tree);
        ObjectNode hostile = copyWithNewId(messageWithFile(messages, reportMessage.id()), messages);
        Path second = temp.resolve("second.json");
        JSON.writeValue(second.toFile(), tree);
        Path folder = Files.createDirectories(temp.resolve("second_files"));
        TestFiles.random(folder.resolve(TestFiles.sha256(report) + "-report.pdf"), Files.size(report), 99);

        fresh.engine.importHistory(second, ExportProgress.NONE);
        assertThat(stateOf(fresh, hostile)).isEqualTo(FileTransfer.State.OFFERED);
        assertThat(TestFiles.sha256(held)).isEqualTo(TestFiles.sha256(report));
        assertThat(Files.getLastModifiedTime(held).toMillis()).isEqualTo(modified);
        assertThat(filesIn(fresh)).containsExactly(TestFiles.sha256(report));
    }

    @Test
    void twoThousandOffersOfOneCopyKeepOneFile() throws Exception {
        JsonNode tree = JSON.readTree(export.toFile());
        ArrayNode messages = messagesOf(tree);
        ObjectNode honest = messageWithFile(messages, reportMessage.id());
        List<ObjectNode> copies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            copies.add(copyWithNewId(honest, messages));
        }
        JSON.writeValue(export.toFile(), tree);

        TestEngine fresh = restore("fresh");
        fresh.engine.importHistory(export, ExportProgress.NONE);
        assertThat(copies).allSatisfy(copy -> assertThat(stateOf(fresh, copy)).isEqualTo(
                FileTransfer.State.COMPLETE));
        assertThat(filesIn(fresh)).containsExactly(TestFiles.sha256(report));
    }

    /**
     * A name is kept to 200 bytes ({@code FileNames.MAX_NAME_BYTES}) so it can be created anywhere; an export's copy is
     * called {@code <sha256>-<safe name>}, 65 bytes more. A file whose name is 240 bytes (any contact can send one;
     * Linux takes 255) is then copied under a name of 265 bytes.
     */
    @Test
    void aFileWithALongNameIsExportedWithItsCopy() throws Exception {
        Path longNamed = TestFiles.random(temp.resolve("x".repeat(236) + ".pdf"), 5_000, 24);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), longNamed, "",
                copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        Path again = temp.resolve("again.json");
        HistoryExporter.Summary summary = alice.engine.history().exporter().export(ExportFormat.JSON,
                HistoryScope.everything(), ZoneOffset.UTC, again, false, ExportProgress.NONE);
        assertThat(summary.files()).isEqualTo(2);
        try (Stream<Path> copies = Files.list(temp.resolve("again_files"))) {
            assertThat(copies.map(path -> path.getFileName().toString())).contains(TestFiles.sha256(report)
                    + "-report.pdf").anySatisfy(name -> assertThat(name).startsWith(TestFiles.sha256(longNamed)));
        }
    }

    /**
     * An offer's thumbnail is at most 16 KiB ({@code OfferedFile.MAX_THUMBNAIL_BYTES}); an export's JSON may say
     * anything. 520 messages with a thumbnail of 256 KiB each: the import holds the offers it read until every message
     * is stored, so what it holds when the progress is told of the first 512 messages shows what it keeps.
     */
    @Test
    void theThumbnailsOfAHostileExportAreNotHeldInMemoryAsLargeAsTheFileSaysUntilTheImportEnds() throws Exception {
        JsonNode tree = JSON.readTree(export.toFile());
        ArrayNode messages = messagesOf(tree);
        ObjectNode honest = messageWithFile(messages, reportMessage.id());
        Random random = new Random(11);
        for (int i = 0; i < 520; i++) {
            byte[] thumbnail = new byte[256 * 1024];
            random.nextBytes(thumbnail);
            ObjectNode copy = copyWithNewId(honest, messages);
            ((ObjectNode) copy.get("file")).put("thumbnail", Base64.getEncoder().encodeToString(thumbnail))
                    .put("thumbnailType", "image/png");
        }
        JSON.writeValue(export.toFile(), tree);
        tree = null;
        messages = null;

        TestEngine fresh = restore("fresh");
        long before = heapUsedAfterCollection();
        long[] heldAtProgress = {-1};
        fresh.engine.importHistory(export, (done, total) -> {
            // The first report between the start (0) and the end (total) comes after 512 messages.
            if (done > 0 && done < total && heldAtProgress[0] < 0) {
                heldAtProgress[0] = heapUsedAfterCollection() - before;
            }
        });
        assertThat(heldAtProgress[0]).as("the progress was told of 512 messages").isNotNegative();
        // 512 thumbnails of 16 KiB are 8 MiB; the rest is room for the parser and the store.
        assertThat(heldAtProgress[0]).as("heap held after reading 512 messages").isLessThan(48L << 20);
    }

    private static long heapUsedAfterCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private TestEngine restore(String folder) throws IOException {
        TestEngine engine = TestEngine.at(temp.resolve(folder), alice.identity, "Alice");
        restored.add(engine);
        return engine;
    }

    private static ArrayNode messagesOf(JsonNode export) {
        for (JsonNode conversation : export.get("conversations")) {
            for (JsonNode entry : conversation.get("messages")) {
                if (entry.has("file")) {
                    return (ArrayNode) conversation.get("messages");
                }
            }
        }
        throw new AssertionError("no conversation with a file in the export");
    }

    private static ObjectNode messageWithFile(ArrayNode messages, MessageId id) {
        for (JsonNode entry : messages) {
            if (entry.get("id").asText().equals(id.toString())) {
                return (ObjectNode) entry;
            }
        }
        throw new AssertionError("no message " + id + " in the export");
    }

    /** A copy of {@code message} under a new id, added to {@code messages}. */
    private static ObjectNode copyWithNewId(ObjectNode message, ArrayNode messages) {
        ObjectNode copy = message.deepCopy();
        copy.put("id", MessageId.random().toString());
        messages.add(copy);
        return copy;
    }

    private MessageRef refOf(ObjectNode message) {
        return new MessageRef(reportMessage.conversation(), alice.peerId(), MessageId.parse(message.get("id")
                .asText()));
    }

    private FileTransfer.State stateOf(TestEngine engine, ObjectNode message) {
        return engine.engine.files().attachment(refOf(message)).orElseThrow().transfer().state();
    }

    private static List<String> filesIn(TestEngine engine) throws IOException {
        try (Stream<Path> files = Files.list(engine.profile.resolve("files"))) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).toList();
        }
    }
}
