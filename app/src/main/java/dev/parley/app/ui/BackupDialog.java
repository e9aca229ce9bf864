package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPasswordField;
import javax.swing.JTextField;

/**
 * Parley → Backup…: writes this profile's identity and display name to one file protected by a passphrase of its
 * own, as {@code parley backup} does ({@link Engine#backUp}); restoring that file on another computer makes it this
 * user. The passphrase is typed twice, and an existing file is never overwritten: nothing is lost by a slip.
 */
final class BackupDialog extends JDialog {
    private static final int TEXT_WIDTH = 340;

    private final Engine engine;
    private final JTextField file = new JTextField(24);
    private final JPasswordField passphrase = new JPasswordField(24);
    private final JPasswordField repeated = new JPasswordField(24);
    private final JLabel error = Forms.errorLine();
    private final JButton backUp = new JButton("Back up");

    BackupDialog(Frame owner, Engine engine) {
        super(owner, "Backup", true);
        this.engine = engine;
        setName("backupDialog");
        file.setName("backupFile");
        file.getAccessibleContext().setAccessibleName("Backup file");
        file.setText(Path.of(System.getProperty("user.home"), "parley-backup.key").toString());
        passphrase.setName("backupPassphrase");
        repeated.setName("backupPassphraseAgain");
        backUp.setName("backUp");
        JButton choose = new JButton("Choose…");
        choose.setName("chooseBackupFile");
        choose.getAccessibleContext().setAccessibleName("Choose the backup file");
        choose.addActionListener(event -> chooseFile());
        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(event -> dispose());
        backUp.addActionListener(event -> backUp());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Back up your identity"))
                .full(Forms.note("The file holds your identity and your name, so that you can be you again on another"
                        + " computer (Restore). Your contacts and history are not in it: export those with Export"
                        + " history.", TEXT_WIDTH))
                .row("File", Forms.fileLine(file, choose))
                .row("Passphrase", passphrase)
                .row("Again", repeated)
                .full(Forms.note("The passphrase protects the file; nobody can recover a forgotten one.", TEXT_WIDTH))
                .full(error);
        Forms.layOut(this, form, owner, cancel, backUp);
    }

    private void chooseFile() {
        JFileChooser chooser = new JFileChooser();
        chooser.setSelectedFile(Path.of(file.getText().strip()).toFile());
        if (chooser.showSaveDialog(this) == JFileChooser.APPROVE_OPTION) {
            file.setText(chooser.getSelectedFile().getPath());
        }
    }

    private void backUp() {
        char[] first = passphrase.getPassword();
        char[] second = repeated.getPassword();
        try {
            String name = file.getText().strip();
            if (name.isEmpty()) {
                fail("Choose the file to write the backup to.");
                return;
            }
            if (first.length == 0) {
                fail("Choose a passphrase for the backup: it protects your identity in the file.");
                return;
            }
            if (!Arrays.equals(first, second)) {
                fail("The two passphrases differ. Type the same passphrase twice.");
                return;
            }
            Path target = Paths.get(name);
            if (Files.exists(target)) {
                fail(target + " exists already. Choose another name, so that no backup is overwritten.");
                return;
            }
            char[] chosen = first.clone();
            setBusy(true);
            UiTasks.run(() -> {
                try {
                    engine.backUp(target, chosen);
                    return target;
                } finally {
                    Arrays.fill(chosen, '\0');
                }
            }, written -> dispose(), failure -> {
                setBusy(false);
                fail(Forms.sentence(failure.getMessage()));
            });
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }

    private void fail(String message) {
        Forms.showError(error, message, TEXT_WIDTH);
        pack();
    }

    private void setBusy(boolean busy) {
        backUp.setEnabled(!busy);
        backUp.setText(busy ? "Backing up…" : "Back up");
    }
}
