package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.engine.Engine;
import dev.parley.app.profile.Profile;
import dev.parley.store.HistoryScope;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import java.awt.Component;
import java.awt.Container;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.swing.JDialog;
import javax.swing.JLabel;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/**
 * Ada on a new computer, all in the app: the first run restores her backup, Parley → Import history… brings her
 * exported conversation with Bob, and she is Ada again — her PeerId, her name, her messages hers.
 */
class RestoreWindowTest extends WindowTest {
    private static final String PASSPHRASE = "ada's long backup phrase";

    @Test
    void aNewProfileRestoredFromABackupWithItsHistoryImportedIsTheSameUserWithHerConversation() throws Exception {
        Path backup = temp.resolve("ada.key");
        Path export = temp.resolve("ada.json");
        TestPeer ada = TestPeer.start(temp, "Ada");
        try (TestPeer bob = TestPeer.start(temp, "Bob")) {
            try (ada) {
                TestPeer.befriend(ada, bob);
                ada.engine().chat().send(bob.peerId(), "Hello Bob, Ada here");
                await("Bob has Ada's message", () -> bob.engine().history().newest(ada.peerId(), 10).messages()
                        .size() == 1);
                bob.engine().chat().send(ada.peerId(), "Hi Ada");
                await("Ada has Bob's reply", () -> ada.engine().history().newest(bob.peerId(), 10).messages()
                        .size() == 2);
                ada.engine().backUp(backup, PASSPHRASE.toCharArray());
                ada.engine().history().exporter().export(ExportFormat.JSON, HistoryScope.everything(),
                        ZoneOffset.UTC, export, false, ExportProgress.NONE);
            }

            Path newComputer = temp.resolve("new-computer");
            CompletableFuture<Integer> exit = launch(newComputer);
            DialogFixture welcome = WindowFinder.findDialog("firstRun").withTimeout(WAIT.toMillis()).using(robot);
            assertThat(AccessibleNamesTest.unnamed(welcome.target())).isEmpty();
            pressToOpen(welcome, "restoreFromBackup");
            DialogFixture escaped = WindowFinder.findDialog("restoreDialog").withTimeout(WAIT.toMillis()).using(robot);
            assertThat(AccessibleNamesTest.unnamed(escaped.target())).isEmpty();
            escaped.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
            await("Escape closed the restore dialog", () -> !escaped.target().isShowing());
            welcome.requireVisible();
            pressToOpen(welcome, "restoreFromBackup");
            DialogFixture restore = WindowFinder.findDialog(new GenericTypeMatcher<>(JDialog.class) {
                @Override
                protected boolean isMatching(JDialog dialog) {
                    return dialog.isShowing() && "restoreDialog".equals(dialog.getName());
                }
            }).withTimeout(WAIT.toMillis()).using(robot);
            restore.textBox("restoreFile").enterText(backup.toString());
            restore.textBox("restorePassphrase").enterText("a wrong phrase");
            press(restore, "Restore");
            await("the wrong passphrase said", () -> restore.label("error").text().contains("could not be restored"));
            assertThat(new Profile(newComputer).storedPeerId()).as("nothing restored").isEmpty();
            restore.textBox("restorePassphrase").deleteText().enterText(PASSPHRASE);
            press(restore, "Restore");

            FrameFixture window = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
            Engine engine = main(window).engine();
            assertThat(engine.peerId()).isEqualTo(ada.peerId());
            assertThat(engine.card().displayName()).isEqualTo("Ada");
            window.menuItemWithPath("Parley", "Settings…").click();
            DialogFixture settings = WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
            assertThat(settings.textBox("displayName").text()).isEqualTo("Ada");
            settings.textBox("peerId").requireText(ada.peerId().toBase58());
            settings.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
            await("Settings closed", () -> !settings.target().isShowing());

            window.menuItemWithPath("Parley", "Import history…").click();
            DialogFixture importing = WindowFinder.findDialog("importDialog").withTimeout(WAIT.toMillis())
                    .using(robot);
            importing.textBox("importFile").enterText(temp.resolve("missing.json").toString());
            press(importing, "Import");
            await("the missing file named", () -> importing.label("error").text().contains("does not exist"));
            importing.textBox("importFile").deleteText().enterText(export.toString());
            press(importing, "Import");
            await("the import reported", () -> importing.label("importResult").text()
                    .contains("Imported 2 messages in 1 conversation"));
            await("Bob listed at once", () -> main(window).conversationList().lineTexts().stream()
                    .anyMatch(line -> line.contains("Bob")));
            importing.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
            await("Escape closed the import dialog", () -> !importing.target().isShowing());

            GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
            await("both messages shown", () -> main(window).conversationPanel().timeline().messageCount() == 2);
            List<String> rows = onEdt(() -> {
                List<String> shown = new ArrayList<>();
                for (MessageRow row : main(window).conversationPanel().timeline().rows()) {
                    shown.add(row.textPane().getAccessibleContext().getAccessibleName() + ": "
                            + row.message().text());
                }
                return shown;
            });
            assertThat(rows).containsExactly("Your message: Hello Bob, Ada here", "Message received: Hi Ada");

            // Her old messages are hers by name too: exported again, they carry Ada, not this computer's user.
            Path again = temp.resolve("again.json");
            engine.history().exporter().export(ExportFormat.JSON, HistoryScope.everything(), ZoneOffset.UTC, again,
                    false, ExportProgress.NONE);
            List<String> senders = new ArrayList<>();
            JsonNode conversations = new ObjectMapper().readTree(again.toFile()).get("conversations");
            conversations.forEach(c -> c.get("messages").forEach(m -> senders.add(m.get("senderName").asText()
                    + ": " + m.get("text").asText())));
            assertThat(senders).containsExactly("Ada: Hello Bob, Ada here", "Bob: Hi Ada");

            window.close();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void restoreOnARunningProfileExplainsTheFirstRunPath() throws Exception {
        try (TestPeer alice = TestPeer.start(temp, "Alice")) {
            FrameFixture window = openWindow(alice.engine(), false);
            window.menuItemWithPath("Parley", "Restore…").click();
            DialogFixture explanation = WindowFinder.findDialog(new GenericTypeMatcher<>(JDialog.class) {
                @Override
                protected boolean isMatching(JDialog dialog) {
                    return dialog.isShowing() && "Restore".equals(dialog.getTitle());
                }
            }).withTimeout(WAIT.toMillis()).using(robot);
            String text = onEdt(() -> textOf(explanation.target()));
            assertThat(text).contains("cannot happen while Parley runs").contains("Restore from a backup")
                    .contains("parley restore --force");
            explanation.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
            await("Escape closed it", () -> !explanation.target().isShowing());
            assertThat(alice.engine().peerId()).as("the identity untouched").isEqualTo(alice.peerId());
        }
    }

    private static String textOf(Container container) {
        StringBuilder text = new StringBuilder();
        for (Component part : container.getComponents()) {
            if (part instanceof JLabel label) {
                text.append(label.getText()).append(' ');
            }
            if (part instanceof Container inner) {
                text.append(textOf(inner));
            }
        }
        return text.toString();
    }
}
