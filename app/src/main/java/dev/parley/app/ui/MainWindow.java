package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.ConversationOverview;
import dev.parley.app.engine.RoomInfo;
import dev.parley.app.engine.RoomMessage;
import dev.parley.app.ui.rooms.RoomListPanel;
import dev.parley.app.ui.rooms.RoomPanel;
import dev.parley.crypto.RoomId;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineEvent;
import dev.parley.crypto.MessageId;
import dev.parley.store.MessageState;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.Rectangle;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.SwingConstants;
import javax.swing.Timer;
import javax.swing.WindowConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window: conversations on the left, the open one on the right, the menus ({@link MainMenuBar}) on top. It
 * listens to the engine (on the EDT) and keeps list, conversation, title and notifications in step; every engine
 * call runs off the EDT.
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
    private Consumer<EngineEvent> subscriber;
    private boolean refreshing;
    private boolean refreshAgain;
    private Runnable whenListed = () -> { };

    /** @param onClosed runs on the EDT once the window is closed and its settings recorded */
    MainWindow(Engine engine, UiSettings settings, Runnable onClosed) {
        super("Parley");
        this.engine = engine;
        this.settings = settings;
        this.onClosed = onClosed;
        setName("main");
        setIconImages(AppIcon.forWindows());
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        MainMenuBar menus = new MainMenuBar(this, engine, settings, labels);
        list = new ConversationListPanel(labels, this::openConversation);
        conversation = new ConversationPanel(engine, labels, this::refreshConversations, this::markReadIfSeen);
        notifier = new Notifier(this, settings);

        JLabel nothingOpen = new JLabel("<html><div style='text-align:center'>Choose a conversation on the left"
                + " to read and write messages.</div></html>", SwingConstants.CENTER);
        nothingOpen.setName("nothingOpen");
        nothingOpen.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        nothingOpen.setBorder(BorderFactory.createEmptyBorder(0, UIScale.scale(24), 0, UIScale.scale(24)));
        right.add(nothingOpen, NOTHING_OPEN);
        right.add(conversation, CONVERSATION);
        roomList = new RoomListPanel(this::openRoom, menus::showNewRoom);
        roomPanel = new RoomPanel(engine, this::showNotice);
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
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent event) {
                close();
            }

            @Override
            public void windowActivated(WindowEvent event) {
                markReadIfSeen();
            }
        });
    }

    /** Opens a room: its lines on the right, its line in the room list chosen. */
    void openRoom(RoomId id) {
        UiTasks.run(() -> engine.room(id), found -> found.ifPresent(room -> {
            showingRoom = true;
            rightCards.show(right, ROOM);
            list.select(null);
            roomList.select(id);
            if (roomPanel.room().map(open -> !open.id().equals(id)).orElse(true)) {
                roomPanel.open(room);
            } else {
                roomPanel.updated(room);
            }
        }), failure -> showNotice("The room could not be opened: " + failure.getMessage()));
    }

    /** Reloads the room list off the EDT. */
    void refreshRooms() {
        UiTasks.run(engine::rooms, rooms -> roomList.show(rooms, showingRoom
                ? roomPanel.room().map(RoomInfo::id).orElse(null) : null),
                failure -> showNotice("The rooms could not be loaded: " + failure.getMessage()));
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

    /** The room shown on the right, if a room is. */
    Optional<RoomInfo> shownRoom() {
        return roomPanel.room().filter(room -> showingRoom);
    }

    /** Shows the window and loads the list; {@code listed} runs once the list is filled the first time. */
    void showAndLoad(Runnable listed) {
        whenListed = listed;
        setVisible(true);
        refreshConversations();
        refreshRooms();
    }

    /** Something the user should know that is not an error of theirs, e.g. a setting that could not apply. */
    void showNotice(String text) {
        Toast.of(this).show("Parley", text);
    }

    @Override
    public void addNotify() {
        super.addNotify();
        subscriber = UiTasks.subscribeOnEdt(engine, this::onEvent);
    }

    @Override
    public void removeNotify() {
        engine.unsubscribe(subscriber);
        super.removeNotify();
    }

    private void onEvent(EngineEvent event) {
        Optional<PeerId> open = conversation.peer();
        switch (event) {
            case EngineEvent.MessageReceived received -> {
                if (open.equals(Optional.of(received.message().peer()))) {
                    conversation.received(received.message());
                }
                list.model().setTyping(received.message().peer(), false);
                notifier.messageArrived(received.senderName(), received.message().text());
                refreshConversations();
            }
            case EngineEvent.Request request -> {
                if (open.equals(Optional.of(request.peer()))) {
                    conversation.received(request.message());
                }
                notifier.messageArrived(request.name() + " (request)", request.message().text());
                refreshConversations();
            }
            case EngineEvent.Delivered delivered -> {
                if (open.equals(Optional.of(delivered.peer()))) {
                    conversation.advance(delivered.id(), MessageState.DELIVERED);
                }
            }
            case EngineEvent.Read read -> {
                if (open.equals(Optional.of(read.peer()))) {
                    read.ids().forEach(id -> conversation.advance(id, MessageState.READ));
                }
            }
            case EngineEvent.Typing typing -> {
                if (open.equals(Optional.of(typing.peer()))) {
                    conversation.typingNotice();
                }
                list.model().setTyping(typing.peer(), true);
                Timer stop = new Timer((int) Engine.TYPING_INTERVAL.toMillis() + 2_000,
                        e -> list.model().setTyping(typing.peer(), false));
                stop.setRepeats(false);
                stop.start();
            }
            case EngineEvent.Presence presence -> {
                list.model().setOnline(presence.peer(), presence.online());
                refreshConversations();
            }
            case EngineEvent.ConnectionChanged changed -> {
                if (open.equals(Optional.of(changed.peer()))) {
                    conversation.header().connection(changed.connection());
                }
            }
            case EngineEvent.ContactUpdated updated -> refreshConversations();
            case EngineEvent.RequestMessagesDropped dropped -> refreshConversations();
            case EngineEvent.RoomUpdated updated -> {
                roomPanel.updated(updated.room());
                refreshRooms();
            }
            case EngineEvent.RoomInvitation invitation -> {
                notifier.messageArrived(invitation.fromName(), "invited you to " + invitation.room().name());
                refreshRooms();
            }
            case EngineEvent.RoomMessageReceived received -> {
                RoomMessage message = received.message();
                roomPanel.received(message);
                boolean seen = showingRoom && isActive()
                        && roomPanel.room().map(room -> room.id().equals(message.room())).orElse(false);
                if (!message.notice() && !message.outgoing() && !seen) {
                    notifier.messageArrived(message.senderName(), message.text());
                }
            }
            case EngineEvent.Error error -> showNotice(error.message());
            case EngineEvent.Nearby nearby -> {
                // Nearby peers are the contacts dialogs' business.
            }
            case EngineEvent.NearbyGone gone -> {
                // As above.
            }
            case EngineEvent.ReachabilityChanged changed -> {
                // Each contact's connection line says how it is reached; the verdict itself is for diagnostics.
            }
        }
    }

    /** Reloads the conversation list off the EDT; calls while a reload runs make one more reload after it. */
    void refreshConversations() {
        if (refreshing) {
            refreshAgain = true;
            return;
        }
        refreshing = true;
        UiTasks.run(engine::conversations, this::listed, failure -> {
            refreshing = false;
            showNotice("The conversation list could not be loaded: " + failure.getMessage());
        });
    }

    private void listed(List<ConversationOverview> overviews) {
        refreshing = false;
        list.show(overviews, conversation.peer().orElse(null));
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
        if (refreshAgain) {
            refreshAgain = false;
            refreshConversations();
        }
    }

    private void updateTitle() {
        int unread = list.model().totalUnread();
        setTitle(unread > 0 ? "(" + unread + ") Parley" : "Parley");
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
            refreshConversations();
            return;
        }
        if (conversation.peer().equals(Optional.of(peer)) && !showingRoom) {
            return;
        }
        showingRoom = false;
        rightCards.show(right, CONVERSATION);
        roomList.select(null);
        list.select(peer);
        settings.setLastConversation(peer.toBase58());
        conversation.open(overview.get().contact(), overview.get().unread());
        showConnection(peer);
    }

    /** Asks the engine how {@code peer} is connected (it pings, so off the EDT) and shows it if still open. */
    private void showConnection(PeerId peer) {
        UiTasks.run(() -> engine.connection(peer), info -> {
            if (conversation.peer().equals(Optional.of(peer))) {
                conversation.header().connection(info);
            }
        }, failure -> log.debug("how {} is connected could not be found: {}", peer, failure.getMessage()));
    }

    /** Opens the conversation with {@code peer} around the message {@code id}, highlighted. */
    void openConversationAt(PeerId peer, MessageId id) {
        UiTasks.run(() -> engine.contact(peer).orElseThrow(() -> new IllegalStateException(
                "that message's sender is no longer among your contacts")), contact -> {
                    rightCards.show(right, CONVERSATION);
                    list.select(peer);
                    settings.setLastConversation(peer.toBase58());
                    conversation.openAt(contact, id);
                }, failure -> showNotice("That message cannot be shown: " + failure.getMessage()));
    }

    /** Marks the open conversation read when the user can see it: shown and the window in front. */
    private void markReadIfSeen() {
        Optional<PeerId> open = conversation.peer();
        if (open.isEmpty() || !isActive() || showingRoom) {
            return;
        }
        PeerId peer = open.get();
        UiTasks.run(() -> engine.markRead(peer), count -> {
            if (count > 0) {
                refreshConversations();
            }
        }, failure -> showNotice("Could not mark the messages read: " + failure.getMessage()));
    }

    /** Records the window's bounds and the open conversation, then lets the app shut down (Quit, too). */
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
