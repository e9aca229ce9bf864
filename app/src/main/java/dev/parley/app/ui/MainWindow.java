package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.ui.rooms.RoomListPanel;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.KeyEventDispatcher;
import java.awt.KeyboardFocusManager;
import java.awt.Rectangle;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window: conversations and rooms on the left, the open one on the right, the menus ({@link MainMenuBar})
 * on top. It keeps the layout, the title (which counts unread messages) and the window's state: its size and place,
 * and what is open, and it moves between what the lists show (Ctrl+Tab, Alt+Up/Down, Ctrl+K). Each panel follows
 * the engine's events itself, and {@link Notifier} announces them; every engine call runs off the EDT.
 */
final class MainWindow extends JFrame {
    private static final Logger log = LoggerFactory.getLogger(MainWindow.class);
    private static final String NOTHING_OPEN = "nothing";
    private static final String CONVERSATION = "conversation";
    private static final String ROOM = "room";

    private final Engine engine;
    private final UiSettings settings;
    private final TimeLabels labels = TimeLabels.system();
    private final ConversationListPanel list;
    private final ConversationPanel conversation;
    private final RoomListPanel roomList;
    private final RoomPanel roomPanel;
    /** Whether the right side shows the room panel rather than the 1:1 conversation. */
    private boolean showingRoom;
    private final CardLayout rightCards = new CardLayout();
    private final JPanel right = new JPanel(rightCards);
    private final JSplitPane split;
    private final Notifier notifier;
    private final Runnable onClosed;
    private Runnable whenListed = () -> { };
    /**
     * Ctrl+Tab and Ctrl+Shift+Tab move between conversations wherever the focus is in the window. They are taken
     * before AWT's focus traversal, which claims them, and before the split panes and text areas, which bind them.
     */
    private final KeyEventDispatcher conversationKeys = event -> {
        boolean ctrlTab = event.getKeyCode() == KeyEvent.VK_TAB && event.isControlDown() && !event.isAltDown()
                && !event.isMetaDown();
        if (!ctrlTab || !isInThisWindow(event.getComponent())) {
            return false;
        }
        if (event.getID() == KeyEvent.KEY_PRESSED) {
            openNext(event.isShiftDown() ? -1 : 1);
        }
        event.consume();
        return true;
    };

    /** @param onClosed runs on the EDT once the window is closed and its settings recorded */
    MainWindow(Engine engine, UiSettings settings, Runnable onClosed) {
        super(text("app.name"));
        this.engine = engine;
        this.settings = settings;
        this.onClosed = onClosed;
        setName("main");
        setIconImages(AppIcon.forWindows());
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        MainMenuBar menus = new MainMenuBar(this, engine, settings, labels);
        list = new ConversationListPanel(engine, labels, this::openConversation, this::listed, this::showNotice);
        conversation = new ConversationPanel(engine, labels, settings, list::reload, this::markReadIfSeen);
        notifier = new Notifier(this, engine, settings, this::roomInSight, this::roomName);

        JLabel nothingOpen = new JLabel(Forms.centeredHtml(text("main.nothingOpen")), SwingConstants.CENTER);
        nothingOpen.setName("nothingOpen");
        nothingOpen.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        nothingOpen.setBorder(BorderFactory.createEmptyBorder(0, UIScale.scale(24), 0, UIScale.scale(24)));
        right.add(nothingOpen, NOTHING_OPEN);
        right.add(conversation, CONVERSATION);
        roomList = new RoomListPanel(engine, this::openRoom, menus::showNewRoom, this::showNotice, this::updateTitle);
        roomPanel = new RoomPanel(engine, settings, this::showNotice, this::markRoomReadIfSeen);
        right.add(roomPanel, ROOM);
        JSplitPane left = new JSplitPane(JSplitPane.VERTICAL_SPLIT, list, roomList);
        left.setBorder(BorderFactory.createEmptyBorder());
        left.setDividerSize(UIScale.scale(1));
        left.setResizeWeight(0.7);

        split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, right);
        split.setBorder(BorderFactory.createEmptyBorder());
        split.setDividerSize(UIScale.scale(1));
        split.setContinuousLayout(true);
        split.setDividerLocation(UIScale.scale(settings.listWidth().orElse(320)));
        list.setMinimumSize(new Dimension(UIScale.scale(220), 0));
        right.setMinimumSize(new Dimension(UIScale.scale(320), 0));
        add(split, BorderLayout.CENTER);
        conversation.header().onClicked(menus::showContactInfo);
        setJMenuBar(menus);

        setMinimumSize(new Dimension(UIScale.scale(640), UIScale.scale(420)));
        Optional<Rectangle> bounds = settings.windowBounds();
        if (bounds.isPresent()) {
            setBounds(bounds.get());
        } else {
            setSize(UIScale.scale(1040), UIScale.scale(700));
            setLocationRelativeTo(null);
        }
        if (settings.windowMaximized()) {
            setExtendedState(Frame.MAXIMIZED_BOTH);
        }
        whereverTheFocusIs("alt DOWN", () -> openNext(1));
        whereverTheFocusIs("alt UP", () -> openNext(-1));
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent event) {
                requestClose();
            }

            @Override
            public void windowActivated(WindowEvent event) {
                markReadIfSeen();
                markRoomReadIfSeen();
            }
        });
    }

    @Override
    public void addNotify() {
        super.addNotify();
        KeyboardFocusManager.getCurrentKeyboardFocusManager().addKeyEventDispatcher(conversationKeys);
    }

    @Override
    public void removeNotify() {
        KeyboardFocusManager.getCurrentKeyboardFocusManager().removeKeyEventDispatcher(conversationKeys);
        super.removeNotify();
    }

    Engine engine() {
        return engine;
    }

    ConversationListPanel conversationList() {
        return list;
    }

    ConversationPanel conversationPanel() {
        return conversation;
    }

    RoomListPanel roomList() {
        return roomList;
    }

    RoomPanel roomPanel() {
        return roomPanel;
    }

    /** Shows the window and loads the lists; {@code listed} runs once the conversations are listed the first time. */
    void showAndLoad(Runnable listed) {
        whenListed = listed;
        setVisible(true);
        list.reload();
        roomList.reload();
    }

    /** Something the user should know that is not an error of theirs, e.g. a setting that could not apply. */
    void showNotice(String text) {
        notifier.notice(text);
    }

    /**
     * The conversations were listed again: the title counts the unread, the open conversation shows its contact as
     * it is now, and at the start the conversation open when the window was last closed opens again.
     */
    private void listed(List<ConversationOverview> overviews) {
        updateTitle();
        conversation.peer().flatMap(peer -> list.model().find(peer))
                .ifPresent(o -> conversation.contactChanged(o.contact()));
        Runnable listedNow = whenListed;
        whenListed = () -> { };
        if (conversation.peer().isEmpty()) {
            settings.lastConversation().flatMap(last -> overviews.stream()
                    .filter(o -> o.contact().peer().toBase58().equals(last)).findFirst())
                    .ifPresent(o -> openConversation(o.contact().peer()));
        }
        listedNow.run();
    }

    /**
     * "(n) Parley — name": the unread messages of the conversations and rooms as last listed (none shown when 0), and
     * the user's own name, so that windows of two profiles tell apart.
     */
    void updateTitle() {
        int unread = list.model().totalUnread() + roomList.totalUnread();
        String title = text("main.title", engine.card().displayName());
        setTitle(unread > 0 ? text("main.title.unread", unread, title) : title);
    }

    private boolean isInThisWindow(Component component) {
        return component == this || component != null && SwingUtilities.getWindowAncestor(component) == this;
    }

    /** Runs {@code action} on {@code key} (a key stroke such as "alt DOWN") wherever the focus is in the window. */
    private void whereverTheFocusIs(String key, Runnable action) {
        getRootPane().getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke(key), key);
        getRootPane().getActionMap().put(key, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                action.run();
            }
        });
    }

    /** What the lists show, in their order: the conversations (as the search box narrows them), then the rooms. */
    List<Place> places() {
        List<Place> places = new ArrayList<>();
        list.shownPeers().forEach(peer -> places.add(new Place.Contact(peer)));
        roomList.rooms().forEach(room -> places.add(new Place.Room(room.id())));
        return places;
    }

    /** What is open on the right, if anything is. */
    Optional<Place> openPlace() {
        if (showingRoom) {
            return roomPanel.room().map(room -> new Place.Room(room.id()));
        }
        return conversation.peer().map(Place.Contact::new);
    }

    /**
     * Opens the conversation or room {@code step} lines below the open one in the lists (above it for a negative
     * step), going round from the last to the first and back; the first (or last) when nothing open is listed. The
     * focus follows to the new one's composer when it was on the right side; in a list, it stays there.
     */
    void openNext(int step) {
        List<Place> places = places();
        if (places.isEmpty()) {
            return;
        }
        int at = openPlace().map(places::indexOf).orElse(-1);
        int next = at < 0 ? (step > 0 ? 0 : places.size() - 1) : Math.floorMod(at + step, places.size());
        Component focused = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
        open(places.get(next), focused == null || SwingUtilities.isDescendingFrom(focused, right));
    }

    /** Ctrl+K: asks which conversation or room to open by name, opens it and puts the focus where one writes. */
    void jumpToConversation() {
        List<JumpDialog.Entry> entries = new ArrayList<>();
        for (ConversationOverview overview : list.model().all()) {
            entries.add(new JumpDialog.Entry(new Place.Contact(overview.contact().peer()), overview.contact().name(),
                    text(overview.contact().status() == ContactStatus.REQUEST ? "jump.kind.request"
                            : "jump.kind.contact")));
        }
        for (RoomInfo room : roomList.rooms()) {
            entries.add(new JumpDialog.Entry(new Place.Room(room.id()), room.name(), text("jump.kind.room")));
        }
        Optional<Place> chosen = JumpDialog.choose(this, entries);
        takeBackTheFocus();
        chosen.ifPresent(place -> open(place, true));
    }

    /**
     * Asks for the focus back after a dialog of ours closed, to where it was. A window manager gives it back to the
     * window a dialog came from; without one (Xvfb), no window has it, and a focus request within the window waits.
     */
    private void takeBackTheFocus() {
        if (!isFocused()) {
            Component last = getMostRecentFocusOwner();
            (last != null ? last : getRootPane()).requestFocus();
        }
    }

    /** Opens {@code place}; with {@code focus}, the focus goes where the user writes in it. */
    private void open(Place place, boolean focus) {
        switch (place) {
            case Place.Contact contact -> {
                openConversation(contact.peer());
                if (focus) {
                    conversation.focusComposer();
                }
            }
            case Place.Room room -> openRoom(room.id(), focus ? roomPanel::focusComposer : () -> { });
        }
    }

    /** Opens the conversation with {@code peer} at its newest messages. */
    void openConversation(PeerId peer) {
        Optional<ConversationOverview> overview = list.model().find(peer);
        if (overview.isEmpty()) {
            // A contact added a moment ago is listed by the next reload: open it then.
            Runnable before = whenListed;
            whenListed = () -> {
                before.run();
                list.model().find(peer).ifPresent(found -> openConversation(peer));
            };
            list.reload();
            return;
        }
        if (conversation.peer().equals(Optional.of(peer)) && !showingRoom) {
            return;
        }
        showConversation(peer);
        conversation.open(overview.get().contact(), overview.get().unread());
        showConnection(peer);
    }

    /** Asks the engine how {@code peer} is connected (it pings, so off the EDT) and shows it if still open. */
    private void showConnection(PeerId peer) {
        UiTasks.run(() -> engine.contacts().connection(peer), info -> {
            if (conversation.peer().equals(Optional.of(peer))) {
                conversation.header().connection(info);
            }
        }, failure -> log.debug("how {} is connected could not be found: {}", peer, failure.getMessage()));
    }

    /** Opens the conversation with {@code peer} around the message {@code id}, highlighted. */
    void openConversationAt(PeerId peer, MessageId id) {
        UiTasks.run(() -> engine.contacts().get(peer).orElseThrow(() -> new IllegalStateException(
                text("main.senderGone"))), contact -> {
                    showConversation(peer);
                    conversation.openAt(contact, id);
                }, failure -> showNotice(text("main.messageUnavailable", failure.getMessage())));
    }

    /** The conversation with {@code peer} takes the right side, its line chosen in the list and no room's. */
    private void showConversation(PeerId peer) {
        showingRoom = false;
        rightCards.show(right, CONVERSATION);
        roomList.select(null);
        list.select(peer);
        settings.setLastConversation(peer.toBase58());
    }

    /** Opens a room: its lines on the right, its line in the room list chosen. */
    void openRoom(RoomId id) {
        openRoom(id, () -> { });
    }

    /** Opens a room, then runs {@code then} on the EDT once it is shown. */
    private void openRoom(RoomId id, Runnable then) {
        UiTasks.run(() -> engine.rooms().get(id), found -> found.ifPresent(room -> {
            showingRoom = true;
            rightCards.show(right, ROOM);
            list.select(null);
            roomList.select(id);
            if (roomPanel.room().map(open -> !open.id().equals(id)).orElse(true)) {
                roomPanel.open(room);
            } else {
                roomPanel.updated(room);
            }
            then.run();
        }), failure -> showNotice(text("main.roomUnavailable", failure.getMessage())));
    }

    /** The room shown on the right, if a room is. */
    Optional<RoomInfo> shownRoom() {
        return roomPanel.room().filter(room -> showingRoom);
    }

    /** Whether the user has the room {@code id} before their eyes: shown, and the window in front. */
    private boolean roomInSight(RoomId id) {
        return showingRoom && isActive() && roomPanel.room().map(room -> room.id().equals(id)).orElse(false);
    }

    /** The name of a room as last listed, for a notification of a line in it. */
    private Optional<String> roomName(RoomId id) {
        return roomList.rooms().stream().filter(room -> room.id().equals(id)).map(RoomInfo::name).findFirst();
    }

    /** Marks the open room read when the user can see it: shown and the window in front. */
    private void markRoomReadIfSeen() {
        Optional<RoomId> open = roomPanel.room().map(RoomInfo::id);
        if (open.isEmpty() || !isActive() || !showingRoom) {
            return;
        }
        RoomId id = open.get();
        UiTasks.run(() -> engine.rooms().markRead(id), count -> {
            if (count > 0) {
                roomList.reload();
            }
        }, failure -> showNotice(text("main.roomNotMarkedRead", failure.getMessage())));
    }

    /** Marks the open conversation read when the user can see it: shown and the window in front. */
    private void markReadIfSeen() {
        Optional<PeerId> open = conversation.peer();
        if (open.isEmpty() || !isActive() || showingRoom) {
            return;
        }
        PeerId peer = open.get();
        UiTasks.run(() -> engine.chat().markRead(peer), count -> {
            if (count > 0) {
                list.reload();
            }
        }, failure -> showNotice(text("main.messagesNotMarkedRead", failure.getMessage())));
    }

    /**
     * Quit, and closing the window: closes it at once when everything we sent is delivered, and otherwise only when
     * the user says so in the {@link QuitWarning}, since undelivered messages wait until Parley runs again.
     */
    void requestClose() {
        UiTasks.run(() -> QuitWarning.Waiting.of(engine.chat().undelivered(), engine.rooms().undelivered()),
                undelivered -> {
            if (undelivered.isEmpty() || QuitWarning.confirm(this, undelivered)) {
                close();
            }
        }, failure -> close());
    }

    /** Records the window's bounds and the open conversation, then lets the app shut down. */
    void close() {
        boolean maximized = (getExtendedState() & Frame.MAXIMIZED_BOTH) == Frame.MAXIMIZED_BOTH;
        settings.setWindowMaximized(maximized);
        if (!maximized) {
            settings.setWindowBounds(getBounds());
        }
        settings.setListWidth(Math.round(split.getDividerLocation() / UIScale.getUserScaleFactor()));
        conversation.peer().ifPresent(peer -> settings.setLastConversation(peer.toBase58()));
        notifier.close();
        dispose();
        onClosed.run();
    }
}
