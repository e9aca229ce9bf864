package dev.parley.app.ui;

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
    private final JButton unlock = new JButton("Unlock");
    private Identity identity;

    UnlockDialog(Profile profile) {
        super((java.awt.Frame) null, "Unlock Parley", true);
        this.profile = profile;
        setName("unlock");
        passphrase.setName("passphrase");
        passphrase.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "Passphrase");
        passphrase.putClientProperty(FlatClientProperties.STYLE, "showRevealButton: true");
        JButton quit = new JButton("Quit");
        quit.addActionListener(event -> dispose());
        unlock.addActionListener(event -> unlock());
        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Unlock Parley"))
                .full(Forms.note("Your keys in " + profile.directory() + " are encrypted. Type your passphrase to"
                        + " open them.", TEXT_WIDTH))
                .row("Passphrase", passphrase)
                .full(error);
        Forms.layOut(this, form, null, quit, unlock);
    }

    Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    private void unlock() {
        char[] typed = passphrase.getPassword();
        if (typed.length == 0) {
            Forms.showError(error, "Type the passphrase you chose for this profile.", TEXT_WIDTH);
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
            Forms.showError(error, wrong ? "That passphrase is wrong. Try again."
                    : "Your keys could not be opened: " + failure.getMessage(), TEXT_WIDTH);
            passphrase.selectAll();
            passphrase.requestFocusInWindow();
            pack();
        });
    }

    private void setBusy(boolean busy) {
        unlock.setEnabled(!busy);
        unlock.setText(busy ? "Unlocking…" : "Unlock");
        passphrase.setEnabled(!busy);
        if (busy) {
            Forms.showError(error, "", TEXT_WIDTH);
        }
    }
}
