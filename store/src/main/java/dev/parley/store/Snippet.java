package dev.parley.store;

import java.util.ArrayList;
import java.util.List;

/**
 * An excerpt of a message body around the words a search matched. The text is the body's own text (with "…" where
 * it was cut); the highlights say which ranges matched, so a view can style them without parsing markup.
 */
public record Snippet(String text, List<Highlight> highlights) {
    /** Characters {@code [start, end)} of the snippet's text matched the query. */
    public record Highlight(int start, int end) {
    }

    /*
     * SQLite's snippet() marks matches with strings of our choice. Unicode noncharacters are reserved for exactly
     * this kind of internal use, so they do not occur in text people write.
     */
    static final String OPEN_MARK = "\uFDD0";
    static final String CLOSE_MARK = "\uFDD1";

    public Snippet {
        highlights = List.copyOf(highlights);
    }

    /** Reads a snippet marked with {@link #OPEN_MARK} and {@link #CLOSE_MARK}. */
    static Snippet fromMarked(String marked) {
        StringBuilder text = new StringBuilder(marked.length());
        List<Highlight> highlights = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == OPEN_MARK.charAt(0)) {
                start = text.length();
            } else if (c == CLOSE_MARK.charAt(0) && start >= 0) {
                highlights.add(new Highlight(start, text.length()));
                start = -1;
            } else if (c != CLOSE_MARK.charAt(0)) {
                text.append(c);
            }
        }
        return new Snippet(text.toString(), highlights);
    }
}
