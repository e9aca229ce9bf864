package dev.parley.app.ui.rooms;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.ListCellRenderer;
import javax.swing.SwingConstants;

/**
 * An open room: its name and members on top (with invite, members and leave), an invitation bar while the user has
 * not answered, the conversation with each member's name on their messages and membership notices as quiet system
 * lines, and a line to write in. While its window is open it follows the engine's events for the open room: its
 * changes and its new lines.
 */
public final class RoomPanel extends JPanel {
    static final int HISTORY = 500;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final Engine engine;
    private final Consumer<String> onError;
    private final JLabel title = new JLabel();
    private final JLabel subtitle = new JLabel();
    private final JButton invite = new JButton("Invite…");
    private final JButton members = new JButton("Members…");
    private final JButton leave = new JButton("Leave");
    private final JButton join = new JButton("Join");
    private final JPanel invitationBar = new JPanel(new FlowLayout(FlowLayout.LEFT));
    private final DefaultListModel<RoomMessage> lines = new DefaultListModel<>();
    private final Set<MessageId> shown = new HashSet<>();
    private final JList<RoomMessage> timeline = new JList<>(lines);
    private final JTextField composer = new JTextField();
    private RoomInfo room;

    public RoomPanel(Engine engine, Consumer<String> onError) {
        super(new BorderLayout());
        this.engine = engine;
        this.onError = onError;
        setName("roomPanel");
        title.setName("roomTitle");
        title.putClientProperty(FlatClientProperties.STYLE, "font: +2 bold");
        subtitle.setName("roomSubtitle");
        subtitle.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        invite.setName("inviteToRoom");
        members.setName("roomMembers");
        leave.setName("leaveRoom");
        invite.addActionListener(event -> RoomDialogs.invite(this, engine, room, this::showError));
        members.addActionListener(event -> RoomDialogs.members(this, room));
        leave.addActionListener(event -> act(() -> engine.rooms().leave(room.id())));

        JPanel names = new JPanel(new BorderLayout());
        names.add(title, BorderLayout.NORTH);
        names.add(subtitle, BorderLayout.SOUTH);
        JPanel actions = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        actions.add(invite);
        actions.add(members);
        actions.add(leave);
        JPanel header = new JPanel(new BorderLayout());
        header.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(10), UIScale.scale(14), UIScale.scale(10),
                UIScale.scale(10)));
        header.add(names, BorderLayout.CENTER);
        header.add(actions, BorderLayout.EAST);

        join.setName("acceptRoom");
        join.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
        join.addActionListener(event -> join());
        JButton decline = new JButton("Decline");
        decline.setName("declineRoom");
        decline.addActionListener(event -> act(() -> engine.rooms().decline(room.id())));
        invitationBar.add(new JLabel("You were invited to this room."));
        invitationBar.add(join);
        invitationBar.add(decline);

        timeline.setName("roomTimeline");
        timeline.getAccessibleContext().setAccessibleName("Messages");
        timeline.setCellRenderer(new LineRenderer());
        timeline.setFocusable(false);
        JScrollPane scroll = new JScrollPane(timeline);
        scroll.setBorder(BorderFactory.createEmptyBorder());

        composer.setName("roomComposer");
        composer.getAccessibleContext().setAccessibleName("Message");
        composer.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "Write to the room");
        composer.addActionListener(event -> send());
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(10), UIScale.scale(10),
                UIScale.scale(10)));
        bottom.add(composer);

        JPanel top = new JPanel(new BorderLayout());
        top.add(header, BorderLayout.NORTH);
        top.add(invitationBar, BorderLayout.SOUTH);
        add(top, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        add(bottom, BorderLayout.SOUTH);
        UiTasks.followWhileDisplayable(this, engine, this::onEvent);
    }

    /** Shows {@code opened} and loads its newest lines off the EDT. */
    public void open(RoomInfo opened) {
        room = opened;
        lines.clear();
        shown.clear();
        showRoom();
        UiTasks.run(() -> engine.rooms().history(opened.id(), HISTORY), history -> {
            if (room != null && room.id().equals(opened.id())) {
                history.forEach(this::append);
                UiTasks.run(() -> engine.rooms().markRead(opened.id()), read -> { }, failure -> { });
            }
        }, failure -> showError("The room could not be loaded: " + failure.getMessage()));
    }

    /** Puts the focus where the user acts in the room: the line to write in, or Join for an invitation. */
    public void focusComposer() {
        if (composer.isEnabled()) {
            composer.requestFocusInWindow();
        } else if (invitationBar.isVisible()) {
            join.requestFocusInWindow();
        }
    }

    public Optional<RoomInfo> room() {
        return Optional.ofNullable(room);
    }

    /** The room changed (members, name, the user's status): the header and bars follow. */
    public void updated(RoomInfo changed) {
        if (room != null && room.id().equals(changed.id())) {
            room = changed;
            showRoom();
        }
    }

    private void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.RoomUpdated updated -> updated(updated.room());
            case EngineEvent.RoomMessageReceived received -> received(received.message());
            default -> {
                // Not a room's.
            }
        }
    }

    /** A line arrived in some room; it shows if it is this one's. */
    private void received(RoomMessage message) {
        if (room != null && room.id().equals(message.room())) {
            append(message);
        }
    }

    /** The conversation's lines in words, oldest first. */
    public List<String> lineTexts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            texts.add(describe(lines.get(i)));
        }
        return texts;
    }

    public String subtitleText() {
        return subtitle.getText();
    }

    static String describe(RoomMessage line) {
        return line.notice() ? line.text() : (line.outgoing() ? "Me" : line.senderName()) + ": " + line.text();
    }

    private void append(RoomMessage message) {
        if (!shown.add(message.id())) {
            return;
        }
        int at = lines.size();
        while (at > 0 && compare(lines.get(at - 1), message) > 0) {
            at--;
        }
        lines.add(at, message);
        if (at == lines.size() - 1) {
            timeline.ensureIndexIsVisible(at);
        }
    }

    /** The conversation's order: hybrid-logical-clock time, then id, as every member's device has it. */
    private static int compare(RoomMessage a, RoomMessage b) {
        int byTime = Long.compare(a.hlc(), b.hlc());
        return byTime != 0 ? byTime : a.id().toString().compareTo(b.id().toString());
    }

    private void showRoom() {
        title.setText(room.name());
        long online = room.members().stream().filter(RoomInfo.Member::online).count();
        subtitle.setText(switch (room.status()) {
            case INVITED -> "invitation · " + room.members().size() + " members";
            case JOINED -> room.members().size() + (room.members().size() == 1 ? " member" : " members") + " · "
                    + online + " online";
            case LEFT -> "you are no longer in this room";
        });
        boolean admin = room.members().stream().anyMatch(member -> member.admin()
                && member.peer().equals(engine.peerId()));
        invite.setVisible(room.status() == RoomStatus.JOINED && admin);
        leave.setVisible(room.status() == RoomStatus.JOINED);
        invitationBar.setVisible(room.status() == RoomStatus.INVITED);
        composer.setEnabled(room.status() == RoomStatus.JOINED);
        composer.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, switch (room.status()) {
            case INVITED -> "Join the room to write in it";
            case JOINED -> "Write to " + room.name();
            case LEFT -> "You left this room";
        });
    }

    private void send() {
        String text = composer.getText();
        if (text.isBlank() || room == null) {
            return;
        }
        composer.setText("");
        RoomInfo to = room;
        UiTasks.run(() -> {
            MessageId id = engine.rooms().say(to.id(), text);
            return engine.rooms().history(to.id(), 20).stream().filter(line -> line.id().equals(id)).findFirst();
        }, sent -> sent.ifPresent(this::received), failure -> {
            composer.setText(text);
            showError("The message could not be sent: " + failure.getMessage());
        });
    }

    /** Joins the room shown; the Join button goes away with the invitation bar, and the focus goes to the composer. */
    private void join() {
        RoomId joining = room.id();
        UiTasks.run(() -> engine.rooms().accept(joining), joined -> {
            updated(joined);
            if (room != null && room.id().equals(joining)) {
                focusComposer();
            }
        }, failure -> showError(failure.getMessage()));
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private void act(Action action) {
        UiTasks.run(() -> {
            action.run();
            return true;
        }, done -> { }, failure -> showError(failure.getMessage()));
    }

    private void showError(String message) {
        onError.accept(message);
    }

    /** A member's message with its name and time; a notice centred and quiet. */
    private final class LineRenderer implements ListCellRenderer<RoomMessage> {
        private final JLabel label = new JLabel();

        @Override
        public Component getListCellRendererComponent(JList<? extends RoomMessage> list, RoomMessage line, int index,
                                                      boolean selected, boolean focused) {
            label.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(4), UIScale.scale(14), UIScale.scale(4),
                    UIScale.scale(14)));
            if (line.notice()) {
                label.setHorizontalAlignment(SwingConstants.CENTER);
                label.putClientProperty(FlatClientProperties.STYLE,
                        "foreground: $Label.disabledForeground; font: -1 italic");
                label.setText(line.text());
            } else {
                label.setHorizontalAlignment(line.outgoing() ? SwingConstants.RIGHT : SwingConstants.LEFT);
                label.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.foreground; font: $defaultFont");
                label.setText("<html><b>" + escape(line.outgoing() ? "Me" : line.senderName()) + "</b> <font color='gray'>"
                        + CLOCK.format(line.sentAt()) + "</font><br>" + escape(line.text()).replace("\n", "<br>")
                        + "</html>");
            }
            label.getAccessibleContext().setAccessibleName(describe(line));
            return label;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
