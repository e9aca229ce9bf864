package dev.parley.app.ui.rooms;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.lists.ChoiceSelectionModel;
import dev.parley.app.ui.lists.FocusRing;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.RoomId;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Graphics;
import java.util.List;
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
 * The rooms under the conversations: each with its member count, invitations marked as such, rooms left greyed.
 * Choosing one opens it; the + button makes a new one. While its window is open it reads the rooms again off the
 * EDT after each invitation and each change of a room.
 */
public final class RoomListPanel extends JPanel {
    private final Engine engine;
    private final Consumer<String> onError;
    private final DefaultListModel<RoomInfo> model = new DefaultListModel<>();
    private final JList<RoomInfo> list = new JList<>(model);
    private final ChoiceSelectionModel<RoomInfo> selection;
    /** The room open on the right, whose line stays selected across reloads; null when none is. */
    private RoomId open;
    /** The line the keyboard is on when no room is open (a conversation is): the room open last; null for none. */
    private RoomId keyboardOn;

    /**
     * @param onOpen   runs when the user chooses a room (a click, Enter, the arrow keys), also the one already open
     * @param onCreate runs when the user asks for a new room
     * @param onError  says what went wrong to the user
     */
    public RoomListPanel(Engine engine, Consumer<RoomId> onOpen, Runnable onCreate, Consumer<String> onError) {
        super(new BorderLayout());
        this.engine = engine;
        this.onError = onError;
        JLabel title = new JLabel("Rooms");
        title.putClientProperty(FlatClientProperties.STYLE, "font: bold");
        JButton create = new JButton("+");
        create.setName("newRoom");
        create.getAccessibleContext().setAccessibleName("New room");
        create.setToolTipText("New room…");
        create.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        create.addActionListener(event -> onCreate.run());
        JPanel top = new JPanel(new BorderLayout());
        top.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(10), UIScale.scale(4),
                UIScale.scale(6)));
        top.add(title, BorderLayout.CENTER);
        top.add(create, BorderLayout.EAST);

        list.setName("rooms");
        list.getAccessibleContext().setAccessibleName("Rooms");
        list.setCellRenderer(new DefaultListCellRenderer() {
            private boolean keyboardOn;

            @Override
            public Component getListCellRendererComponent(JList<?> rooms, Object value, int index, boolean selected,
                                                          boolean focused) {
                super.getListCellRendererComponent(rooms, describe((RoomInfo) value), index, selected, focused);
                setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(12), UIScale.scale(6),
                        UIScale.scale(12)));
                setEnabled(((RoomInfo) value).status() != RoomStatus.LEFT);
                keyboardOn = focused;
                return this;
            }

            @Override
            protected void paintComponent(Graphics g) {
                super.paintComponent(g);
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
            if (event instanceof EngineEvent.RoomUpdated || event instanceof EngineEvent.RoomInvitation) {
                reload();
            }
        });
    }

    /** A room's line in words, as shown and as screen readers hear it. */
    public static String describe(RoomInfo room) {
        return room.name() + switch (room.status()) {
            case INVITED -> " — invitation";
            case JOINED -> " · " + room.members().size() + (room.members().size() == 1 ? " member" : " members");
            case LEFT -> " — left";
        };
    }

    /** Reads the rooms again off the EDT. */
    public void reload() {
        UiTasks.run(() -> engine.rooms().list(), this::show,
                failure -> onError.accept("The rooms could not be loaded: " + failure.getMessage()));
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
        return IntStream.range(0, model.size()).mapToObj(i -> describe(model.get(i))).toList();
    }
}
