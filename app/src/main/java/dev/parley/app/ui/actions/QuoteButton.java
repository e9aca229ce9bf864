package dev.parley.app.ui.actions;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.ui.i18n.Texts;
import java.awt.Color;
import java.awt.Cursor;
import java.awt.Graphics;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.SwingConstants;

/**
 * The message a reply answers, above the reply's text: its author and the start of its text, behind a bar. A click
 * (or Space when focused) goes to the original.
 */
public final class QuoteButton extends JButton {
    /** How much of the quoted text shows. */
    private static final int SHOWN_CHARACTERS = 80;
    private Color bar = Color.GRAY;

    public QuoteButton() {
        setName("replyQuote");
        getAccessibleContext().setAccessibleName(Texts.text("actions.quote.tooltip"));
        putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
        setHorizontalAlignment(SwingConstants.LEADING);
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(2), UIScale.scale(9), UIScale.scale(2),
                UIScale.scale(4)));
        setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        setVisible(false);
    }

    /** Shows {@code author}'s {@code text} (empty: the original is not here, or was deleted). */
    public void show(String author, String text, Color foreground, Color barColour) {
        String shown = text.isEmpty() ? Texts.text("actions.quote.unavailable")
                : shorten(text.replace('\n', ' '));
        setText(Texts.text("actions.quote", author, shown));
        setForeground(foreground);
        bar = barColour;
        getAccessibleContext().setAccessibleName(Texts.text("actions.quote.name", author, shown));
        setToolTipText(Texts.text("actions.quote.tooltip"));
        setVisible(true);
    }

    private static String shorten(String text) {
        return text.codePointCount(0, text.length()) <= SHOWN_CHARACTERS ? text
                : text.substring(0, text.offsetByCodePoints(0, SHOWN_CHARACTERS - 1)) + "…";
    }

    @Override
    protected void paintComponent(Graphics g) {
        super.paintComponent(g);
        g.setColor(bar);
        g.fillRect(0, 0, UIScale.scale(3), getHeight());
    }
}
