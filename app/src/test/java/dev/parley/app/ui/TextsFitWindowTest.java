package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.profile.Profile;
import dev.parley.app.ui.contacts.AddContactDialog;
import dev.parley.app.ui.contacts.ContactInfoDialog;
import dev.parley.app.ui.contacts.InviteDialog;
import dev.parley.app.ui.rooms.RoomDialogs;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.AbstractButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.JViewport;
import javax.swing.SwingUtilities;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No text cut off, in English or German: the main window and its main dialogs, each at the size it opens with, over
 * real engines. Every label, button and combo box showing must get at least its preferred width (a single line cut
 * short ends in "..."), and every wrapping text its preferred height.
 */
class TextsFitWindowTest extends WindowTest {
    private TestPeer alice;
    private TestPeer bob;
    private TestPeer carol;
    private RoomInfo room;
    private Locale before;

    @BeforeEach
    void aliceWithTwoContactsAndARoom() throws Exception {
        before = Locale.getDefault();
        alice = TestPeer.start(temp, "Alice Wonderland");
        bob = TestPeer.start(temp, "Bob Martin");
        carol = TestPeer.start(temp, "Carol Zimmermann");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        room = alice.engine().rooms().create("Book club");
        alice.engine().rooms().invite(room.id(), bob.peerId());
        room = alice.engine().rooms().get(room.id()).orElseThrow();
    }

    @AfterEach
    void stopEnginesAndLanguage() {
        Locale.setDefault(before);
        alice.close();
        bob.close();
        carol.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "de"})
    void everyTextFitsInTheMainWindowAndItsDialogs(String language) throws Exception {
        Locale.setDefault(Locale.forLanguageTag(language));
        FrameFixture window = openWindow(alice.engine(), false);
        MainWindow main = main(window);
        await("the conversations and the room listed", () -> main.conversationList().model().getSize() == 2
                && main.roomList().rooms().size() == 1);
        List<String> cut = new ArrayList<>();
        GuiActionRunner.execute(() -> main.openConversation(bob.peerId()));
        await("Bob's conversation open", () -> main.conversationPanel().peer().isPresent());
        robot.waitForIdle();
        cut.addAll(onEdt(() -> cutOff("main window", main)));

        check(cut, "Settings", "settings", () -> new SettingsDialog(main, alice.engine(), settingsOf(main))
                .setVisible(true));
        check(cut, "Add contact", "addContactDialog", () -> AddContactDialog.show(main, alice.engine()));
        check(cut, "My invite", "inviteDialog", () -> InviteDialog.show(main, alice.engine()));
        check(cut, "Contact info", "contactInfoDialog", () -> ContactInfoDialog.show(main, alice.engine(),
                bob.peerId()));
        check(cut, "Export history", "export", () -> new ExportDialog(main, alice.engine(), Optional.empty())
                .setVisible(true));
        check(cut, "Backup", "backupDialog", () -> new BackupDialog(main, alice.engine()).setVisible(true));
        check(cut, "Import history", "importDialog", () -> new ImportHistoryDialog(main, alice.engine())
                .setVisible(true));
        check(cut, "New room", "newRoomDialog", () -> RoomDialogs.create(main, alice.engine(), created -> { }));
        check(cut, "Room invite", "inviteDialog", () -> RoomDialogs.invite(main, alice.engine(), room, error -> { }));
        check(cut, "Members", "membersDialog", () -> RoomDialogs.members(main, alice.engine(), room));
        check(cut, "Search", "search", () -> new MessageSearchDialog(main, alice.engine(), TimeLabels.system(),
                (peer, id) -> { }).setVisible(true));
        check(cut, "Jump", "jumpDialog", () -> JumpDialog.choose(main, List.of(
                new JumpDialog.Entry(new Place.Contact(bob.peerId()), "Bob Martin", "contact"))));
        Profile fresh = new Profile(temp.resolve("fresh-profile"));
        check(cut, "First run", "firstRun", () -> new FirstRunDialog(fresh, Optional.empty()).setVisible(true));
        check(cut, "Restore", "restoreDialog", () -> new RestoreDialog(null, fresh).setVisible(true));

        assertThat(cut).as("texts cut off in %s", language).isEmpty();
    }

    private UiSettings settingsOf(MainWindow main) {
        try {
            return UiSettings.load(temp.resolve("window-settings"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Opens a dialog as its menu does (later on the EDT: a modal one holds it), checks it, closes it. */
    private void check(List<String> cut, String title, String name, Runnable open) {
        SwingUtilities.invokeLater(open);
        await(title + " on screen", () -> showing(name).isPresent());
        robot.waitForIdle();
        Window dialog = onEdt(() -> showing(name).orElseThrow());
        assertThat(onEdt(() -> texts(dialog))).as("texts checked in %s", title).isPositive();
        cut.addAll(onEdt(() -> cutOff(title, dialog)));
        GuiActionRunner.execute(dialog::dispose);
        await(title + " closed", () -> showing(name).isEmpty());
    }

    private static Optional<Window> showing(String name) {
        return Arrays.stream(Window.getWindows()).filter(w -> name.equals(w.getName()) && w.isShowing()).findFirst();
    }

    @Test
    void aLabelNarrowerThanItsTextAndAWrappedTextLowerThanItsLinesAreCutOff() {
        List<String> cut = onEdt(() -> {
            JPanel panel = new JPanel(null);
            JLabel label = new JLabel("Nachrichtenanfragen");
            label.setBounds(0, 0, label.getPreferredSize().width - 1, 20);
            JLabel fits = new JLabel("OK");
            fits.setBounds(0, 30, 100, 20);
            JLabel note = Forms.note("Eine Passphrase verschlüsselt deine Schlüssel auf diesem Computer.", 100);
            note.setBounds(0, 60, 200, note.getPreferredSize().height - 1);
            panel.add(label);
            panel.add(fits);
            panel.add(note);
            JFrame frame = new JFrame();
            frame.setContentPane(panel);
            frame.setBounds(0, 0, 300, 200);
            frame.setVisible(true);
            try {
                return cutOff("a panel", frame);
            } finally {
                frame.dispose();
            }
        });
        assertThat(cut).hasSize(2);
        assertThat(cut.getFirst()).contains("Nachrichtenanfragen").contains("px wide");
        assertThat(cut.get(1)).contains("px high");
    }

    /** How many texts {@link #cutOff} looks at in {@code window}. */
    private static int texts(Container window) {
        int[] count = {0};
        walk(window, component -> {
            if (component.isShowing() && (component instanceof JLabel || component instanceof AbstractButton)) {
                count[0]++;
            }
        });
        return count[0];
    }

    /** What {@code window} shows cut off, as "where: component "text" (needs N, has M)"; on the EDT. */
    static List<String> cutOff(String where, Container window) {
        List<String> cut = new ArrayList<>();
        walk(window, component -> {
            if (!component.isShowing() || component.getWidth() == 0 || inScrolledView(component)) {
                return;
            }
            Dimension preferred = component.getPreferredSize();
            String text = switch (component) {
                case JLabel label -> label.getText();
                case AbstractButton button -> button.getText();
                case JTextArea area -> area.getLineWrap() ? area.getText() : null;
                case JComboBox<?> combo -> String.valueOf(combo.getSelectedItem());
                default -> null;
            };
            if (text == null || text.isBlank()) {
                return;
            }
            boolean wraps = component instanceof JTextArea || text.startsWith("<html>");
            if (preferred.width > component.getWidth() && !(component instanceof JTextArea)) {
                cut.add(where + ": " + describe(component, text) + " needs " + preferred.width + " px wide, has "
                        + component.getWidth());
            } else if (wraps && preferred.height > component.getHeight()) {
                cut.add(where + ": " + describe(component, text) + " needs " + preferred.height + " px high, has "
                        + component.getHeight());
            }
        });
        return cut;
    }

    /** A text in a scrolled view (a list, a timeline) is cut by scrolling, not by the layout. */
    private static boolean inScrolledView(Component component) {
        return SwingUtilities.getAncestorOfClass(JViewport.class, component) != null;
    }

    private static String describe(Component component, String text) {
        String name = component.getName() == null ? component.getClass().getSimpleName() : component.getName();
        String shown = text.replaceAll("<[^>]*>", "");
        return name + " \"" + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + "\"";
    }

    private static void walk(Component component, Consumer<Component> visit) {
        visit.accept(component);
        if (component instanceof JComponent || component instanceof Container) {
            for (Component child : ((Container) component).getComponents()) {
                walk(child, visit);
            }
        }
    }
}
