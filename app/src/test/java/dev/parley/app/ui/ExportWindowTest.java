package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.export.ExportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.swing.JButton;
import javax.swing.JProgressBar;
import org.assertj.swing.finder.JOptionPaneFinder;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The export dialog on a real window over real engines: a conversation exported as plain text, a destination that
 * cannot be written, a date that is no date, an existing file replaced only when the user says so, and an export
 * cancelled halfway that leaves no file.
 */
class ExportWindowTest extends WindowTest {
    /** Enough messages that the export is still writing when Cancel, clicked at its first progress, lands. */
    static final int MANY_MESSAGES = 100_000;

    TestPeer alice;
    TestPeer bob;
    Path exports;

    @BeforeEach
    void peers() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
        exports = Files.createDirectory(temp.resolve("exports"));
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
    }

    @Test
    void theOpenConversationIsExportedAsPlainTextWithALinePerMessage() throws Exception {
        alice.engine().chat().send(bob.peerId(), "hello bob");
        bob.engine().chat().send(alice.peerId(), "hi alice, how are you?");
        await("Alice has both messages",
                () -> alice.engine().history().newest(bob.peerId(), 10).messages().size() == 2);
        FrameFixture window = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
        window.list("conversations").clickItem(0);
        await("Bob's conversation open", () -> main(window).conversationPanel().peer().isPresent());

        DialogFixture dialog = openExport(window);
        assertThat(dialog.radioButton("scopeCurrent").text()).isEqualTo("This conversation: Bob");
        dialog.radioButton("scopeCurrent").check();
        dialog.comboBox("format").selectItem("Plain text");
        assertThat(dialog.textBox("destination").text()).as("the default follows the format")
                .endsWith("parley-history.txt");
        Path file = exports.resolve("bob.txt");
        typeDestination(dialog, file);
        press(dialog, "Export");

        await("the export reported", () -> dialog.label("status").text().contains("Exported 2 messages to " + file));
        assertThat(dialog.label("status").text()).containsPattern("\\(\\d+ bytes\\)");
        assertThat(dialog.button(showingButton("Close")).isEnabled()).isTrue();
        robot.waitForIdle();
        screenshot(dialog.target(), "export-done");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).contains("== Conversation with Bob ==");
        assertThat(lines).filteredOn(line -> line.matches("\\[\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}] .*"))
                .map(line -> line.substring("[2026-11-21 14:03] ".length()))
                .containsExactly("Alice: hello bob", "Bob: hi alice, how are you?");
        press(dialog, "Close");
        await("the dialog closed", () -> !dialog.target().isShowing());
    }

    @Test
    void aDestinationInAFolderThatDoesNotExistIsRefusedAndNothingIsCreated() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        DialogFixture dialog = openExport(window);
        assertThat(dialog.radioButton("scopeCurrent").isEnabled()).as("no conversation is open").isFalse();
        Path missing = exports.resolve("missing");
        typeDestination(dialog, missing.resolve("history.json"));
        press(dialog, "Export");

        await("the reason shown", () -> dialog.label("error").text().contains("does not exist"));
        assertThat(dialog.label("error").text()).contains(missing.toString());
        assertThat(missing).doesNotExist();
        assertNoFileIn(exports);
        assertThat(dialog.textBox("destination").isEnabled()).as("the form can be changed again").isTrue();
        assertThat(dialog.button(showingButton("Export")).isEnabled()).isTrue();
        press(dialog, "Cancel");
        await("the dialog closed", () -> !dialog.target().isShowing());
    }

    @Test
    void aDateThatIsNoDateIsRefusedBeforeAnythingStarts() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        DialogFixture dialog = openExport(window);
        typeDestination(dialog, exports.resolve("history.json"));
        dialog.textBox("since").enterText("2026-13-45");
        press(dialog, "Export");

        await("the reason shown", () -> dialog.label("error").text().contains("2026-13-45"));
        assertThat(dialog.label("error").text()).contains("From").contains("is not a date");
        assertThat(dialog.progressBar("progress").target().isIndeterminate()).isFalse();
        assertThat(dialog.button(showingButton("Export")).isEnabled()).isTrue();
        assertNoFileIn(exports);
        press(dialog, "Cancel");
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenTheUserSaysSo() throws Exception {
        alice.engine().chat().send(bob.peerId(), "the one message");
        await("Alice has it", () -> alice.engine().history().newest(bob.peerId(), 10).messages().size() == 1);
        Path file = Files.writeString(exports.resolve("history.txt"), "older notes\n");
        FrameFixture window = openWindow(alice.engine(), false);
        DialogFixture dialog = openExport(window);
        typeDestination(dialog, file);
        dialog.comboBox("format").selectItem("Plain text");

        press(dialog, "Export");
        answerReplace("No");
        await("the form usable again", () -> dialog.button(showingButton("Export")).isEnabled());
        assertThat(Files.readString(file)).isEqualTo("older notes\n");

        press(dialog, "Export");
        answerReplace("Yes");
        await("the export reported", () -> dialog.label("status").text().contains("Exported 1 message to " + file));
        assertThat(Files.readString(file)).doesNotContain("older notes").contains("Alice: the one message");
        press(dialog, "Close");
    }

    @Test
    void cancellingAnExportUnderWayLeavesNoFileAndNoPartialFile() throws Exception {
        alice.stopEngine();
        alice.insertHistory(LongConversationTest.longHistory(alice, bob, MANY_MESSAGES));
        alice.startEngine();
        FrameFixture window = openWindow(alice.engine(), false);
        DialogFixture dialog = openExport(window);
        typeDestination(dialog, exports.resolve("history.json"));
        dialog.comboBox("format").selectItem(ExportFormat.JSON.label());
        JProgressBar progress = dialog.progressBar("progress").target();
        JButton cancel = dialog.button(showingButton("Cancel")).target();
        // On the EDT, the moment the first count of messages shows: the export is past its start and writing.
        onEdt(() -> {
            progress.addPropertyChangeListener("string", change -> {
                if (String.valueOf(change.getNewValue()).contains(" of ") && cancel.isEnabled()) {
                    cancel.doClick();
                }
            });
            return null;
        });
        press(dialog, "Export");

        await("the cancellation reported", () -> dialog.label("status").text().contains("cancelled"));
        assertThat(dialog.label("status").text()).contains("no file was written");
        assertNoFileIn(exports);
        assertThat(dialog.button(showingButton("Export")).isEnabled()).isTrue();
        assertThat(dialog.target().isShowing()).as("the first Cancel stops the export only").isTrue();
        press(dialog, "Cancel");
        await("the second Cancel closes the dialog", () -> !dialog.target().isShowing());
    }

    private DialogFixture openExport(FrameFixture window) {
        window.menuItem("Export history…").click();
        return WindowFinder.findDialog("export").withTimeout(WAIT.toMillis()).using(robot);
    }

    /** Types the destination, and makes sure it took: an export must never go to the default in the home folder. */
    private static void typeDestination(DialogFixture dialog, Path file) {
        dialog.textBox("destination").deleteText().enterText(file.toString()).requireText(file.toString());
    }

    /** Asserts that {@code folder} holds neither an export nor the .part file an export writes first. */
    private static void assertNoFileIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).as("the files in " + folder).isEmpty();
        }
    }

    /** Answers the "Replace?" question by pressing {@code answer}. */
    private void answerReplace(String answer) {
        JOptionPaneFixture question = JOptionPaneFinder.findOptionPane().withTimeout(WAIT.toMillis()).using(robot);
        question.requireTitle("Replace?");
        JButton button = question.button(showingButton(answer)).target();
        onEdt(() -> {
            button.doClick();
            return null;
        });
    }
}
