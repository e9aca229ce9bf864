package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.ui.contacts.AddContactDialog;
import dev.parley.app.ui.contacts.ContactInfoDialog;
import dev.parley.app.ui.contacts.InviteDialog;
import dev.parley.app.ui.contacts.NearbyPanel;
import dev.parley.app.ui.contacts.RequestsPanel;
import dev.parley.app.ui.rooms.RoomDialogs;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Dialog;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.awt.event.KeyEvent;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.JDialog;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.KeyStroke;

/**
 * The main window's menus, all of them, and the dialogs their entries open: one place to add entries (and keys). What a
 * dialog brings (a contact added, a room made, a search hit chosen) opens in the window.
 */
final class MainMenuBar extends JMenuBar {
    private final MainWindow window;
    private final Engine engine;
    private final UiSettings settings;
    private final TimeLabels labels;
    private MessageSearchDialog search;
    private JDialog nearby;
    private JDialog requests;

    MainMenuBar(MainWindow window, Engine engine, UiSettings settings, TimeLabels labels) {
        this.window = window;
        this.engine = engine;
        this.settings = settings;
        this.labels = labels;
        add(parleyMenu());
        add(contactsMenu());
        add(roomsMenu());
        add(goMenu());
        add(searchMenu());
    }

    private JMenu parleyMenu() {
        JMenu parley = new JMenu("Parley");
        parley.setMnemonic(KeyEvent.VK_P);
        parley.add(item("Settings…", "ctrl COMMA", this::showSettings));
        parley.add(item("Export history…", "ctrl E", this::showExport));
        parley.add(item("Backup…", null, () -> new BackupDialog(window, engine).setVisible(true)));
        parley.add(item("Restore…", null, () -> RestoreDialog.explainOnARunningProfile(window)));
        parley.add(item("Import history…", null, () -> new ImportHistoryDialog(window, engine).setVisible(true)));
        parley.addSeparator();
        parley.add(item("Quit", "ctrl Q", window::requestClose));
        return parley;
    }

    /** The Contacts menu: adding people, inviting them, requests, and who a contact is. */
    private JMenu contactsMenu() {
        JMenu contacts = new JMenu("Contacts");
        contacts.setMnemonic(KeyEvent.VK_C);
        contacts.add(item("Add contact…", "ctrl N", this::showAddContact));
        contacts.add(item("My invite…", "ctrl I", () -> InviteDialog.show(window, engine)));
        contacts.add(item("Copy my invite code", "ctrl shift I", this::copyInviteCode));
        contacts.addSeparator();
        contacts.add(item("People nearby…", "ctrl shift N", this::showNearby));
        contacts.add(item("Message requests…", "ctrl shift R", this::showRequests));
        contacts.addSeparator();
        contacts.add(item("Contact info…", "ctrl shift K", this::showContactInfo));
        return contacts;
    }

    /** The Rooms menu: a new room, inviting into the open one, its members. */
    private JMenu roomsMenu() {
        JMenu rooms = new JMenu("Rooms");
        rooms.setMnemonic(KeyEvent.VK_R);
        rooms.add(item("New room…", "ctrl G", this::showNewRoom));
        rooms.add(item("Invite to room…", "ctrl shift G", () -> withShownRoom(room ->
                RoomDialogs.invite(window, engine, room, window::showNotice))));
        rooms.add(item("Room members…", null, () -> withShownRoom(room -> RoomDialogs.members(window, engine, room))));
        return rooms;
    }

    /**
     * The Go menu: between conversations and rooms. Ctrl+Tab is taken by the window before the menu sees it (see
     * MainWindow); the menu shows the keys and works with the mouse. Alt+Down and Alt+Up do the same as its first two.
     */
    private JMenu goMenu() {
        JMenu go = new JMenu("Go");
        go.setMnemonic(KeyEvent.VK_G);
        go.add(item("Next conversation", "ctrl TAB", () -> window.openNext(1)));
        go.add(item("Previous conversation", "ctrl shift TAB", () -> window.openNext(-1)));
        go.addSeparator();
        go.add(item("Jump to conversation…", "ctrl K", window::jumpToConversation));
        return go;
    }

    private JMenu searchMenu() {
        JMenu find = new JMenu("Search");
        find.setMnemonic(KeyEvent.VK_S);
        find.add(item("Find a conversation", "ctrl F",
                () -> window.conversationList().filterField().requestFocusInWindow()));
        find.add(item("Search all messages…", "ctrl shift F", this::showSearch));
        return find;
    }

    private static JMenuItem item(String text, String keys, Runnable action) {
        JMenuItem item = new JMenuItem(text);
        item.setName(text);
        if (keys != null) {
            item.setAccelerator(KeyStroke.getKeyStroke(keys));
        }
        item.addActionListener(event -> action.run());
        return item;
    }

    private void showSettings() {
        new SettingsDialog(window, engine, settings).setVisible(true);
    }

    private void showExport() {
        new ExportDialog(window, engine, shownConversation()).setVisible(true);
    }

    /** The conversation shown on the right, if one is: a room's or a contact's. */
    private Optional<ExportDialog.Conversation> shownConversation() {
        return window.shownRoom().map(ExportDialog.Conversation::of).or(() -> window.conversationPanel().contact()
                .map(contact -> ExportDialog.Conversation.with(engine, contact)));
    }

    private void showAddContact() {
        AddContactDialog.show(window, engine).ifPresent(added -> {
            window.conversationList().reload();
            window.openConversation(added.peer());
        });
    }

    private void copyInviteCode() {
        UiTasks.run(engine::invite, code -> {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(code), null);
            window.showNotice("Your invite code is copied. Send it to a friend; they add you with it.");
        }, failure -> window.showNotice("No invite code: " + failure.getMessage()));
    }

    /** Nearby peers in a window of their own that stays open beside the chat; adding one opens its conversation. */
    private void showNearby() {
        if (nearby == null) {
            NearbyPanel panel = new NearbyPanel(engine);
            panel.onContactAdded(added -> window.openConversation(added.peer()));
            nearby = panelWindow("People nearby", "nearbyWindow", panel);
        }
        nearby.setVisible(true);
        nearby.toFront();
    }

    private void showRequests() {
        if (requests == null) {
            RequestsPanel panel = new RequestsPanel(engine);
            panel.onAccepted(accepted -> window.openConversation(accepted.peer()));
            requests = panelWindow("Message requests", "requestsWindow", panel);
        }
        requests.setVisible(true);
        requests.toFront();
    }

    private JDialog panelWindow(String title, String name, JPanel panel) {
        JDialog dialog = new JDialog(window, title, Dialog.ModalityType.MODELESS);
        dialog.setName(name);
        dialog.setContentPane(panel);
        Forms.closeOnEscape(dialog, () -> dialog.setVisible(false));
        dialog.setSize(UIScale.scale(420), UIScale.scale(480));
        dialog.setLocationRelativeTo(window);
        return dialog;
    }

    /** Who the open conversation is with: safety number, connection, block. Also a click on its header. */
    void showContactInfo() {
        Optional<PeerId> open = window.conversationPanel().peer();
        if (open.isEmpty()) {
            window.showNotice("Open a conversation first to see who it is with.");
            return;
        }
        ContactInfoDialog.show(window, engine, open.get());
    }

    /** Makes a room and opens it. Also the + button above the rooms. */
    void showNewRoom() {
        RoomDialogs.create(window, engine, created -> {
            window.roomList().reload();
            window.openRoom(created.id());
        });
    }

    private void withShownRoom(Consumer<RoomInfo> action) {
        window.shownRoom().ifPresentOrElse(action,
                () -> window.showNotice("Open a room first, from the list of rooms on the left."));
    }

    /** Searches all messages in a window that stays open; choosing a hit opens its conversation there. */
    private void showSearch() {
        if (search == null) {
            search = new MessageSearchDialog(window, engine, labels, window::openConversationAt);
        }
        search.setVisible(true);
        search.toFront();
    }
}
