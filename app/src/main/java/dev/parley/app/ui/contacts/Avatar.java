package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.Locale;
import javax.swing.Icon;

/**
 * A round badge with the first letter of a peer's name, its colour chosen by the PeerId so that two people with
 * the same name still look different.
 */
final class Avatar implements Icon {
    /** Mid-tone colours that carry white letters on both light and dark backgrounds. */
    private static final Color[] COLOURS = {
            new Color(0x2f6fde), new Color(0x1f8a70), new Color(0xb3541e), new Color(0x8e44ad),
            new Color(0xc0392b), new Color(0x2c7c9b), new Color(0x6b7d1e), new Color(0xad3f75)};

    private final String initial;
    private final Color colour;
    private final int size;

    /** @param size the diameter at 100 % scale */
    Avatar(String name, PeerId peer, int size) {
        String trimmed = name.strip();
        this.initial = trimmed.isEmpty() ? "?"
                : new String(Character.toChars(trimmed.codePointAt(0))).toUpperCase(Locale.ROOT);
        this.colour = COLOURS[Math.floorMod(peer.hashCode(), COLOURS.length)];
        this.size = size;
    }

    @Override
    public void paintIcon(Component component, Graphics g, int x, int y) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int diameter = getIconWidth();
            g2.setColor(colour);
            g2.fillOval(x, y, diameter, diameter);
            g2.setColor(Color.WHITE);
            g2.setFont(component.getFont().deriveFont(Font.BOLD, diameter * 0.45f));
            FontMetrics metrics = g2.getFontMetrics();
            int textX = x + (diameter - metrics.stringWidth(initial)) / 2;
            int textY = y + (diameter - metrics.getHeight()) / 2 + metrics.getAscent();
            g2.drawString(initial, textX, textY);
        } finally {
            g2.dispose();
        }
    }

    @Override
    public int getIconWidth() {
        return UIScale.scale(size);
    }

    @Override
    public int getIconHeight() {
        return UIScale.scale(size);
    }
}
