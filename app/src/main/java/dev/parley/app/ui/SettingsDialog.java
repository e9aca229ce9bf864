package dev.parley.app.ui;

import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.ui.contacts.CopyButton;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.BorderLayout;
import java.awt.Frame;
import java.text.ParseException;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;

/**
 * Settings: who you are (the display name, which applies now, and the PeerId and invite code to copy), the theme
 * (applies now), the listen port and LAN discovery (saved; they apply the next time Parley starts, and the dialog
 * says so), notifications.
 */
final class SettingsDialog extends JDialog {
    private static final int TEXT_WIDTH = 320;

    private final Engine engine;
    private final UiSettings settings;
    private final JTextField name = new JTextField(22);
    private final JComboBox<Theme> theme = new JComboBox<>(Theme.values());
    private final JSpinner port = new JSpinner(new SpinnerNumberModel(0, 0, 65535, 1));
    private final JCheckBox lanDiscovery = new JCheckBox("Find Parley users on this network (mDNS)");
    private final JCheckBox notifications = new JCheckBox("Tell me about new messages when Parley is in the background");
    private final JLabel error = Forms.errorLine();
    private final JButton save = new JButton("Save");

    SettingsDialog(Frame owner, Engine engine, UiSettings settings) {
        super(owner, "Settings", true);
        this.engine = engine;
        this.settings = settings;
        setName("settings");
        name.setName("displayName");
        theme.setName("theme");
        port.setName("port");
        lanDiscovery.setName("lanDiscovery");
        notifications.setName("notifications");
        name.setText(engine.card().displayName());
        theme.setSelectedItem(settings.theme());
        port.setValue(settings.listenPort());
        port.setEditor(new JSpinner.NumberEditor(port, "#"));
        lanDiscovery.setSelected(settings.lanDiscovery());
        notifications.setSelected(settings.notifications());
        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(event -> dispose());
        save.addActionListener(event -> save());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Settings"))
                .row("Your name", name)
                .row("PeerId", copyable("peerId", "PeerId", engine.peerId().toBase58()))
                .row("Invite code", copyable("inviteCode", "invite code", engine.invite()))
                .full(Forms.note("Give your invite code to the people you want to chat with: it holds your name,"
                        + " your PeerId and where to reach you now.", TEXT_WIDTH))
                .row("Theme", theme)
                .row("Listen port", port)
                .full(Forms.note("0 lets the system choose a free port. The port and network discovery apply the"
                        + " next time Parley starts.", TEXT_WIDTH))
                .full(lanDiscovery)
                .full(notifications)
                .full(error);
        Forms.layOut(this, form, owner, cancel, save);
    }

    /**
     * A read-only line of text with a Copy button beside it: the whole text can be selected too, though a long one
     * shows only its start.
     */
    private static JPanel copyable(String name, String what, String text) {
        JTextField field = new JTextField(text, 22);
        field.setName(name);
        field.setEditable(false);
        field.setCaretPosition(0);
        field.getAccessibleContext().setAccessibleName("Your " + what);
        JPanel line = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        line.setOpaque(false);
        line.add(field, BorderLayout.CENTER);
        line.add(new CopyButton(name + "Copy", "Copy your " + what, () -> text),
                BorderLayout.EAST);
        return line;
    }

    private void save() {
        try {
            // A port typed but not yet confirmed with Enter counts: the user sees it in the field.
            port.commitEdit();
        } catch (ParseException e) {
            Forms.showError(error, "The listen port must be a number from 0 to 65535.", TEXT_WIDTH);
            pack();
            return;
        }
        String chosen = name.getText().strip();
        Theme chosenTheme = (Theme) theme.getSelectedItem();
        boolean themeChanged = chosenTheme != settings.theme();
        settings.setTheme(chosenTheme);
        settings.setListenPort((Integer) port.getValue());
        settings.setLanDiscovery(lanDiscovery.isSelected());
        settings.setNotifications(notifications.isSelected());
        save.setEnabled(false);
        boolean rename = !chosen.equals(engine.card().displayName());
        UiTasks.run(() -> {
            if (rename) {
                engine.setDisplayName(chosen);
            }
            settings.save();
            return chosenTheme.dark();
        }, dark -> {
            if (themeChanged) {
                Theme.install(dark);
                FlatLaf.updateUI();
            }
            dispose();
        }, failure -> {
            save.setEnabled(true);
            Forms.showError(error, Forms.sentence(failure.getMessage()), TEXT_WIDTH);
            pack();
        });
    }
}
