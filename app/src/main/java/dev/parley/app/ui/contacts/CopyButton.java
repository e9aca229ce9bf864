package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.util.function.Supplier;
import javax.swing.JButton;
import javax.swing.Timer;

/** "Copy": puts a text on the system clipboard and says "Copied" for a moment, without changing its width. */
public final class CopyButton extends JButton {
    private static final int CONFIRMATION_MILLIS = 2000;

    private final Timer restore = new Timer(CONFIRMATION_MILLIS, event -> setText(text("copy.copy")));

    public CopyButton(String name, String accessibleName, Supplier<String> text) {
        super(text("copy.copy"));
        setName(name);
        getAccessibleContext().setAccessibleName(accessibleName);
        restore.setRepeats(false);
        addActionListener(event -> {
            StringSelection selection = new StringSelection(text.get());
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(selection, selection);
            setText(text("copy.copied"));
            restore.restart();
        });
    }

    @Override
    public Dimension getPreferredSize() {
        Dimension size = super.getPreferredSize();
        if (isPreferredSizeSet()) {
            return size;
        }
        FontMetrics metrics = getFontMetrics(getFont());
        int wider = metrics.stringWidth(text("copy.copied")) - metrics.stringWidth(getText());
        return wider > 0 ? new Dimension(size.width + wider, size.height) : size;
    }
}
