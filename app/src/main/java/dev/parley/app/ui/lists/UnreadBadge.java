package dev.parley.app.ui.lists;

import com.formdev.flatlaf.util.UIScale;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import javax.swing.UIManager;

/** The unread count of a list's line, in a pill of the accent colour; a selected line's pill takes its colours. */
public final class UnreadBadge {
    private UnreadBadge() {
    }

    /**
     * Paints {@code unread} in a pill ending at {@code right}, centred on the text line at {@code baseline};
     * returns the pill's left edge.
     */
    public static int paint(Graphics2D g, Font font, int unread, int right, int baseline, boolean selected,
                            Color selectedForeground, Color selectedBackground) {
        String count = unread > 999 ? "999+" : String.valueOf(unread);
        g.setFont(font.deriveFont(Font.BOLD));
        FontMetrics metrics = g.getFontMetrics();
        int height = UIScale.scale(20);
        int width = Math.max(height, metrics.stringWidth(count) + UIScale.scale(12));
        int top = baseline - metrics.getAscent() + (metrics.getAscent() - height) / 2 + UIScale.scale(1);
        g.setColor(selected ? selectedForeground : UIManager.getColor("Component.accentColor"));
        g.fillRoundRect(right - width, top, width, height, height, height);
        g.setColor(selected ? selectedBackground : Color.WHITE);
        g.drawString(count, right - width + (width - metrics.stringWidth(count)) / 2,
                top + (height - metrics.getHeight()) / 2 + metrics.getAscent());
        return right - width;
    }
}
