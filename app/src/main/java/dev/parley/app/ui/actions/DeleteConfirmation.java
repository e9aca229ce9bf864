package dev.parley.app.ui.actions;

import dev.parley.app.ui.i18n.Texts;
import java.awt.Component;
import javax.swing.JDialog;
import javax.swing.JOptionPane;

/** Asks before a message is deleted for everyone, which cannot be undone. */
public final class DeleteConfirmation {
    private DeleteConfirmation() {
    }

    /** Whether the user confirmed; blocks (modally) until they answer. */
    public static boolean confirm(Component parent) {
        String delete = Texts.text("actions.deleteForEveryone");
        String cancel = Texts.text("actions.cancel");
        JOptionPane pane = new JOptionPane(Texts.text("actions.deleteForEveryone.question"),
                JOptionPane.WARNING_MESSAGE, JOptionPane.OK_CANCEL_OPTION, null, new Object[] {delete, cancel},
                cancel);
        JDialog dialog = pane.createDialog(parent, Texts.text("actions.deleteForEveryone.title"));
        dialog.setName("confirmDelete");
        dialog.setVisible(true);
        dialog.dispose();
        return delete.equals(pane.getValue());
    }
}
