package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.Locale;
import javax.swing.UIManager;

/**
 * Round avatars with a person's initials on a colour of their own (from their PeerId, so it is the same in every
 * view), and the presence dot at the avatar's lower right.
 */
public final class Avatars {
    /** Mid-tone colours under white initials: readable on light and dark backgrounds alike. */
    private static final Color[] COLOURS = {
        new Color(0xD5_4E_4E), new Color(0xD9_7A_2B), new Color(0x3A_9A_5B), new Color(0x2E_86_C1),
        new Color(0x7D_5B_C9), new Color(0xC2_4E_9A), new Color(0x1F_9E_9E), new Color(0x6B_7D_2B),
    };

    private Avatars() {
    }

    public static Color colour(PeerId peer) {
        return COLOURS[Math.floorMod(peer.hashCode(), COLOURS.length)];
    }

    /** Up to two initials: of the first two words, or the first character. */
    static String initials(String name) {
        String[] words = name.strip().split("\\s+");
        StringBuilder initials = new StringBuilder();
        for (int i = 0; i < words.length && initials.length() < 4; i++) {
            if (!words[i].isEmpty()) {
                initials.appendCodePoint(words[i].codePointAt(0));
            }
            if (i == 1) {
                break;
            }
        }
        return initials.toString().toUpperCase(Locale.ROOT);
    }

    /** Paints the avatar of {@code peer} with its top left at (x, y). */
    public static void paint(Graphics2D g, PeerId peer, String name, int x, int y, int size) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(colour(peer));
        g.fillOval(x, y, size, size);
        Font base = UIManager.getFont("defaultFont");
        g.setFont(base.deriveFont(Font.BOLD, size * 0.38f));
        FontMetrics metrics = g.getFontMetrics();
        String initials = initials(name);
        g.setColor(Color.WHITE);
        g.drawString(initials, x + (size - metrics.stringWidth(initials)) / 2,
                y + (size - metrics.getHeight()) / 2 + metrics.getAscent());
    }

    /** The presence dot at the lower right of an avatar at (x, y): green when online, nothing otherwise. */
    public static void paintOnline(Graphics2D g, int x, int y, int size, Color ring) {
        int dot = Math.max(UIScale.scale(10), size / 4);
        int dx = x + size - dot;
        int dy = y + size - dot;
        int border = UIScale.scale(2);
        g.setColor(ring);
        g.fillOval(dx - border, dy - border, dot + 2 * border, dot + 2 * border);
        g.setColor(new Color(0x2E_B8_5C));
        g.fillOval(dx, dy, dot, dot);
    }
}
