package dev.parley.app.ui;

import dev.parley.app.ui.tasks.UiTasks;
import java.awt.Component;
import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.swing.JOptionPane;

/** Finds web links in message text and opens them in the user's browser. */
final class Links {
    private static final Pattern CANDIDATE = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"]+");
    /** Punctuation that ends a sentence around a link rather than belonging to it. */
    private static final String TRAILING = ".,;:!?'\")]}";

    /** A link at characters {@code [start, end)} of a text. */
    record Link(int start, int end, URI uri) {
    }

    private Links() {
    }

    /** The http and https links in {@code text}, in order; a candidate that is not a valid URI is left as text. */
    static List<Link> find(String text) {
        List<Link> links = new ArrayList<>();
        Matcher matcher = CANDIDATE.matcher(text);
        while (matcher.find()) {
            int end = trimmedEnd(text, matcher.start(), matcher.end());
            try {
                URI uri = new URI(text.substring(matcher.start(), end));
                if (uri.getHost() != null) {
                    links.add(new Link(matcher.start(), end, uri));
                }
            } catch (URISyntaxException e) {
                // Not a link after all (e.g. "http://[oops"): the words stay plain text.
            }
        }
        return links;
    }

    /** Drops sentence punctuation from a link's end, but keeps a closing bracket the link itself opened. */
    private static int trimmedEnd(String text, int start, int end) {
        while (end > start && TRAILING.indexOf(text.charAt(end - 1)) >= 0) {
            char last = text.charAt(end - 1);
            if (last == ')' && count(text, start, end, '(') >= count(text, start, end, ')')) {
                break;
            }
            end--;
        }
        return end;
    }

    private static long count(String text, int start, int end, char c) {
        return text.substring(start, end).chars().filter(ch -> ch == c).count();
    }

    /** Opens {@code uri} in the browser off the EDT; says so in a dialog over {@code parent} if there is none. */
    static void open(URI uri, Component parent) {
        UiTasks.run(() -> {
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                throw new IOException("no web browser is set up on this system");
            }
            Desktop.getDesktop().browse(uri);
            return uri;
        }, opened -> { }, failure -> JOptionPane.showMessageDialog(parent,
                "Could not open " + uri + ": " + failure.getMessage()
                        + ".\nCopy the link from the message and paste it into a browser instead.",
                "Link not opened", JOptionPane.WARNING_MESSAGE));
    }
}
