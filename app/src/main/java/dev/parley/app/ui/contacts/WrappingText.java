package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import java.awt.Dimension;
import java.awt.Insets;
import javax.swing.BorderFactory;
import javax.swing.JTextArea;
import javax.swing.text.View;

/**
 * Read-only text that wraps at word boundaries to the width its container gives it and asks for just the height
 * that takes, so a long sentence never widens a dialog. Until it is laid out it assumes {@value #ASSUMED_WIDTH}
 * pixels; {@link Dialogs#fit} packs twice for that reason.
 */
class WrappingText extends JTextArea {
    private static final int ASSUMED_WIDTH = 360;
    private static final int MINIMUM_WIDTH = 120;

    WrappingText() {
        setEditable(false);
        setFocusable(false);
        setOpaque(false);
        setLineWrap(true);
        setWrapStyleWord(true);
        setBorder(BorderFactory.createEmptyBorder());
    }

    @Override
    public Dimension getPreferredSize() {
        Insets insets = getInsets();
        int width = getWidth() > 0 ? getWidth() : UIScale.scale(ASSUMED_WIDTH);
        View root = getUI().getRootView(this);
        root.setSize(Math.max(1, width - insets.left - insets.right), Integer.MAX_VALUE);
        int height = (int) Math.ceil(root.getPreferredSpan(View.Y_AXIS)) + insets.top + insets.bottom;
        return new Dimension(UIScale.scale(MINIMUM_WIDTH), height);
    }

    @Override
    public Dimension getMinimumSize() {
        return getPreferredSize();
    }
}
