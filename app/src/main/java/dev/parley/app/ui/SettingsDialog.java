package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.ui.contacts.CopyButton;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Language;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.GraphicsConfiguration;
import java.awt.Insets;
import java.awt.Toolkit;
import java.text.ParseException;
import java.util.OptionalLong;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSeparator;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;

/**
 * Settings: who you are (the display name, which applies now, and the PeerId and invite code to copy), the theme
 * (applies now), the language, the listen port and LAN discovery (saved; they apply the next time Parley starts, and
 * the dialog says so), notifications; under them the mailbox ({@link MailboxSection}), whose Pair and Unpair act at
 * once, and carrying for contacts ({@link CarrySection}), saved with the rest. How large a picture downloads by itself
 * is the engine's, saved in the profile.
 */
final class SettingsDialog extends JDialog {
    private static final int TEXT_WIDTH = 320;
    private static final long MIB = 1L << 20;
    /** The largest picture offered to download by itself: more than a camera's photo, less than a film. */
    static final int MAX_AUTO_FETCH_MIB = 1024;

    private final Engine engine;
    private final UiSettings settings;
    private final JTextField name = new JTextField(22);
    private final JComboBox<Theme> theme = new JComboBox<>(Theme.values());
    private final JSpinner port = new JSpinner(new SpinnerNumberModel(0, 0, 65535, 1));
    private final JComboBox<Language> language = new JComboBox<>(Language.values());
    private final JCheckBox lanDiscovery = new JCheckBox(text("settings.lanDiscovery"));
    private final JCheckBox notifications = new JCheckBox(text("settings.notifications"));
    private final JLabel error = Forms.errorLine();
    private final JButton save = new JButton(text("dialog.save"));
    private final CarrySection carry;
    private final JSpinner autoFetch;
    private final int shownAutoFetchMib;

    SettingsDialog(Frame owner, Engine engine, UiSettings settings) {
        super(owner, text("settings.title"), true);
        this.engine = engine;
        this.settings = settings;
        setName("settings");
        name.setName("displayName");
        theme.setName("theme");
        port.setName("port");
        language.setName("language");
        lanDiscovery.setName("lanDiscovery");
        notifications.setName("notifications");
        name.setText(engine.card().displayName());
        theme.setSelectedItem(settings.theme());
        language.setSelectedItem(settings.language());
        port.setValue(settings.listenPort());
        port.setEditor(new JSpinner.NumberEditor(port, "#"));
        lanDiscovery.setSelected(settings.lanDiscovery());
        notifications.setSelected(settings.notifications());
        JButton cancel = new JButton(text("dialog.cancel"));
        cancel.addActionListener(event -> dispose());
        save.addActionListener(event -> save());
        carry = new CarrySection(engine.carryQuotaBytes(), settings.lastCarryQuotaMib(), TEXT_WIDTH);
        // A size set in bytes elsewhere shows rounded up, and is saved again only when the user changes it.
        shownAutoFetchMib = Math.clamp((engine.autoFetchBytes() + MIB - 1) / MIB, 0, MAX_AUTO_FETCH_MIB);
        autoFetch = new JSpinner(new SpinnerNumberModel(shownAutoFetchMib, 0, MAX_AUTO_FETCH_MIB, 1));
        autoFetch.setName("autoFetch");
        autoFetch.setEditor(new JSpinner.NumberEditor(autoFetch, "#"));
        autoFetch.getAccessibleContext().setAccessibleName(text("settings.autoFetch.name"));
        JPanel autoFetchLine = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        autoFetchLine.setOpaque(false);
        autoFetchLine.add(autoFetch, BorderLayout.WEST);
        autoFetchLine.add(new JLabel(text("settings.autoFetch.unit")), BorderLayout.CENTER);

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("settings.title")))
                .row(text("settings.name"), name)
                .row(text("settings.peerId"), copyable("peerId", text("settings.peerId.name"),
                        text("settings.peerId.copy"), engine.peerId().toBase58()))
                .row(text("settings.inviteCode"), copyable("inviteCode", text("settings.inviteCode.name"),
                        text("settings.inviteCode.copy"), engine.invite()))
                .full(Forms.note(text("settings.inviteCode.note"), TEXT_WIDTH))
                .row(text("settings.theme"), theme)
                .row(text("settings.language"), language)
                .full(Forms.note(text("settings.language.note"), TEXT_WIDTH))
                .row(text("settings.port"), port)
                .full(Forms.note(text("settings.port.note"), TEXT_WIDTH))
                .full(lanDiscovery)
                .full(notifications)
                .row(text("settings.autoFetch.size"), autoFetchLine)
                .full(Forms.note(text("settings.autoFetch.note"), TEXT_WIDTH))
                .full(error)
                .full(new JSeparator())
                .full(new MailboxSection(engine, TEXT_WIDTH))
                .full(new JSeparator())
                .full(carry);
        Forms.layOut(this, new FittingScreen(form), owner, cancel, save);
    }

    /**
     * The form, scrolling when it is taller than the screen leaves room for: with the mailbox and carrying under the
     * rest it is some 900 pixels high, more than a laptop's 768-pixel screen shows, and Save must stay reachable. As
     * tall as the form where the screen is tall enough, so nothing scrolls there.
     */
    private static final class FittingScreen extends JScrollPane {
        /** The dialog's title bar and button row, and a margin, which the screen must show besides the form. */
        private static final int AROUND_FORM = 100;

        FittingScreen(JComponent form) {
            super(form, VERTICAL_SCROLLBAR_AS_NEEDED, HORIZONTAL_SCROLLBAR_NEVER);
            setBorder(BorderFactory.createEmptyBorder());
            getVerticalScrollBar().setUnitIncrement(UIScale.scale(16));
        }

        @Override
        public Dimension getPreferredSize() {
            Dimension wanted = super.getPreferredSize();
            GraphicsConfiguration screen = getGraphicsConfiguration();
            if (screen == null) {
                return wanted;
            }
            Insets taken = Toolkit.getDefaultToolkit().getScreenInsets(screen);
            int room = screen.getBounds().height - taken.top - taken.bottom - UIScale.scale(AROUND_FORM);
            return wanted.height <= room ? wanted
                    : new Dimension(wanted.width + getVerticalScrollBar().getPreferredSize().width, Math.max(room, 0));
        }
    }

    /**
     * A read-only line of text with a Copy button beside it: the whole text can be selected too, though a long one
     * shows only its start.
     */
    private static JPanel copyable(String name, String accessibleName, String copyName, String text) {
        JTextField field = new JTextField(text, 22);
        field.setName(name);
        field.setEditable(false);
        field.setCaretPosition(0);
        field.getAccessibleContext().setAccessibleName(accessibleName);
        JPanel line = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        line.setOpaque(false);
        line.add(field, BorderLayout.CENTER);
        line.add(new CopyButton(name + "Copy", copyName, () -> text),
                BorderLayout.EAST);
        return line;
    }

    private void save() {
        try {
            // A port typed but not yet confirmed with Enter counts: the user sees it in the field.
            port.commitEdit();
        } catch (ParseException e) {
            Forms.showError(error, text("settings.port.invalid"), TEXT_WIDTH);
            pack();
            return;
        }
        try {
            carry.commitEdit();
        } catch (ParseException e) {
            Forms.showError(error, text("settings.carry.quota.invalid", CarrySection.MAX_QUOTA_MIB), TEXT_WIDTH);
            pack();
            return;
        }
        try {
            autoFetch.commitEdit();
        } catch (ParseException e) {
            Forms.showError(error, text("settings.autoFetch.invalid", MAX_AUTO_FETCH_MIB), TEXT_WIDTH);
            pack();
            return;
        }
        int autoFetchMib = (Integer) autoFetch.getValue();
        boolean autoFetchChanged = autoFetchMib != shownAutoFetchMib;
        String chosen = name.getText().strip();
        Theme chosenTheme = (Theme) theme.getSelectedItem();
        boolean themeChanged = chosenTheme != settings.theme();
        settings.setTheme(chosenTheme);
        settings.setListenPort((Integer) port.getValue());
        settings.setLanguage((Language) language.getSelectedItem());
        settings.setLanDiscovery(lanDiscovery.isSelected());
        settings.setNotifications(notifications.isSelected());
        settings.setLastCarryQuotaMib(carry.chosenMib());
        OptionalLong carryQuota = carry.changedQuotaBytes();
        save.setEnabled(false);
        boolean rename = !chosen.equals(engine.card().displayName());
        UiTasks.run(() -> {
            if (rename) {
                engine.setDisplayName(chosen);
            }
            if (carryQuota.isPresent()) {
                engine.setCarryQuotaBytes(carryQuota.getAsLong());
            }
            if (autoFetchChanged) {
                engine.setAutoFetchBytes(autoFetchMib * MIB);
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
            Forms.showError(error, Forms.sentence(EngineErrors.message(failure)), TEXT_WIDTH);
            pack();
        });
    }
}
