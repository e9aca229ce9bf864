package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import dev.parley.app.profile.PassphrasePrompt;
import dev.parley.app.profile.Profile;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import java.util.Arrays;
import java.util.Optional;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPasswordField;
import javax.swing.JTextField;

/**
 * The first start with a new profile: the user chooses the name contacts will see and, if they like, a
 * passphrase (typed twice, so a typo cannot lock them out) that encrypts their keys. Creating the keys runs off
 * the EDT; {@link #identity()} holds them once the dialog closes, empty if the user quit. A user who has a backup
 * restores it instead ({@link RestoreDialog}), which brings back their identity and name.
 */
final class FirstRunDialog extends JDialog {
    private static final int TEXT_WIDTH = 340;

    private final Profile profile;
    private final JTextField name = new JTextField(24);
    private final JPasswordField passphrase = new JPasswordField(24);
    private final JPasswordField repeated = new JPasswordField(24);
    private final JLabel error = Forms.errorLine();
    private final JButton start = new JButton(text("firstRun.start"));
    private Identity identity;

    FirstRunDialog(Profile profile, Optional<String> suggestedName) {
        super((java.awt.Frame) null, text("firstRun.title"), true);
        this.profile = profile;
        setName("firstRun");
        name.setName("name");
        passphrase.setName("passphrase");
        repeated.setName("repeated");
        suggestedName.ifPresent(name::setText);
        name.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("firstRun.name.placeholder"));
        passphrase.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("firstRun.passphrase.placeholder"));
        JButton quit = new JButton(text("firstRun.quit"));
        quit.addActionListener(event -> dispose());
        start.addActionListener(event -> create());
        JButton restore = new JButton(text("firstRun.restore"));
        restore.setName("restoreFromBackup");
        restore.getAccessibleContext().setAccessibleDescription(text("firstRun.restore.description"));
        restore.addActionListener(event -> restoreFromBackup());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("firstRun.title")))
                .full(Forms.note(text("firstRun.intro"), TEXT_WIDTH))
                .row(text("settings.name"), name)
                .full(Forms.note(text("firstRun.passphrase.note"), TEXT_WIDTH))
                .row(text("firstRun.passphrase"), passphrase)
                .row(text("firstRun.passphrase.again"), repeated)
                .full(error);
        Forms.layOut(this, form, null, quit, restore, start);
    }

    /** The new identity, once the dialog closed after creating it. */
    Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    private void restoreFromBackup() {
        RestoreDialog restore = new RestoreDialog(this, profile);
        restore.setVisible(true);
        restore.identity().ifPresent(restored -> {
            identity = restored;
            dispose();
        });
    }

    private void create() {
        String chosen = name.getText().strip();
        Optional<String> problem = ContactCard.displayNameProblem(chosen);
        if (problem.isPresent()) {
            fail(text("firstRun.badName", problem.get()));
            name.requestFocusInWindow();
            return;
        }
        char[] first = passphrase.getPassword();
        char[] second = repeated.getPassword();
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            fail(text("firstRun.passphrasesDiffer"));
            repeated.setText("");
            repeated.requestFocusInWindow();
            return;
        }
        char[] chosenPassphrase = first.length == 0 ? null : first;
        setBusy(true);
        UiTasks.run(() -> {
            try {
                Identity created = profile.loadOrCreateIdentity(PassphrasePrompt.NONE);
                profile.setDisplayName(chosen);
                if (chosenPassphrase != null) {
                    profile.changePassphrase(created, chosenPassphrase);
                }
                return created;
            } finally {
                Arrays.fill(first, '\0');
            }
        }, created -> {
            identity = created;
            dispose();
        }, failure -> {
            setBusy(false);
            fail(text("firstRun.failed", profile.directory(), failure.getMessage()));
        });
    }

    private void setBusy(boolean busy) {
        start.setEnabled(!busy);
        start.setText(text(busy ? "firstRun.creating" : "firstRun.start"));
        name.setEnabled(!busy);
        passphrase.setEnabled(!busy);
        repeated.setEnabled(!busy);
        if (busy) {
            Forms.showError(error, "", TEXT_WIDTH);
        }
    }

    private void fail(String message) {
        Forms.showError(error, message, TEXT_WIDTH);
        pack();
    }
}
