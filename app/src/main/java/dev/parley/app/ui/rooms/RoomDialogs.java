package dev.parley.app.ui.rooms;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dialog;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
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
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;

/**
 * The rooms' dialogs: a new room, inviting contacts into one, who is in one (and, for its admins, removing members,
 * making them admins and renaming the room, each asked again before it is done). Each has a title, Cancel (or
 * Close), and Escape closes it.
 */
public final class RoomDialogs {
    /** The width errors and questions wrap at, so that none is cut off at a dialog's own size. */
    private static final int TEXT_WIDTH = 300;

    private RoomDialogs() {
    }

    /** Asks for a name and creates the room; {@code created} gets it on the EDT. */
    public static void create(Component parent, Engine engine, Consumer<RoomInfo> created) {
        JDialog dialog = dialog(parent, text("newRoom.title"), "newRoomDialog");
        JTextField name = new JTextField(24);
        name.setName("roomName");
        JLabel error = errorLine("roomError");
        JButton ok = new JButton(text("newRoom.create"));
        ok.setName("createRoom");
        Runnable submit = () -> {
            String wanted = name.getText().strip();
            ok.setEnabled(false);
            UiTasks.run(() -> engine.rooms().create(wanted), room -> {
                dialog.dispose();
                created.accept(room);
            }, failure -> {
                ok.setEnabled(true);
                showError(dialog, error, EngineErrors.message(failure));
            });
        };
        ok.addActionListener(event -> submit.run());
        name.addActionListener(event -> submit.run());
        JPanel form = new JPanel(new BorderLayout(0, UIScale.scale(6)));
        JLabel label = new JLabel(text("newRoom.name"));
        label.setLabelFor(name);
        form.add(heading(text("newRoom.heading"), text("newRoom.note")), BorderLayout.NORTH);
        JPanel field = new JPanel(new BorderLayout(0, UIScale.scale(4)));
        field.add(label, BorderLayout.NORTH);
        field.add(name, BorderLayout.CENTER);
        field.add(error, BorderLayout.SOUTH);
        form.add(field, BorderLayout.CENTER);
        show(dialog, parent, form, cancel(dialog, "cancelNewRoom"), ok);
    }

    /** Lets an admin choose contacts who are not in {@code room} yet, and invites them. */
    public static void invite(Component parent, Engine engine, RoomInfo room, Consumer<String> onError) {
        Set<PeerId> inside = room.members().stream().map(RoomInfo.Member::peer).collect(Collectors.toSet());
        List<ContactInfo> candidates = engine.contacts().accepted().stream()
                .filter(contact -> !inside.contains(contact.peer()))
                .toList();
        JDialog dialog = dialog(parent, text("roomInvite.title", room.name()), "inviteDialog");
        JPanel boxes = new JPanel(new GridLayout(0, 1));
        List<JCheckBox> choices = new ArrayList<>();
        for (ContactInfo contact : candidates) {
            JCheckBox box = new JCheckBox(contact.name());
            box.setName("invite " + contact.name());
            choices.add(box);
            boxes.add(box);
        }
        if (candidates.isEmpty()) {
            boxes.add(new JLabel(text("roomInvite.everyoneIn")));
        }
        JButton ok = new JButton(text("roomInvite.invite"));
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
            }, invited -> { }, failure -> onError.accept(text("roomInvite.failed", EngineErrors.message(failure))));
        });
        ok.setEnabled(!candidates.isEmpty());
        JScrollPane scroll = new JScrollPane(boxes);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        JPanel content = new JPanel(new BorderLayout(0, UIScale.scale(8)));
        content.add(heading(text("roomInvite.title", room.name()), text("roomInvite.note")), BorderLayout.NORTH);
        content.add(scroll, BorderLayout.CENTER);
        show(dialog, parent, content, cancel(dialog, "cancelInvite"), ok);
    }

    /**
     * The members of {@code room}, with their roles and whether they are online; an admin can remove a member, make
     * one an admin and rename the room, each after a confirmation. The list follows the room's changes while open.
     */
    public static void members(Component parent, Engine engine, RoomInfo room) {
        new MembersDialog(parent, engine, room).show();
    }

    /** A member in words: name, role and presence. */
    public static String describe(RoomInfo.Member member) {
        String role = member.admin() ? text("members.line.admin", member.name()) : member.name();
        return text(member.online() ? "members.line.online" : "members.line.offline", role);
    }

    /** Whether this user is an admin of {@code room}. */
    public static boolean isAdmin(Engine engine, RoomInfo room) {
        return room.members().stream().anyMatch(member -> member.admin() && member.peer().equals(engine.peerId()));
    }

    /** The members dialog: the list, and for admins what they may change, each asked again. */
    private static final class MembersDialog {
        private final Engine engine;
        private final Component parent;
        private final JDialog dialog;
        private final DefaultListModel<String> lines = new DefaultListModel<>();
        private final JList<String> list = new JList<>(lines);
        private final JButton remove = new JButton(text("members.remove"));
        private final JButton promote = new JButton(text("members.promote"));
        private final JButton rename = new JButton(text("members.rename"));
        private final JPanel adminActions = new JPanel(new GridLayout(0, 1, 0, UIScale.scale(6)));
        private RoomInfo room;

        MembersDialog(Component parent, Engine engine, RoomInfo room) {
            this.parent = parent;
            this.engine = engine;
            this.room = room;
            dialog = dialog(parent, "", "membersDialog");
            list.setName("memberList");
            list.getAccessibleContext().setAccessibleName(text("members.list"));
            list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
            list.setVisibleRowCount(8);
            list.addListSelectionListener(event -> enableActions());
            remove.setName("removeMember");
            promote.setName("promoteMember");
            rename.setName("renameRoom");
            remove.addActionListener(event -> selected().ifPresent(this::askToRemove));
            promote.addActionListener(event -> selected().ifPresent(this::askToPromote));
            rename.addActionListener(event -> askToRename());
            adminActions.add(remove);
            adminActions.add(promote);
            adminActions.add(rename);
            UiTasks.followWhileDisplayable(list, engine, event -> {
                if (event instanceof EngineEvent.RoomUpdated updated && updated.room().id().equals(this.room.id())) {
                    showRoom(updated.room());
                }
            });
        }

        void show() {
            JPanel content = new JPanel(new BorderLayout(UIScale.scale(10), 0));
            JScrollPane scroll = new JScrollPane(list);
            scroll.setPreferredSize(new Dimension(UIScale.scale(280), UIScale.scale(180)));
            content.add(scroll, BorderLayout.CENTER);
            JPanel side = new JPanel(new BorderLayout());
            side.add(adminActions, BorderLayout.NORTH);
            content.add(side, BorderLayout.EAST);
            showRoom(room);
            JButton close = new JButton(text("dialog.close"));
            close.setName("closeMembers");
            close.addActionListener(event -> dialog.dispose());
            RoomDialogs.show(dialog, parent, content, close);
        }

        private void showRoom(RoomInfo changed) {
            int at = list.getSelectedIndex();
            room = changed;
            dialog.setTitle(text("members.title", changed.name()));
            lines.clear();
            changed.members().forEach(member -> lines.addElement(describe(member)));
            if (at >= 0 && at < lines.size()) {
                list.setSelectedIndex(at);
            }
            adminActions.setVisible(changed.status() == RoomStatus.JOINED && isAdmin(engine, changed));
            enableActions();
        }

        private Optional<RoomInfo.Member> selected() {
            int at = list.getSelectedIndex();
            return at < 0 || at >= room.members().size() ? Optional.empty()
                    : Optional.of(room.members().get(at));
        }

        private void enableActions() {
            Optional<RoomInfo.Member> member = selected()
                    .filter(chosen -> !chosen.peer().equals(engine.peerId()));
            remove.setEnabled(member.isPresent());
            promote.setEnabled(member.filter(chosen -> !chosen.admin()).isPresent());
        }

        private void askToRemove(RoomInfo.Member member) {
            confirm(text("members.remove.title", member.name()), text("members.remove.question", member.name(),
                    room.name()), text("members.remove.action"), null,
                    typed -> () -> engine.rooms().remove(room.id(), member.peer()));
        }

        private void askToPromote(RoomInfo.Member member) {
            confirm(text("members.promote.title", member.name()), text("members.promote.question", member.name(),
                    room.name()), text("members.promote.action"),
                    null, typed -> () -> engine.rooms().promote(room.id(), member.peer()));
        }

        private void askToRename() {
            confirm(text("members.rename.title", room.name()), text("members.rename.question"),
                    text("members.rename.action"), room.name(),
                    typed -> () -> engine.rooms().rename(room.id(), typed.strip()));
        }

        /**
         * Asks {@code question} in a modal dialog with Cancel and {@code action}; with {@code field} not null, a
         * text field starting with it. On yes, runs what {@code change} makes of the field's text off the EDT; an
         * error shows in the dialog, which stays.
         */
        private void confirm(String title, String question, String action, String field,
                             Function<String, Callable<RoomInfo>> change) {
            JDialog ask = new JDialog(dialog, title, Dialog.ModalityType.DOCUMENT_MODAL);
            ask.setName("confirmDialog");
            JLabel error = errorLine("confirmError");
            JTextField text = new JTextField(field == null ? "" : field, 24);
            text.setName("newRoomName");
            text.getAccessibleContext().setAccessibleName(text("members.rename.field"));
            JButton yes = new JButton(action);
            yes.setName("confirmAction");
            yes.addActionListener(event -> {
                yes.setEnabled(false);
                UiTasks.run(change.apply(text.getText()), changed -> {
                    ask.dispose();
                    showRoom(changed);
                }, failure -> {
                    yes.setEnabled(true);
                    showError(ask, error, EngineErrors.message(failure));
                });
            });
            JPanel content = new JPanel(new BorderLayout(0, UIScale.scale(8)));
            content.add(wrapped(question), BorderLayout.NORTH);
            if (field != null) {
                content.add(text, BorderLayout.CENTER);
            }
            content.add(error, BorderLayout.SOUTH);
            RoomDialogs.show(ask, dialog, content, cancel(ask, "cancelAction"), yes);
        }
    }

    private static JDialog dialog(Component parent, String title, String name) {
        JDialog dialog = new JDialog(SwingUtilities.getWindowAncestor(parent), title, Dialog.ModalityType.MODELESS);
        dialog.setName(name);
        return dialog;
    }

    private static JButton cancel(JDialog dialog, String name) {
        JButton cancel = new JButton(text("dialog.cancel"));
        cancel.setName(name);
        cancel.addActionListener(event -> dialog.dispose());
        return cancel;
    }

    /** The dialog's title in large type over a line that says what it is for. */
    private static JPanel heading(String title, String explanation) {
        JLabel big = new JLabel(title);
        big.putClientProperty(FlatClientProperties.STYLE_CLASS, "h3");
        JLabel note = wrapped(explanation);
        note.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        JPanel heading = new JPanel(new BorderLayout(0, UIScale.scale(4)));
        heading.add(big, BorderLayout.NORTH);
        heading.add(note, BorderLayout.CENTER);
        return heading;
    }

    private static JLabel wrapped(String text) {
        return new JLabel("<html><div style='width:" + TEXT_WIDTH + "px'>" + escape(text) + "</div></html>");
    }

    private static JLabel errorLine(String name) {
        JLabel error = new JLabel(" ");
        error.setName(name);
        error.putClientProperty(FlatClientProperties.STYLE, "foreground: $Component.error.focusedBorderColor");
        return error;
    }

    /** Shows {@code message} wrapped as a sentence, and grows the dialog so that all of it shows. */
    private static void showError(JDialog dialog, JLabel error, String message) {
        String text = message == null || message.isBlank() ? text("error.somethingWentWrong") : message.strip();
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1) + (text.endsWith(".") ? "" : ".");
        error.setText("<html><div style='width:" + TEXT_WIDTH + "px'>" + escape(text) + "</div></html>");
        error.getAccessibleContext().setAccessibleName(text);
        Dimension before = dialog.getSize();
        dialog.pack();
        dialog.setSize(Math.max(before.width, dialog.getWidth()), Math.max(before.height, dialog.getHeight()));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void show(JDialog dialog, Component parent, Component content, JButton... buttons) {
        JPanel row = new JPanel(new FlowLayout(FlowLayout.RIGHT, UIScale.scale(8), 0));
        for (JButton button : buttons) {
            row.add(button);
        }
        JPanel pane = new JPanel(new BorderLayout(0, UIScale.scale(12)));
        pane.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(14), UIScale.scale(16), UIScale.scale(12),
                UIScale.scale(16)));
        pane.add(content, BorderLayout.CENTER);
        pane.add(row, BorderLayout.SOUTH);
        dialog.setContentPane(pane);
        dialog.getRootPane().setDefaultButton(buttons[buttons.length - 1]);
        dialog.getRootPane().registerKeyboardAction(event -> dialog.dispose(), KeyStroke.getKeyStroke("ESCAPE"),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        dialog.pack();
        dialog.setMinimumSize(new Dimension(UIScale.scale(360), UIScale.scale(180)));
        dialog.setLocationRelativeTo(parent);
        dialog.setVisible(true);
    }
}
