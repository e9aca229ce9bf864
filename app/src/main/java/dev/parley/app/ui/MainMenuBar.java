package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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
import java.util.Locale;
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
        JMenu parley = menu("menu.parley", "menu.parley.mnemonic");
        parley.add(item("menu.settings", "ctrl COMMA", this::showSettings));
        parley.add(item("menu.export", "ctrl E", this::showExport));
        parley.add(item("menu.backup", null, () -> new BackupDialog(window, engine).setVisible(true)));
        parley.add(item("menu.restore", null, () -> RestoreDialog.explainOnARunningProfile(window)));
        parley.add(item("menu.import", null, () -> new ImportHistoryDialog(window, engine).setVisible(true)));
        parley.addSeparator();
        parley.add(item("menu.quit", "ctrl Q", window::requestClose));
        return parley;
    }

    /** The Contacts menu: adding people, inviting them, requests, and who a contact is. */
    private JMenu contactsMenu() {
        JMenu contacts = menu("menu.contacts", "menu.contacts.mnemonic");
        contacts.add(item("menu.addContact", "ctrl N", this::showAddContact));
        contacts.add(item("menu.myInvite", "ctrl I", () -> InviteDialog.show(window, engine)));
        contacts.add(item("menu.copyInvite", "ctrl shift I", this::copyInviteCode));
        contacts.addSeparator();
        contacts.add(item("menu.nearby", "ctrl shift N", this::showNearby));
        contacts.add(item("menu.requests", "ctrl shift R", this::showRequests));
        contacts.addSeparator();
        contacts.add(item("menu.contactInfo", "ctrl shift K", this::showContactInfo));
        return contacts;
    }

    /** The Rooms menu: a new room, inviting into the open one, its members. */
    private JMenu roomsMenu() {
        JMenu rooms = menu("menu.rooms", "menu.rooms.mnemonic");
        rooms.add(item("menu.newRoom", "ctrl G", this::showNewRoom));
        rooms.add(item("menu.roomInvite", "ctrl shift G", () -> withShownRoom(room ->
                RoomDialogs.invite(window, engine, room, window::showNotice))));
        rooms.add(item("menu.roomMembers", null,
                () -> withShownRoom(room -> RoomDialogs.members(window, engine, room))));
        return rooms;
    }

    /**
     * The Go menu: between conversations and rooms. Ctrl+Tab is taken by the window before the menu sees it (see
     * MainWindow); the menu shows the keys and works with the mouse. Alt+Down and Alt+Up do the same as its first two.
     */
    private JMenu goMenu() {
        JMenu go = menu("menu.go", "menu.go.mnemonic");
        go.add(item("menu.next", "ctrl TAB", () -> window.openNext(1)));
        go.add(item("menu.previous", "ctrl shift TAB", () -> window.openNext(-1)));
        go.addSeparator();
        go.add(item("menu.jump", "ctrl K", window::jumpToConversation));
        return go;
    }

    private JMenu searchMenu() {
        JMenu find = menu("menu.search", "menu.search.mnemonic");
        find.add(item("menu.findConversation", "ctrl F",
                () -> window.conversationList().filterField().requestFocusInWindow()));
        find.add(item("menu.searchMessages", "ctrl shift F", this::showSearch));
        return find;
    }

    /**
     * A menu named as in English whatever language it shows, so that scripts and tests find it in any; its Alt key is
     * the language's own ({@code mnemonicKey}: one letter of the menu's title, "K" for "Kontakte").
     */
    private static JMenu menu(String key, String mnemonicKey) {
        JMenu menu = new JMenu(text(key));
        menu.setName(text(Locale.ENGLISH, key));
        menu.setMnemonic(text(mnemonicKey).charAt(0));
        return menu;
    }

    private static JMenuItem item(String key, String keys, Runnable action) {
        JMenuItem item = new JMenuItem(text(key));
        item.setName(text(Locale.ENGLISH, key));
        if (keys != null) {
            item.setAccelerator(KeyStroke.getKeyStroke(keys));
        }
        item.addActionListener(event -> action.run());
        return item;
    }

    private void showSettings() {
        new SettingsDialog(window, engine, settings).setVisible(true);
        // The dialog is modal and closes only once a new name is the engine's: the title shows it now, not at the
        // list's next reload.
        window.updateTitle();
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
            window.showNotice(text("menu.copyInvite.done"));
        }, failure -> window.showNotice(text("menu.copyInvite.failed", failure.getMessage())));
    }

    /** Nearby peers in a window of their own that stays open beside the chat; adding one opens its conversation. */
    private void showNearby() {
        if (nearby == null) {
            NearbyPanel panel = new NearbyPanel(engine);
            panel.onContactAdded(added -> window.openConversation(added.peer()));
            nearby = panelWindow(text("nearby.title"), "nearbyWindow", panel);
        }
        nearby.setVisible(true);
        nearby.toFront();
    }

    private void showRequests() {
        if (requests == null) {
            RequestsPanel panel = new RequestsPanel(engine);
            panel.onAccepted(accepted -> window.openConversation(accepted.peer()));
            requests = panelWindow(text("requests.title"), "requestsWindow", panel);
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
            window.showNotice(text("menu.contactInfo.noConversation"));
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
                () -> window.showNotice(text("menu.noRoom")));
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
