package dev.parley.app.ui.rooms;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dialog;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;

/** The rooms' dialogs: a new room, inviting contacts into one, and who is in one. Escape closes each. */
public final class RoomDialogs {
    private RoomDialogs() {
    }

    /** Asks for a name and creates the room; {@code created} gets it on the EDT. */
    public static void create(Component parent, Engine engine, Consumer<RoomInfo> created) {
        JDialog dialog = dialog(parent, "New room", "newRoomDialog");
        JTextField name = new JTextField(24);
        name.setName("roomName");
        JLabel error = new JLabel(" ");
        error.setName("roomError");
        error.putClientProperty(FlatClientProperties.STYLE, "foreground: $Component.error.focusedBorderColor");
        JButton ok = new JButton("Create");
        ok.setName("createRoom");
        Runnable submit = () -> {
            String wanted = name.getText().strip();
            ok.setEnabled(false);
            UiTasks.run(() -> engine.rooms().create(wanted), room -> {
                dialog.dispose();
                created.accept(room);
            }, failure -> {
                ok.setEnabled(true);
                error.setText(failure.getMessage());
            });
        };
        ok.addActionListener(event -> submit.run());
        name.addActionListener(event -> submit.run());
        JPanel form = new JPanel(new BorderLayout(0, UIScale.scale(6)));
        JLabel label = new JLabel("Room name");
        label.setLabelFor(name);
        form.add(label, BorderLayout.NORTH);
        form.add(name, BorderLayout.CENTER);
        form.add(error, BorderLayout.SOUTH);
        show(dialog, parent, form, ok);
    }

    /** Lets an admin choose contacts who are not in {@code room} yet, and invites them. */
    public static void invite(Component parent, Engine engine, RoomInfo room, Consumer<String> onError) {
        Set<PeerId> inside = room.members().stream().map(RoomInfo.Member::peer).collect(Collectors.toSet());
        List<ContactInfo> candidates = engine.contacts().accepted().stream()
                .filter(contact -> !inside.contains(contact.peer()))
                .toList();
        JDialog dialog = dialog(parent, "Invite to " + room.name(), "inviteDialog");
        JPanel boxes = new JPanel(new GridLayout(0, 1));
        List<JCheckBox> choices = new ArrayList<>();
        for (ContactInfo contact : candidates) {
            JCheckBox box = new JCheckBox(contact.name());
            box.setName("invite " + contact.name());
            choices.add(box);
            boxes.add(box);
        }
        if (candidates.isEmpty()) {
            boxes.add(new JLabel("All your contacts are in this room already."));
        }
        JButton ok = new JButton("Invite");
        ok.setName("sendInvitations");
        ok.addActionListener(event -> {
            List<PeerId> chosen = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
                if (choices.get(i).isSelected()) {
                    chosen.add(candidates.get(i).peer());
                }
            }
            dialog.dispose();
            UiTasks.run(() -> {
                for (PeerId peer : chosen) {
                    engine.rooms().invite(room.id(), peer);
                }
                return chosen.size();
            }, invited -> { }, failure -> onError.accept("Not everyone could be invited: " + failure.getMessage()));
        });
        JScrollPane scroll = new JScrollPane(boxes);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        show(dialog, parent, scroll, ok);
    }

    /** The members of {@code room}, with their roles and whether they are online. */
    public static void members(Component parent, RoomInfo room) {
        JDialog dialog = dialog(parent, room.name() + " — members", "membersDialog");
        JList<String> list = new JList<>(room.members().stream().map(RoomDialogs::describe).toArray(String[]::new));
        list.setName("memberList");
        list.getAccessibleContext().setAccessibleName("Members");
        JButton close = new JButton("Close");
        close.addActionListener(event -> dialog.dispose());
        show(dialog, parent, new JScrollPane(list), close);
    }

    /** A member in words: name, role and presence. */
    public static String describe(RoomInfo.Member member) {
        return member.name() + (member.admin() ? " · admin" : "") + (member.online() ? " · online" : " · offline");
    }

    private static JDialog dialog(Component parent, String title, String name) {
        JDialog dialog = new JDialog(SwingUtilities.getWindowAncestor(parent), title, Dialog.ModalityType.MODELESS);
        dialog.setName(name);
        return dialog;
    }

    private static void show(JDialog dialog, Component parent, Component content, JButton primary) {
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(primary);
        JPanel pane = new JPanel(new BorderLayout(0, UIScale.scale(10)));
        pane.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(14), UIScale.scale(16), UIScale.scale(10),
                UIScale.scale(16)));
        pane.add(content, BorderLayout.CENTER);
        pane.add(buttons, BorderLayout.SOUTH);
        dialog.setContentPane(pane);
        dialog.getRootPane().setDefaultButton(primary);
        dialog.getRootPane().registerKeyboardAction(event -> dialog.dispose(), KeyStroke.getKeyStroke("ESCAPE"),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        dialog.pack();
        dialog.setMinimumSize(new java.awt.Dimension(UIScale.scale(320), UIScale.scale(160)));
        dialog.setLocationRelativeTo(parent);
        dialog.setVisible(true);
    }
}
