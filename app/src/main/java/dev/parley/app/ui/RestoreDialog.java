package dev.parley.app.ui;

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
    private final JButton restore = new JButton("Restore");
    private Identity identity;

    RestoreDialog(Dialog owner, Profile profile) {
        super(owner, "Restore from a backup", true);
        this.profile = profile;
        setName("restoreDialog");
        file.setName("restoreFile");
        file.getAccessibleContext().setAccessibleName("Backup file");
        passphrase.setName("restorePassphrase");
        passphrase.getAccessibleContext().setAccessibleName("The backup's passphrase");
        restore.setName("restore");
        JButton choose = new JButton("Choose…");
        choose.setName("chooseRestoreFile");
        choose.getAccessibleContext().setAccessibleName("Choose the backup file");
        choose.addActionListener(event -> chooseFile());
        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(event -> dispose());
        restore.addActionListener(event -> restore());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Restore from a backup"))
                .full(Forms.note("Choose the file Backup… wrote and type its passphrase: your identity and your name"
                        + " come back, and your contacts reach you as before. Your history is not in the backup:"
                        + " bring it back afterwards with Parley → Import history….", TEXT_WIDTH))
                .row("File", Forms.fileLine(file, choose))
                .row("Passphrase", passphrase)
                .full(error);
        Forms.layOut(this, form, owner, cancel, restore);
    }

    /**
     * Parley → Restore… on a profile in use: a restore replaces the identity the running engine holds and signs with,
     * so it is done where no engine runs, which this explains.
     */
    static void explainOnARunningProfile(Component parent) {
        JOptionPane.showMessageDialog(parent, Forms.note("Restoring a backup replaces this profile's identity, so it"
                + " cannot happen while Parley runs on it. To restore, start Parley with a new profile (parley"
                + " --profile NEW-FOLDER) and choose \"Restore from a backup…\" in the welcome window; then bring your"
                + " history back with Parley → Import history…. Or, with Parley closed, run parley restore --force"
                + " FILE: the identity it replaces is kept in a replaced-* folder of the profile.", TEXT_WIDTH),
                "Restore", JOptionPane.INFORMATION_MESSAGE);
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
            fail("Choose the backup file to restore.");
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
            fail(Forms.sentence("the backup could not be restored: " + failure.getMessage()));
        });
    }

    private void setBusy(boolean busy) {
        restore.setEnabled(!busy);
        restore.setText(busy ? "Restoring…" : "Restore");
    }

    private void fail(String message) {
        Forms.showError(error, message, TEXT_WIDTH);
        pack();
    }
}
