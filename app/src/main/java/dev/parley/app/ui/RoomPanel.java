package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.rooms.RoomDialogs;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.RoomId;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * An open room: its name and members on top (with invite, members and leave), an invitation bar while the user has
 * not answered, and its {@link RoomConversation}: the timeline and composer of the 1:1 view, with each member's
 * name and avatar on their messages and membership notices as quiet lines. While its window is open it follows the
 * engine's changes of the open room.
 */
public final class RoomPanel extends JPanel {
    private final Engine engine;
    private final Consumer<String> onError;
    private final JLabel title = new JLabel();
    private final JLabel subtitle = new JLabel();
    private final JButton invite = new JButton(Texts.text("room.view.invite"));
    private final JButton members = new JButton(Texts.text("room.view.members"));
    private final JButton leave = new JButton(Texts.text("room.view.leave"));
    private final JButton join = new JButton(Texts.text("room.view.join"));
    private final JPanel invitationBar = new JPanel(new FlowLayout(FlowLayout.LEFT));
    private final RoomConversation conversation;
    private RoomInfo room;

    /** @param onShown runs when new lines of the open room are on screen (to mark them read) */
    public RoomPanel(Engine engine, UiSettings settings, Consumer<String> onError, Runnable onShown) {
        super(new BorderLayout());
        this.engine = engine;
        this.onError = onError;
        conversation = new RoomConversation(engine, settings, onShown);
        setName("roomPanel");
        title.setName("roomTitle");
        title.putClientProperty(FlatClientProperties.STYLE, "font: +2 bold");
        subtitle.setName("roomSubtitle");
        subtitle.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        invite.setName("inviteToRoom");
        members.setName("roomMembers");
        leave.setName("leaveRoom");
        invite.addActionListener(event -> RoomDialogs.invite(this, engine, room, this::showError));
        members.addActionListener(event -> RoomDialogs.members(this, engine, room));
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
        JButton decline = new JButton(Texts.text("room.view.decline"));
        decline.setName("declineRoom");
        decline.addActionListener(event -> act(() -> engine.rooms().decline(room.id())));
        invitationBar.add(new JLabel(Texts.text("room.view.invited")));
        invitationBar.add(join);
        invitationBar.add(decline);

        JPanel top = new JPanel(new BorderLayout());
        top.add(header, BorderLayout.NORTH);
        top.add(invitationBar, BorderLayout.SOUTH);
        add(top, BorderLayout.NORTH);
        add(conversation, BorderLayout.CENTER);
        UiTasks.followWhileDisplayable(this, engine, event -> {
            if (event instanceof EngineEvent.RoomUpdated updated) {
                updated(updated.room());
            }
        });
    }

    /** Shows {@code opened} and loads its newest lines off the EDT. */
    public void open(RoomInfo opened) {
        room = opened;
        showRoom();
        conversation.open(opened);
    }

    /** Puts the focus where the user acts in the room: the composer, or Join for an invitation. */
    public void focusComposer() {
        if (!conversation.focusComposer() && invitationBar.isVisible()) {
            join.requestFocusInWindow();
        }
    }

    public Optional<RoomInfo> room() {
        return Optional.ofNullable(room);
    }

    public RoomConversation conversation() {
        return conversation;
    }

    /** The room changed (members, name, the user's status): the header, bars and composer follow. */
    public void updated(RoomInfo changed) {
        if (room != null && room.id().equals(changed.id())) {
            room = changed;
            showRoom();
            conversation.updated(changed);
        }
    }

    /** The conversation's lines in words, oldest first. */
    public List<String> lineTexts() {
        return conversation.lineTexts();
    }

    public String subtitleText() {
        return subtitle.getText();
    }

    private void showRoom() {
        title.setText(room.name());
        long online = room.members().stream().filter(RoomInfo.Member::online).count();
        subtitle.setText(switch (room.status()) {
            case INVITED -> Texts.text("room.view.subtitle.invited", room.members().size());
            case JOINED -> Texts.text("room.view.subtitle.joined", room.members().size(), online);
            case LEFT -> room.removal().map(removal -> Texts.text("room.view.subtitle.removed", removal.byName()))
                    .orElse(Texts.text("room.view.subtitle.left"));
        });
        invite.setVisible(room.status() == RoomStatus.JOINED && RoomDialogs.isAdmin(engine, room));
        leave.setVisible(room.status() == RoomStatus.JOINED);
        invitationBar.setVisible(room.status() == RoomStatus.INVITED);
    }

    /** Joins the room shown; the Join button goes away with the invitation bar, and the focus goes to the composer. */
    private void join() {
        RoomId joining = room.id();
        UiTasks.run(() -> engine.rooms().accept(joining), joined -> {
            updated(joined);
            if (room != null && room.id().equals(joining)) {
                focusComposer();
            }
        }, failure -> showError(EngineErrors.message(failure)));
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private void act(Action action) {
        UiTasks.run(() -> {
            action.run();
            return true;
        }, done -> { }, failure -> showError(EngineErrors.message(failure)));
    }

    private void showError(String message) {
        onError.accept(Forms.sentence(message));
    }
}
