package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.ui.i18n.Language;
import dev.parley.crypto.InviteCode;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.KeyEvent;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settings dialog on a real window: what it saves, what applies at once, and a name it refuses. */
class SettingsWindowTest extends WindowTest {
    TestPeer alice;
    FrameFixture window;

    @BeforeEach
    void alice() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        window = openWindow(alice.engine(), false);
        await("the title names Alice", () -> window.target().getTitle().equals("Parley — Alice"));
    }

    @AfterEach
    void stopEngine() {
        alice.close();
    }

    @Test
    void savedSettingsApplyTheNameAndThemeAtOnceAndAreKeptForTheNextStart() throws Exception {
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").using(robot);
        settings.textBox("displayName").deleteText().enterText("Alice Liddell");
        // Clicked on the EDT, as press() clicks buttons: in the full suite under Xvfb the robot's click on this box
        // was lost now and then (twice in CI), while the same test alone never lost it.
        JCheckBox notifications = settings.checkBox("notifications").requireSelected().target();
        GuiActionRunner.execute(() -> notifications.doClick());
        settings.comboBox("theme").selectItem("Dark");
        settings.comboBox("language").selectItem("Deutsch");
        // Typed, not confirmed with Enter: Enter would press Save, the dialog's default button, at once.
        settings.spinner("port").enterText("40123");
        settings.checkBox("notifications").requireNotSelected();
        press(settings, "Save");

        await("the settings dialog closed", () -> !settings.target().isShowing());
        assertThat(alice.engine().card().displayName()).isEqualTo("Alice Liddell");
        await("the title has the new name", () -> window.target().getTitle().equals("Parley — Alice Liddell"));
        assertThat(onEdt(FlatLaf::isLafDark)).isTrue();
        UiSettings saved = UiSettings.load(temp.resolve("window-settings"));
        assertThat(saved.theme()).isEqualTo(Theme.DARK);
        assertThat(saved.listenPort()).isEqualTo(40123);
        assertThat(saved.notifications()).isFalse();
        assertThat(saved.lanDiscovery()).isTrue();
        assertThat(saved.language()).as("applied at the next start").isEqualTo(Language.GERMAN);
        assertThat(onEdt(() -> main(window).getJMenuBar().getMenu(1).getText())).as("not at once")
                .isEqualTo("Contacts");
    }

    @Test
    void settingsShowWhoYouAreAndCopyThePeerIdAndTheInviteCode() throws Exception {
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").using(robot);

        assertThat(settings.textBox("displayName").text()).isEqualTo("Alice");
        settings.textBox("peerId").requireNotEditable().requireText(alice.peerId().toBase58());
        settings.textBox("inviteCode").requireNotEditable();
        JButton copyPeerId = settings.button("peerIdCopy").target();
        GuiActionRunner.execute(() -> copyPeerId.doClick());
        assertThat(clipboard()).isEqualTo(alice.peerId().toBase58());
        JButton copyInvite = settings.button("inviteCodeCopy").target();
        GuiActionRunner.execute(() -> copyInvite.doClick());
        assertThat(InviteCode.parse(clipboard()).card().peerId()).isEqualTo(alice.peerId());
        assertThat(settings.textBox("inviteCode").text()).isEqualTo(clipboard());

        settings.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        await("Escape closed the dialog", () -> !settings.target().isShowing());
    }

    private static String clipboard() throws Exception {
        return onEdt(() -> (String) Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor));
    }

    @Test
    void aNameTheCardCannotCarryIsRefusedInTheDialog() {
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").using(robot);
        settings.textBox("displayName").deleteText().enterText("x".repeat(80));
        press(settings, "Save");

        await("the reason shown", () -> settings.label("error").text().contains("name"));
        assertThat(settings.target().isShowing()).isTrue();
        assertThat(alice.engine().card().displayName()).isEqualTo("Alice");
        press(settings, "Cancel");
    }
}
