package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.HistoryScope;
import dev.parley.store.MessageKey;
import dev.parley.store.SqliteStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML export in a real browser: Debian's headless Chromium, in a network namespace of its own (it reaches
 * nothing, and the page asks for nothing). The page renders every message, no script in a message runs, and
 * screenshots in light and dark are kept in {@code target/} to look at.
 */
class HtmlInChromiumTest {
    static final Path SCREENSHOTS = Path.of("target", "html-export");

    @TempDir
    Path temp;

    @Test
    void theExportRendersEveryMessageAndRunsNoScript() throws Exception {
        Path page = temp.resolve("history.html");
        int messages;
        try (SqliteStore store = SqliteStore.open(temp.resolve("parley.db"))) {
            messages = SampleHistory.fill(store);
            new HistoryExporter(store, ME, SampleHistory.callersNames()).export(ExportFormat.HTML,
                    HistoryScope.everything(), HistoryRoundTripTest.BERLIN, page, false, ExportProgress.NONE);
        }

        String dom = chromium("--dump-dom", page.toUri().toString());

        assertThat(dom).contains("<title>Parley chat history of Mia</title>").doesNotContain("pwned</title>");
        assertThat(count(dom, "<div class=\"msg ") + count(dom, "<div class=\"notice\"")).isEqualTo(messages);
        assertThat(dom).doesNotContain("<script").doesNotContain("<img")
                .contains("&lt;script&gt;document.title = 'pwned'&lt;/script&gt;");
        assertThat(dom).contains(SampleHistory.RIGHT_TO_LEFT, "Climbing tomorrow? 🧗‍♀️👍🏽", SampleHistory.LONG,
                "first line\nsecond line\n\n  indented fourth line", "Dave was here before he left");

        Files.createDirectories(SCREENSHOTS);
        screenshot(page, SCREENSHOTS.resolve("light.png"), false);
        screenshot(page, SCREENSHOTS.resolve("dark.png"), true);
    }

    @Test
    void aPictureShowsFromTheFilesFolderUnderThePagesPolicy() throws Exception {
        BufferedImage magenta = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D paint = magenta.createGraphics();
        paint.setColor(new Color(255, 0, 255));
        paint.fillRect(0, 0, 200, 200);
        paint.dispose();
        Path library = Files.createDirectories(temp.resolve("library"));
        Path png = library.resolve("picture.png");
        ImageIO.write(magenta, "png", png.toFile());
        String content = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(png)));
        Files.move(png, library.resolve(content));
        Path page = Files.createDirectories(temp.resolve("page")).resolve("history.html");
        try (SqliteStore store = SqliteStore.open(temp.resolve("parley.db"))) {
            SampleHistory.fill(store);
            String chat = store.history().conversations(HistoryScope.everything()).getFirst().conversation().id();
            List<MessageKey> texts = new ArrayList<>();
            store.history().forEachMessage(chat, HistoryScope.everything(), message -> texts.add(message.message()
                    .key()));
            store.attachments().offer(new Attachment(texts.getFirst(), new byte[32], new byte[] {1},
                    Files.size(library.resolve(content)), 1, Optional.empty(), new byte[] {1}, AttachmentState.COMPLETE,
                    Optional.of(content)));
            new HistoryExporter(store, ME, SampleHistory.callersNames(), new PicturesIn(library)).export(
                    ExportFormat.HTML, HistoryScope.everything(), HistoryRoundTripTest.BERLIN, page, false,
                    ExportProgress.NONE);
        }
        assertThat(Files.readString(page)).contains("<img class=\"picture\" src=\"history_files/" + content
                + "-magenta%20square.png\"");

        Path shot = temp.resolve("picture.png");
        chromium("--window-size=900,2400", "--hide-scrollbars", "--screenshot=" + shot, page.toUri().toString());
        BufferedImage screen = ImageIO.read(shot.toFile());
        int shown = 0;
        for (int y = 0; y < screen.getHeight(); y++) {
            for (int x = 0; x < screen.getWidth(); x++) {
                shown += (screen.getRGB(x, y) & 0xFFFFFF) == 0xFF00FF ? 1 : 0;
            }
        }
        assertThat(shown).as("magenta pixels: the picture loaded from the files folder").isGreaterThan(150 * 150);
    }

    /** The app's part for one picture: every offer reads as it, and its bytes are in {@code library}. */
    private record PicturesIn(Path library) implements ExportFiles {
        @Override
        public Optional<ExportedFile> read(Attachment attachment) {
            return Optional.of(new ExportedFile("magenta square.png", attachment.size(), "image/png", new byte[32],
                    new byte[32], 256 * 1024, Optional.empty(), "", 200, 200));
        }

        @Override
        public String safeName(String name) {
            return name;
        }

        @Override
        public Optional<Path> stored(String content) {
            return Optional.of(library.resolve(content));
        }

        @Override
        public Optional<Kept> keep(Path source, String content, ExportedFile file, LongConsumer copied) {
            throw new AssertionError("an export keeps nothing");
        }

        @Override
        public boolean accepts(ExportedFile file) {
            throw new AssertionError("an export reads no offer");
        }

        @Override
        public Optional<Attachment> restore(MessageKey message, ExportedFile file, Optional<Kept> kept) {
            throw new AssertionError("an export restores nothing");
        }
    }

    @Test
    void theHarnessSeesAScriptRunWhereThePageAllowsOne() throws Exception {
        // The check above could not fail if this browser ran no scripts at all: here one runs.
        Path control = Files.writeString(temp.resolve("control.html"), "<!DOCTYPE html><html><head><title>before"
                + "</title></head><body><script>document.title = 'pwned'</script></body></html>");
        assertThat(chromium("--dump-dom", control.toUri().toString())).contains("<title>pwned</title>");
    }

    private void screenshot(Path page, Path png, boolean dark) throws Exception {
        Path shot = temp.resolve(png.getFileName());
        List<String> options = new ArrayList<>(List.of("--window-size=900,1600", "--hide-scrollbars",
                "--screenshot=" + shot));
        if (dark) {
            options.add("--force-dark-mode");
        }
        options.add(page.toUri().toString());
        chromium(options.toArray(String[]::new));
        byte[] image = Files.readAllBytes(shot);
        assertThat(image.length).isGreaterThan(10_000);
        assertThat(new String(image, 1, 3)).isEqualTo("PNG");
        Files.copy(shot, png, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs headless Chromium in a new network namespace (so it can send nothing anywhere); returns its output. */
    private String chromium(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "--", "chromium", "--headless",
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + temp.resolve("chromium")));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(temp.resolve("chromium.log").toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 60 s");
        }
        assertThat(process.exitValue()).as(Files.readString(temp.resolve("chromium.log"))).isZero();
        return output;
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
