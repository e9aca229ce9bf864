package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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
    private final JButton backUp = new JButton(text("backup.backUp"));

    BackupDialog(Frame owner, Engine engine) {
        super(owner, text("backup.title"), true);
        this.engine = engine;
        setName("backupDialog");
        file.setName("backupFile");
        file.getAccessibleContext().setAccessibleName(text("backup.file.name"));
        file.setText(Path.of(System.getProperty("user.home"), "parley-backup.key").toString());
        passphrase.setName("backupPassphrase");
        repeated.setName("backupPassphraseAgain");
        backUp.setName("backUp");
        JButton choose = new JButton(text("file.choose"));
        choose.setName("chooseBackupFile");
        choose.getAccessibleContext().setAccessibleName(text("backup.file.choose"));
        choose.addActionListener(event -> chooseFile());
        JButton cancel = new JButton(text("dialog.cancel"));
        cancel.addActionListener(event -> dispose());
        backUp.addActionListener(event -> backUp());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("backup.heading")))
                .full(Forms.note(text("backup.note"), TEXT_WIDTH))
                .row(text("file.file"), Forms.fileLine(file, choose))
                .row(text("firstRun.passphrase"), passphrase)
                .row(text("backup.again"), repeated)
                .full(Forms.note(text("backup.passphrase.note"), TEXT_WIDTH))
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
                fail(text("backup.noFile"));
                return;
            }
            if (first.length == 0) {
                fail(text("backup.noPassphrase"));
                return;
            }
            if (!Arrays.equals(first, second)) {
                fail(text("backup.passphrasesDiffer"));
                return;
            }
            Path target = Paths.get(name);
            if (Files.exists(target)) {
                fail(text("backup.exists", target));
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
        backUp.setText(text(busy ? "backup.backingUp" : "backup.backUp"));
    }
}
