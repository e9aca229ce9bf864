package dev.parley.app.ui;

import java.awt.FontMetrics;

/** Fitting text into painted space. */
final class Text {
    private static final String ELLIPSIS = "…";

    private Text() {
    }

    /** {@code text}, cut at a code point boundary and ended with "…" if it is wider than {@code width}. */
    static String clip(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        int available = width - metrics.stringWidth(ELLIPSIS);
        int end = 0;
        int used = 0;
        while (end < text.length()) {
            int next = text.offsetByCodePoints(end, 1);
            int w = metrics.stringWidth(text.substring(end, next));
            if (used + w > available) {
                break;
            }
            used += w;
            end = next;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
