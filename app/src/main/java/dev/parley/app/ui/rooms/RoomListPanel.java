package dev.parley.app.ui.rooms;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.lists.ChoiceSelectionModel;
import dev.parley.app.ui.lists.FocusRing;
import dev.parley.app.ui.lists.UnreadBadge;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.RoomId;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.UIManager;

/**
 * The rooms under the conversations: each with its member count, invitations marked as such, rooms left greyed, and
 * a room with unread lines in bold with their count in a badge, as the conversations show theirs. Choosing one opens
 * it; the + button makes a new one. While its window is open it reads the rooms again off the EDT after each
 * invitation, each change of a room and each new line in one.
 */
public final class RoomListPanel extends JPanel {
    private final Engine engine;
    private final Consumer<String> onError;
    private final DefaultListModel<RoomInfo> model = new DefaultListModel<>();
    private final JList<RoomInfo> list = new JList<>(model);
    private final ChoiceSelectionModel<RoomInfo> selection;
    private final Runnable onListed;
    /** The unread lines of each room listed that has any. */
    private Map<RoomId, Integer> unread = Map.of();
    /** The room open on the right, whose line stays selected across reloads; null when none is. */
    private RoomId open;
    /** The line the keyboard is on when no room is open (a conversation is): the room open last; null for none. */
    private RoomId keyboardOn;

    /**
     * @param onOpen   runs when the user chooses a room (a click, Enter, the arrow keys), also the one already open
     * @param onCreate runs when the user asks for a new room
     * @param onError  says what went wrong to the user
     * @param onListed runs on the EDT each time the rooms were listed again (their unread counts with them)
     */
    public RoomListPanel(Engine engine, Consumer<RoomId> onOpen, Runnable onCreate, Consumer<String> onError,
                         Runnable onListed) {
        super(new BorderLayout());
        this.engine = engine;
        this.onError = onError;
        this.onListed = onListed;
        JLabel title = new JLabel(text("rooms.title"));
        title.putClientProperty(FlatClientProperties.STYLE, "font: bold");
        JButton create = new JButton("+");
        create.setName("newRoom");
        create.getAccessibleContext().setAccessibleName(text("newRoom.title"));
        create.setToolTipText(text("menu.newRoom"));
        create.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        create.addActionListener(event -> onCreate.run());
        JPanel top = new JPanel(new BorderLayout());
        top.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(10), UIScale.scale(4),
                UIScale.scale(6)));
        top.add(title, BorderLayout.CENTER);
        top.add(create, BorderLayout.EAST);

        list.setName("rooms");
        list.getAccessibleContext().setAccessibleName(text("rooms.title"));
        list.setCellRenderer(new DefaultListCellRenderer() {
            private boolean keyboardOn;
            private boolean selected;
            private int unreadLines;

            @Override
            public Component getListCellRendererComponent(JList<?> rooms, Object value, int index, boolean selected,
                                                          boolean focused) {
                RoomInfo room = (RoomInfo) value;
                super.getListCellRendererComponent(rooms, describe(room), index, selected, focused);
                unreadLines = unread.getOrDefault(room.id(), 0);
                setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(12), UIScale.scale(6),
                        UIScale.scale(unreadLines > 0 ? 48 : 12)));
                setFont(rooms.getFont().deriveFont(unreadLines > 0 ? Font.BOLD : Font.PLAIN));
                setEnabled(room.status() != RoomStatus.LEFT);
                getAccessibleContext().setAccessibleName(lineText(room));
                keyboardOn = focused;
                this.selected = selected;
                return this;
            }

            @Override
            protected void paintComponent(Graphics g) {
                super.paintComponent(g);
                if (unreadLines > 0) {
                    Graphics2D g2 = (Graphics2D) g.create();
                    try {
                        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                        Font small = getFont().deriveFont(getFont().getSize2D() - 1f);
                        FontMetrics metrics = getFontMetrics(getFont());
                        int baseline = (getHeight() - metrics.getHeight()) / 2 + metrics.getAscent();
                        UnreadBadge.paint(g2, small, unreadLines, getWidth() - UIScale.scale(12), baseline, selected,
                                getForeground(), getBackground());
                    } finally {
                        g2.dispose();
                    }
                }
                FocusRing.aroundLine(g, this, keyboardOn);
            }
        });
        selection = ChoiceSelectionModel.install(list, room -> onOpen.accept(room.id()));
        JScrollPane scroll = new JScrollPane(list);
        FocusRing.around(scroll, list,
                BorderFactory.createMatteBorder(1, 0, 0, 0, UIManager.getColor("Separator.foreground")));
        add(top, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        UiTasks.followWhileDisplayable(this, engine, event -> {
            if (event instanceof EngineEvent.RoomUpdated || event instanceof EngineEvent.RoomInvitation
                    || event instanceof EngineEvent.RoomMessageReceived received && !received.message().outgoing()) {
                reload();
            }
        });
    }

    /** A room's line in words, as shown and as screen readers hear it. */
    public static String describe(RoomInfo room) {
        return switch (room.status()) {
            case INVITED -> text("rooms.line.invited", room.name());
            case JOINED -> text("rooms.line.joined", room.name(), room.members().size());
            case LEFT -> text("rooms.line.left", room.name());
        };
    }

    /** A room's line as screen readers hear it and tests read it: as shown, and how many lines are unread. */
    private String lineText(RoomInfo room) {
        int lines = unread.getOrDefault(room.id(), 0);
        return lines > 0 ? text("rooms.line.unread", describe(room), lines) : describe(room);
    }

    /** Reads the rooms and their unread counts again off the EDT. */
    public void reload() {
        record Listed(List<RoomInfo> rooms, Map<RoomId, Integer> unread) {
        }
        UiTasks.run(() -> new Listed(engine.rooms().list(), engine.rooms().unread()), listed -> {
            unread = listed.unread();
            show(listed.rooms());
            onListed.run();
        }, failure -> onError.accept(text("rooms.loadFailed", failure.getMessage())));
    }

    /** Unread lines across the rooms, as last listed. */
    public int totalUnread() {
        return unread.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Replaces the lines; the open room stays selected without opening it again. */
    private void show(List<RoomInfo> rooms) {
        model.clear();
        model.addAll(rooms);
        showSelected();
    }

    /** Marks {@code room}'s line as the open room (none for null), without opening it again. */
    public void select(RoomId room) {
        open = room;
        if (room != null) {
            keyboardOn = room;
        }
        showSelected();
    }

    private void showSelected() {
        selection.show(indexOf(open), indexOf(keyboardOn));
    }

    private int indexOf(RoomId room) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).id().equals(room)) {
                return i;
            }
        }
        return -1;
    }

    /** The rooms in the order the list shows them. */
    public List<RoomInfo> rooms() {
        return IntStream.range(0, model.size()).mapToObj(model::get).toList();
    }

    public List<String> lineTexts() {
        return IntStream.range(0, model.size()).mapToObj(i -> lineText(model.get(i))).toList();
    }
}
