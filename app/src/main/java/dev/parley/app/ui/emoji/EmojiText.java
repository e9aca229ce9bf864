package dev.parley.app.ui.emoji;

import com.formdev.flatlaf.ui.FlatUIUtils;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import javax.swing.JComponent;

/**
 * One line of text with its emoji as colour pictures, for whatever paints text itself: the conversation list, and
 * through {@link EmojiLabelUI} every label (names, room titles, notices). Measures, clips and draws alike, so a
 * clipped line ends where its pictures do.
 */
public final class EmojiText {
    private static final String ELLIPSIS = "…";

    private EmojiText() {
    }

    /** How wide {@code text} is drawn in {@code metrics}' font, emoji as pictures. */
    public static int width(String text, FontMetrics metrics) {
        List<Emoji.Run> runs = Emoji.find(text);
        if (runs.isEmpty()) {
            return metrics.stringWidth(text);
        }
        int width = 0;
        int at = 0;
        for (Emoji.Run run : runs) {
            width += metrics.stringWidth(text.substring(at, run.start())) + picture(run, metrics).getIconWidth();
            at = run.end();
        }
        return width + metrics.stringWidth(text.substring(at));
    }

    /**
     * {@code text}, cut between characters (never inside an emoji) and ended with "…" if it is wider than
     * {@code width}.
     */
    public static String clip(String text, FontMetrics metrics, int width) {
        if (width(text, metrics) <= width) {
            return text;
        }
        List<Emoji.Run> runs = Emoji.find(text);
        int available = width - metrics.stringWidth(ELLIPSIS);
        int end = 0;
        int used = 0;
        int nextRun = 0;
        while (end < text.length()) {
            int next;
            int w;
            if (nextRun < runs.size() && runs.get(nextRun).start() <= end) {
                Emoji.Run run = runs.get(nextRun++);
                next = run.end();
                w = picture(run, metrics).getIconWidth();
            } else {
                next = text.offsetByCodePoints(end, 1);
                w = metrics.stringWidth(text.substring(end, next));
            }
            if (used + w > available) {
                break;
            }
            used += w;
            end = next;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /**
     * Draws {@code text} with its left end at {@code x} on {@code baseline}, in {@code g}'s font and colour, with
     * {@code component}'s text antialiasing.
     */
    public static void draw(JComponent component, Graphics2D g, String text, int x, int baseline) {
        List<Emoji.Run> runs = Emoji.find(text);
        FontMetrics metrics = g.getFontMetrics();
        int at = 0;
        for (Emoji.Run run : runs) {
            String before = text.substring(at, run.start());
            FlatUIUtils.drawString(component, g, before, x, baseline);
            x += metrics.stringWidth(before);
            Emoji.Picture picture = picture(run, metrics);
            picture.paintIcon(component, g, x, baseline - picture.getIconHeight());
            x += picture.getIconWidth();
            at = run.end();
        }
        FlatUIUtils.drawString(component, g, text.substring(at), x, baseline);
    }

    private static Emoji.Picture picture(Emoji.Run run, FontMetrics metrics) {
        return Emoji.Picture.forText(run.glyph(), metrics.getFont().getSize2D());
    }
}
