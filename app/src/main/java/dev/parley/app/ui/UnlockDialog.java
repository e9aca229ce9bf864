package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import dev.parley.app.profile.Profile;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.Identity;
import dev.parley.crypto.WrongPassphraseException;
import java.util.Arrays;
import java.util.Optional;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPasswordField;

/**
 * Asks for the passphrase of a protected profile and unlocks its keys off the EDT (scrypt takes a moment). A wrong
 * passphrase is said in the dialog, which stays open for another try. {@link #identity()} is empty if the user quit.
 */
final class UnlockDialog extends JDialog {
    private static final int TEXT_WIDTH = 320;

    private final Profile profile;
    private final JPasswordField passphrase = new JPasswordField(24);
    private final JLabel error = Forms.errorLine();
    private final JButton unlock = new JButton(text("unlock.unlock"));
    private Identity identity;

    UnlockDialog(Profile profile) {
        super((java.awt.Frame) null, text("unlock.title"), true);
        this.profile = profile;
        setName("unlock");
        passphrase.setName("passphrase");
        passphrase.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("firstRun.passphrase"));
        passphrase.putClientProperty(FlatClientProperties.STYLE, "showRevealButton: true");
        JButton quit = new JButton(text("firstRun.quit"));
        quit.addActionListener(event -> dispose());
        unlock.addActionListener(event -> unlock());
        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("unlock.title")))
                .full(Forms.note(text("unlock.note", profile.directory()), TEXT_WIDTH))
                .row(text("firstRun.passphrase"), passphrase)
                .full(error);
        Forms.layOut(this, form, null, quit, unlock);
    }

    Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    private void unlock() {
        char[] typed = passphrase.getPassword();
        if (typed.length == 0) {
            Forms.showError(error, text("unlock.empty"), TEXT_WIDTH);
            return;
        }
        setBusy(true);
        UiTasks.run(() -> {
            try {
                return profile.loadOrCreateIdentity(locked -> typed.clone());
            } finally {
                Arrays.fill(typed, '\0');
            }
        }, unlocked -> {
            identity = unlocked;
            dispose();
        }, failure -> {
            setBusy(false);
            boolean wrong = failure.getCause() instanceof WrongPassphraseException;
            Forms.showError(error, wrong ? text("unlock.wrong") : text("unlock.failed", failure.getMessage()),
                    TEXT_WIDTH);
            passphrase.selectAll();
            passphrase.requestFocusInWindow();
            pack();
        });
    }

    private void setBusy(boolean busy) {
        unlock.setEnabled(!busy);
        unlock.setText(text(busy ? "unlock.unlocking" : "unlock.unlock"));
        passphrase.setEnabled(!busy);
        if (busy) {
            Forms.showError(error, "", TEXT_WIDTH);
        }
    }
}
