package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.FlatClientProperties;
import java.awt.Dialog;
import java.awt.Window;
import javax.swing.SwingUtilities;

/**
 * Where a dialog or panel says what went wrong, in words, in the look and feel's red; hidden while there is
 * nothing to say. A dialog grows to fit the message.
 */
final class MessageArea extends WrappingText {
    MessageArea(String name) {
        setName(name);
        putClientProperty(FlatClientProperties.STYLE, "foreground: $Actions.Red");
        setVisible(false);
    }

    void showProblem(Throwable error) {
        showText(ContactTexts.problem(error));
    }

    void showText(String text) {
        setText(text);
        setVisible(true);
        refit();
    }

    void clear() {
        if (isVisible()) {
            setText("");
            setVisible(false);
            refit();
        }
    }

    private void refit() {
        revalidate();
        Window window = SwingUtilities.getWindowAncestor(this);
        if (window instanceof Dialog dialog) {
            Dialogs.fit(dialog);
        }
    }
}
