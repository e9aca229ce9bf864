package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
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
        settings.comboBox("theme").selectItem("Dark");
        settings.checkBox("notifications").uncheck();
        // Typed, not confirmed with Enter: Enter would press Save, the dialog's default button, at once.
        settings.spinner("port").enterText("40123");
        press(settings, "Save");

        await("the settings dialog closed", () -> !settings.target().isShowing());
        assertThat(alice.engine().card().displayName()).isEqualTo("Alice Liddell");
        assertThat(onEdt(FlatLaf::isLafDark)).isTrue();
        UiSettings saved = UiSettings.load(temp.resolve("window-settings"));
        assertThat(saved.theme()).isEqualTo(Theme.DARK);
        assertThat(saved.listenPort()).isEqualTo(40123);
        assertThat(saved.notifications()).isFalse();
        assertThat(saved.lanDiscovery()).isTrue();
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
