package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.app.cli.CommandRun;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.IdentityFiles;
import dev.parley.crypto.MessageId;
import dev.parley.store.AttachmentState;
import dev.parley.store.HistoryScope;
import dev.parley.store.ImportCounts;
import dev.parley.store.SqliteStore;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import dev.parley.store.export.HistoryExporter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports and imports carry the files of messages: Alice sends Bob a picture and a file over loopback, exports the
 * conversation, and a fresh profile of hers imports it with the files whole; a page shows the picture from the files
 * folder. A hostile export (a copy whose bytes are not its hash, names with {@code ../}, a link in the folder) brings
 * nothing but what it claims truly, and writes nowhere outside the profile.
 */
class HistoryExportFilesTest extends TwoContactsTest {
    private static final Pattern PICTURE = Pattern.compile("<img class=\"picture\" src=\"([^\"]+)\" alt=\"([^\"]*)\">");

    final List<TestEngine> restored = new ArrayList<>();
    Path picture;
    Path report;
    MessageRef pictureMessage;
    MessageRef reportMessage;

    @BeforeEach
    void aliceSendsAPictureAndAFile() throws Exception {
        picture = picture("holiday photo.png", 400, 300);
        report = TestFiles.random(temp.resolve("report.pdf"), 700_000, 5);
        pictureMessage = send(picture, "the beach <b>at dawn</b>");
        reportMessage = send(report, "");
    }

    @AfterEach
    void stopRestored() {
        restored.forEach(TestEngine::close);
    }

    @Test
    void aConversationWithAPictureAndAFileComesBackWholeInAFreshProfile() throws Exception {
        Path export = temp.resolve("alice.json");
        HistoryExporter.Summary summary = export(alice, ExportFormat.JSON, export);
        assertThat(summary.files()).isEqualTo(2);
        assertThat(summary.fileBytes()).isEqualTo(Files.size(picture) + Files.size(report));
        JsonNode file = messageWithFile(new ObjectMapper().readTree(export.toFile()), pictureMessage).get("file");
        assertThat(file.get("name").asText()).isEqualTo("holiday photo.png");
        assertThat(file.get("mediaType").asText()).isEqualTo("image/png");
        assertThat(file.get("width").asInt()).isPositive();
        assertThat(file.get("thumbnail").asText()).isNotEmpty();
        assertThat(file.get("content").asText()).isEqualTo(TestFiles.sha256(picture));
        assertThat(temp.resolve("alice_files").resolve(TestFiles.sha256(picture) + "-holiday photo.png")).exists();

        TestEngine fresh = restore("fresh");
        List<long[]> steps = new ArrayList<>();
        ImportCounts counts = fresh.engine.importHistory(export, (done, total) -> steps.add(new long[] {done, total}));
        assertThat(counts.filesBrought()).isEqualTo(2);
        assertThat(counts.filesToFetch()).isZero();
        long exportBytes = Files.size(export);
        long work = exportBytes + Files.size(picture) + Files.size(report);
        assertThat(steps).as("the progress counts the copies' bytes after the file's").allSatisfy(step ->
                assertThat(step[1]).isEqualTo(work));
        assertThat(steps.stream().mapToLong(step -> step[0])).as("never backwards").isSorted();
        assertThat(steps.stream().filter(step -> step[0] > exportBytes && step[0] < work))
                .as("steps while the copies are read").isNotEmpty();
        assertThat(steps.getLast()[0]).isEqualTo(work);
        for (MessageRef message : List.of(pictureMessage, reportMessage)) {
            FileAttachment attachment = fresh.engine.files().attachment(message).orElseThrow();
            assertThat(attachment.transfer().state()).isEqualTo(FileTransfer.State.COMPLETE);
            Path stored = fresh.engine.files().stored(message);
            assertThat(stored.startsWith(fresh.profile.resolve("files"))).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
        }
        assertThat(TestFiles.sha256(fresh.engine.files().stored(pictureMessage))).isEqualTo(TestFiles.sha256(picture));
        assertThat(TestFiles.sha256(fresh.engine.files().stored(reportMessage))).isEqualTo(TestFiles.sha256(report));
        assertThat(fresh.engine.files().attachment(pictureMessage).orElseThrow().thumbnail()).isPresent();

        Path again = temp.resolve("again.json");
        export(fresh, ExportFormat.JSON, again);
        assertThat(Files.readString(again)).as("the export of the import").isEqualTo(Files.readString(export));
    }

    @Test
    void parleyExportAndImportCarryTheFilesToo() throws Exception {
        IdentityFiles.save(alice.identity, alice.profile, null);
        Path export = temp.resolve("cli.json");
        CommandRun command = new CommandRun();
        assertThat(command.run("export", "--profile", alice.profile.toString(), "--format", "json", "--out",
                export.toString())).as(command.err.toString()).isZero();
        assertThat(command.out.toString()).contains("and 2 files (" + String.format("%,d",
                Files.size(picture) + Files.size(report)) + " bytes) to " + temp.resolve("cli_files"));

        Path newMachine = temp.resolve("new-machine");
        assertThat(command.run("import", "--profile", newMachine.toString(), export.toString()))
                .as(command.err.toString()).isZero();
        assertThat(command.out.toString()).contains("; 2 files brought back whole, 0 to download again");
        try (SqliteStore store = SqliteStore.open(newMachine.resolve(EngineConfig.STORE_FILE))) {
            List<String> contents = store.attachments().inState(AttachmentState.COMPLETE).stream()
                    .map(attachment -> attachment.content().orElseThrow()).toList();
            assertThat(contents).containsExactlyInAnyOrder(TestFiles.sha256(picture), TestFiles.sha256(report));
            for (String content : contents) {
                assertThat(TestFiles.sha256(newMachine.resolve("files").resolve(content))).isEqualTo(content);
            }
        }
    }

    @Test
    void aPageShowsThePictureFromTheFilesFolderAndLinksTheFile() throws Exception {
        Path page = temp.resolve("chat.html");
        export(alice, ExportFormat.HTML, page);
        String html = Files.readString(page);
        Matcher img = PICTURE.matcher(html);
        assertThat(img.find()).as(html).isTrue();
        assertThat(img.group(2)).isEqualTo("holiday photo.png");
        String src = img.group(1);
        assertThat(src).isEqualTo("chat_files/" + TestFiles.sha256(picture) + "-holiday%20photo.png");
        Path shown = temp.resolve(java.net.URLDecoder.decode(src, StandardCharsets.UTF_8));
        assertThat(TestFiles.sha256(shown)).isEqualTo(TestFiles.sha256(picture));
        assertThat(html)
                .contains("<a href=\"chat_files/" + TestFiles.sha256(report) + "-report.pdf\">report.pdf</a> · 683.6 KiB")
                .contains("img-src 'self' file: data:")
                .contains("the beach &lt;b&gt;at dawn&lt;/b&gt;").doesNotContain("<b>at dawn");

        // Written to a stream there is no folder for the bytes: the picture shows as the thumbnail its offer carries.
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        alice.engine.history().exporter().write(ExportFormat.HTML, HistoryScope.everything(), ZoneOffset.UTC,
                streamed, ExportProgress.NONE);
        Matcher thumbnail = PICTURE.matcher(streamed.toString(StandardCharsets.UTF_8));
        assertThat(thumbnail.find()).isTrue();
        assertThat(thumbnail.group(1)).startsWith("data:image/");
        assertThat(streamed.toString(StandardCharsets.UTF_8)).contains("report.pdf · 683.6 KiB · not in this export");

        Path text = temp.resolve("chat.txt");
        export(alice, ExportFormat.TEXT, text);
        assertThat(Files.readString(text)).contains("Alice: [file: report.pdf, 683.6 KiB, chat_files/"
                + TestFiles.sha256(report) + "-report.pdf]");
        Path markdown = temp.resolve("chat.md");
        export(alice, ExportFormat.MARKDOWN, markdown);
        assertThat(Files.readString(markdown)).contains("![holiday photo.png](chat_files/" + TestFiles.sha256(picture)
                + "-holiday%20photo.png)");
    }

    @Test
    void aFileDeletedForEveryoneLeavesNothingOfItInTheExportOrAnImport() throws Exception {
        Path marked = temp.resolve("marked.json");
        export(alice, ExportFormat.JSON, marked);
        ObjectMapper json = new ObjectMapper();
        JsonNode tree = json.readTree(marked.toFile());
        ((ObjectNode) messageWithFile(tree, reportMessage)).put("deleted", true);
        json.writeValue(marked.toFile(), tree);
        TestEngine fresh = restore("fresh");
        fresh.engine.importHistory(marked, ExportProgress.NONE);
        assertThat(fresh.engine.files().attachment(reportMessage)).as("a file of a message marked deleted").isEmpty();
        assertThat(fresh.engine.files().attachment(pictureMessage)).isPresent();

        alice.engine.actions().deleteForEveryone(reportMessage);
        Path export = temp.resolve("deleted.json");
        assertThat(export(alice, ExportFormat.JSON, export).files()).isEqualTo(1);
        assertThat(Files.readString(export)).contains(TestFiles.sha256(picture))
                .doesNotContain(TestFiles.sha256(report)).doesNotContain("report.pdf");
        try (Stream<Path> copies = Files.list(temp.resolve("deleted_files"))) {
            assertThat(copies.map(path -> path.getFileName().toString()))
                    .containsExactly(TestFiles.sha256(picture) + "-holiday photo.png");
        }
    }

    @Test
    void aFileNotAllHereIsListedWithoutBytesAndComesBackOfferedToFetchAgain() throws Exception {
        MessageRef atBob = new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(),
                reportMessage.id());
        // The picture is small enough to be fetched as it arrives; the report waits for Bob.
        await(bob, new MessageRef(atBob.conversation(), alice.peerId(), pictureMessage.id()),
                FileTransfer.State.COMPLETE);
        Path export = temp.resolve("bob.json");
        assertThat(export(bob, ExportFormat.JSON, export).files()).isEqualTo(1);
        assertThat(messageWithFile(new ObjectMapper().readTree(export.toFile()), reportMessage).get("file")
                .has("content")).isFalse();

        TestEngine freshBob = TestEngine.at(temp.resolve("bob-new"), bob.identity, "Bob");
        restored.add(freshBob);
        ImportCounts counts = freshBob.engine.importHistory(export, ExportProgress.NONE);
        assertThat(counts.filesBrought()).isEqualTo(1);
        assertThat(counts.filesToFetch()).isEqualTo(1);
        assertThat(freshBob.engine.files().attachment(atBob).orElseThrow().transfer().state())
                .isEqualTo(FileTransfer.State.OFFERED);
        // The offer came back usable: fetched from Alice once she has the new computer's address.
        freshBob.engine.files().download(atBob);
        freshBob.engine.contacts().add(alice.engine.invite());
        await(freshBob, atBob, FileTransfer.State.COMPLETE);
        assertThat(TestFiles.sha256(freshBob.engine.files().stored(atBob))).isEqualTo(TestFiles.sha256(report));
    }

    @Test
    void aHostileExportBringsNoBytesButTheTrueOnesAndWritesNothingOutsideTheProfile() throws Exception {
        Path export = temp.resolve("hostile.json");
        export(alice, ExportFormat.JSON, export);
        Path folder = temp.resolve("hostile_files");
        Path pictureCopy = folder.resolve(TestFiles.sha256(picture) + "-holiday photo.png");
        Path reportCopy = folder.resolve(TestFiles.sha256(report) + "-report.pdf");
        // The report's copy is changed, so its bytes are not its hash; a link named by the picture's hash points
        // outside the folder; the names climb out of any folder.
        byte[] changed = Files.readAllBytes(reportCopy);
        changed[1000] ^= 1;
        Files.write(reportCopy, changed);
        Path outside = Files.writeString(temp.resolve("secret.txt"), "not for the export");
        Files.createSymbolicLink(folder.resolve(TestFiles.sha256(picture) + "-..link"), outside);
        ObjectMapper json = new ObjectMapper();
        JsonNode tree = json.readTree(export.toFile());
        ((ObjectNode) messageWithFile(tree, pictureMessage).get("file")).put("name", "../../../../escaped.png");
        ((ObjectNode) messageWithFile(tree, reportMessage).get("file")).put("name", "/etc/../../escaped.pdf");
        json.writeValue(export.toFile(), tree);
        List<Path> before = everythingIn(temp);

        TestEngine fresh = restore("fresh");
        fresh.engine.importHistory(export, ExportProgress.NONE);
        FileAttachment pictureThere = fresh.engine.files().attachment(pictureMessage).orElseThrow();
        assertThat(pictureThere.transfer().state()).isEqualTo(FileTransfer.State.COMPLETE);
        assertThat(pictureThere.name()).doesNotContain("/").doesNotStartWith(".");
        assertThat(TestFiles.sha256(fresh.engine.files().stored(pictureMessage))).isEqualTo(TestFiles.sha256(picture));
        assertThat(Files.isSymbolicLink(fresh.engine.files().stored(pictureMessage))).isFalse();
        FileAttachment reportThere = fresh.engine.files().attachment(reportMessage).orElseThrow();
        assertThat(reportThere.transfer().state()).as("a copy that is not its hash").isEqualTo(
                FileTransfer.State.OFFERED);
        assertThat(reportThere.name()).doesNotContain("/");
        try (Stream<Path> kept = Files.list(fresh.profile.resolve("files"))) {
            assertThat(kept.map(path -> path.getFileName().toString())).containsExactly(TestFiles.sha256(picture));
        }
        List<Path> after = everythingIn(temp);
        after.removeIf(path -> path.startsWith(fresh.profile) || path.startsWith(alice.profile)
                || path.startsWith(bob.profile));
        before.removeIf(path -> path.startsWith(alice.profile) || path.startsWith(bob.profile));
        assertThat(after).as("nothing written outside the profiles").containsExactlyInAnyOrderElementsOf(before);
        assertThat(pictureCopy).exists();

        // A name an export gives is made safe for the copy of the next export, too.
        Path page = temp.resolve("next.html");
        export(fresh, ExportFormat.HTML, page);
        try (Stream<Path> copies = Files.list(temp.resolve("next_files"))) {
            assertThat(copies.map(path -> path.getFileName().toString()))
                    .singleElement().satisfies(name -> assertThat(name).startsWith(TestFiles.sha256(picture) + "-")
                            .doesNotContain("/").doesNotContain(".."));
        }
    }

    private MessageRef send(Path file, String caption) throws Exception {
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), file, caption,
                copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        return new MessageRef(new ConversationRef.Direct(bob.peerId()), alice.peerId(), id);
    }

    private TestEngine restore(String folder) throws IOException {
        TestEngine engine = TestEngine.at(temp.resolve(folder), alice.identity, "Alice");
        restored.add(engine);
        return engine;
    }

    private static HistoryExporter.Summary export(TestEngine engine, ExportFormat format, Path file) {
        return engine.engine.history().exporter().export(format, HistoryScope.everything(), ZoneOffset.UTC, file,
                false, ExportProgress.NONE);
    }

    private static JsonNode messageWithFile(JsonNode export, MessageRef message) {
        for (JsonNode conversation : export.get("conversations")) {
            for (JsonNode entry : conversation.get("messages")) {
                if (entry.get("id").asText().equals(message.id().toString()) && entry.has("file")) {
                    return entry;
                }
            }
        }
        throw new AssertionError("no message " + message.id() + " with a file in the export");
    }

    private static void await(TestEngine engine, MessageRef message, FileTransfer.State state)
            throws InterruptedException {
        engine.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state);
    }

    private static List<Path> everythingIn(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return new ArrayList<>(paths.toList());
        }
    }

    private Path picture(String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | random.nextInt(64));
            }
        }
        Path file = temp.resolve(name);
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        return file;
    }
}
