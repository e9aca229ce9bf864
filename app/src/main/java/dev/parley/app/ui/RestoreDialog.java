package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.profile.Profile;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityBackup;
import java.awt.Component;
import java.awt.Dialog;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPasswordField;
import javax.swing.JTextField;

/**
 * "Restore from a backup…" in the first run: makes the identity and display name in a file that Backup… (or
 * {@code parley backup}) wrote this new profile's, before any engine runs on it, so the user is who they were:
 * the same PeerId for their contacts, the same name. {@link #identity()} holds the identity once restored.
 */
final class RestoreDialog extends JDialog {
    private static final int TEXT_WIDTH = 340;

    private final Profile profile;
    private final JTextField file = new JTextField(24);
    private final JPasswordField passphrase = new JPasswordField(24);
    private final JLabel error = Forms.errorLine();
    private final JButton restore = new JButton(text("restore.restore"));
    private Identity identity;

    RestoreDialog(Dialog owner, Profile profile) {
        super(owner, text("restore.title"), true);
        this.profile = profile;
        setName("restoreDialog");
        file.setName("restoreFile");
        file.getAccessibleContext().setAccessibleName(text("backup.file.name"));
        passphrase.setName("restorePassphrase");
        passphrase.getAccessibleContext().setAccessibleName(text("restore.passphrase.name"));
        restore.setName("restore");
        JButton choose = new JButton(text("file.choose"));
        choose.setName("chooseRestoreFile");
        choose.getAccessibleContext().setAccessibleName(text("backup.file.choose"));
        choose.addActionListener(event -> chooseFile());
        JButton cancel = new JButton(text("dialog.cancel"));
        cancel.addActionListener(event -> dispose());
        restore.addActionListener(event -> restore());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("restore.title")))
                .full(Forms.note(text("restore.note"), TEXT_WIDTH))
                .row(text("file.file"), Forms.fileLine(file, choose))
                .row(text("firstRun.passphrase"), passphrase)
                .full(error);
        Forms.layOut(this, form, owner, cancel, restore);
    }

    /**
     * Parley → Restore… on a profile in use: a restore replaces the identity the running engine holds and signs with,
     * so it is done where no engine runs, which this explains.
     */
    static void explainOnARunningProfile(Component parent) {
        JOptionPane.showMessageDialog(parent, Forms.note(text("restore.whileRunning"), TEXT_WIDTH),
                text("restore.restore"), JOptionPane.INFORMATION_MESSAGE);
    }

    /** The restored identity, once the dialog closed after restoring it. */
    Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    private void chooseFile() {
        JFileChooser chooser = new JFileChooser();
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            file.setText(chooser.getSelectedFile().getPath());
        }
    }

    private void restore() {
        String name = file.getText().strip();
        if (name.isEmpty()) {
            fail(text("restore.noFile"));
            return;
        }
        Path backupFile = Path.of(name);
        char[] typed = passphrase.getPassword();
        setBusy(true);
        UiTasks.run(() -> {
            try {
                IdentityBackup.Contents backup = IdentityBackup.read(backupFile, typed);
                profile.restore(backup);
                return backup.identity();
            } finally {
                Arrays.fill(typed, '\0');
            }
        }, restored -> {
            identity = restored;
            dispose();
        }, failure -> {
            setBusy(false);
            fail(Forms.sentence(text("restore.failed", failure.getMessage())));
        });
    }

    private void setBusy(boolean busy) {
        restore.setEnabled(!busy);
        restore.setText(text(busy ? "restore.restoring" : "restore.restore"));
    }

    private void fail(String message) {
        Forms.showError(error, message, TEXT_WIDTH);
        pack();
    }
}
