package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.event.MouseListener;
import java.util.ArrayList;
import java.util.List;
import javax.accessibility.AccessibleContext;
import javax.swing.AbstractButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JList;
import javax.swing.JMenu;
import javax.swing.JScrollBar;
import javax.swing.JSlider;
import javax.swing.JSpinner;
import javax.swing.JTable;
import javax.swing.JTree;
import javax.swing.text.JTextComponent;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

/**
 * Every control a user works with — buttons, fields, lists, menu entries, clickable icons and panels — has an
 * accessible name a screen reader can say, in the main window (a conversation open, then a room) and in the dialogs
 * its menus open, each of which Escape closes. A name without a letter ("+", "…") counts as none.
 */
class AccessibleNamesTest extends KeyboardWindowTest {
    @Test
    void everyControlInTheMainWindowAndItsDialogsHasAnAccessibleNameAndEscapeClosesEachDialog() throws Exception {
        bob.engine().chat().send(alice.peerId(), "a message, so that there are bubbles");
        await("Bob's message listed", () -> main(window).conversationList().lineTexts().stream()
                .anyMatch(line -> line.startsWith("Bob, 1 unread")));
        window.list("conversations").clickItem(lineOf(bob));
        awaitOpen(chatWith(bob));
        await("the bubble shown", () -> main(window).conversationPanel().timeline().messageCount() == 1);

        List<String> unnamed = new ArrayList<>(unnamed(window.target()));
        for (String[] entry : new String[][] {{"Contacts", "Contact info…", "contactInfoDialog"},
                {"Parley", "Settings…", "settings"}, {"Parley", "Export history…", "export"},
                {"Parley", "Backup…", "backupDialog"}, {"Parley", "Import history…", "importDialog"},
                {"Contacts", "Add contact…", "addContactDialog"}, {"Contacts", "My invite…", "inviteDialog"},
                {"Contacts", "People nearby…", "nearbyWindow"}, {"Contacts", "Message requests…", "requestsWindow"},
                {"Search", "Search all messages…", "search"}, {"Go", "Jump to conversation…", "jumpDialog"},
                {"Rooms", "New room…", "newRoomDialog"}}) {
            unnamed.addAll(inDialog(entry[0], entry[1], entry[2]));
        }

        window.list("rooms").clickItem(0);
        awaitOpen(new Place.Room(bookClub));
        unnamed.addAll(unnamed(window.target()));
        unnamed.addAll(inDialog("Rooms", "Invite to room…", "inviteDialog"));
        unnamed.addAll(inDialog("Rooms", "Room members…", "membersDialog"));
        assertThat(unnamed).as("controls without an accessible name").isEmpty();
    }

    /** Opens a dialog from the menus, lists its unnamed controls and closes it with Escape. */
    private List<String> inDialog(String menu, String item, String name) {
        window.menuItemWithPath(menu, item).click();
        DialogFixture dialog = WindowFinder.findDialog(name).withTimeout(WAIT.toMillis()).using(robot);
        List<String> found = unnamed(dialog.target());
        dialog.focus();
        await(item + " in front", () -> dialog.target().isFocused());
        robot.pressAndReleaseKey(KeyEvent.VK_ESCAPE);
        await(item + " closed by Escape", () -> !dialog.target().isShowing());
        return found.stream().map(problem -> item + " " + problem).toList();
    }

    /** The controls in {@code window}'s tree (menus included, shown or not) without an accessible name. */
    static List<String> unnamed(Window window) {
        return onEdt(() -> {
            List<String> found = new ArrayList<>();
            walk(window, window.getName(), found);
            return found;
        });
    }

    private static void walk(Component component, String path, List<String> found) {
        String here = path + " > " + (component.getName() != null ? component.getName()
                : component.getClass().getSimpleName());
        if (isControl(component) && !named(component.getAccessibleContext())) {
            found.add(here + " (" + component.getClass().getName() + ")");
        }
        if (component instanceof JScrollBar || component instanceof JComboBox<?> || component instanceof JSpinner) {
            return; // their parts are theirs: the whole has the name
        }
        if (component instanceof JMenu menu) {
            for (Component entry : menu.getMenuComponents()) {
                walk(entry, here, found);
            }
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                walk(child, here, found);
            }
        }
    }

    /**
     * What a user clicks, types into, selects text in or chooses from, and anything Parley itself listens to for
     * clicks. Text that can be neither edited nor focused reads as a label does.
     */
    private static boolean isControl(Component component) {
        if (component instanceof JTextComponent text) {
            return text.isEditable() || text.isFocusable();
        }
        if (component instanceof AbstractButton || component instanceof JList<?>
                || component instanceof JComboBox<?> || component instanceof JSpinner || component instanceof JSlider
                || component instanceof JTable || component instanceof JTree) {
            return true;
        }
        if (component instanceof JComponent) {
            for (MouseListener listener : component.getMouseListeners()) {
                if (listener.getClass().getName().startsWith("dev.parley.")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean named(AccessibleContext context) {
        String name = context == null ? null : context.getAccessibleName();
        return name != null && name.codePoints().anyMatch(Character::isLetter);
    }
}
