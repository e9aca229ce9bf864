package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.IdentityBackup;
import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parley → Backup… on a real window: the file it writes holds the identity and the name, as parley backup's does. */
class BackupWindowTest extends WindowTest {
    TestPeer alice;
    FrameFixture window;

    @BeforeEach
    void alice() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        window = openWindow(alice.engine(), false);
    }

    @AfterEach
    void stopEngine() {
        alice.close();
    }

    @Test
    void aBackupHoldsTheIdentityAndTheNameAndNeverOverwritesAFile() throws Exception {
        Path file = temp.resolve("alice-backup.key");
        window.menuItemWithPath("Parley", "Backup…").click();
        DialogFixture backup = WindowFinder.findDialog("backupDialog").withTimeout(WAIT.toMillis()).using(robot);
        backup.textBox("backupFile").deleteText().enterText(file.toString());
        backup.textBox("backupPassphrase").enterText("a long backup phrase");
        backup.textBox("backupPassphraseAgain").enterText("a long backup phrase!");
        press(backup, "Back up");
        await("the mismatch explained", () -> backup.label("error").text().contains("differ"));
        assertThat(file).doesNotExist();

        backup.textBox("backupPassphraseAgain").deleteText().enterText("a long backup phrase");
        press(backup, "Back up");

        await("the dialog closed", () -> !backup.target().isShowing());
        IdentityBackup.Contents contents = IdentityBackup.read(file, "a long backup phrase".toCharArray());
        assertThat(contents.identity().peerId()).isEqualTo(alice.peerId());
        assertThat(contents.displayName()).contains("Alice");

        byte[] written = Files.readAllBytes(file);
        window.menuItemWithPath("Parley", "Backup…").click();
        DialogFixture again = WindowFinder.findDialog("backupDialog").withTimeout(WAIT.toMillis()).using(robot);
        again.textBox("backupFile").deleteText().enterText(file.toString());
        again.textBox("backupPassphrase").enterText("another phrase");
        again.textBox("backupPassphraseAgain").enterText("another phrase");
        press(again, "Back up");
        await("the existing file named", () -> again.label("error").text().contains("exists already"));
        assertThat(Files.readAllBytes(file)).as("the first backup kept").isEqualTo(written);
        again.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        await("Escape closed the dialog", () -> !again.target().isShowing());
    }
}
