package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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

/** Finds web links in message text (also bare {@code www.} addresses, as https) and opens them in the browser. */
final class Links {
    private static final Pattern CANDIDATE = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+");
    /** A bare address: "www." and at least a dot further, as in www.example.org, not just "www.". */
    private static final Pattern BARE = Pattern.compile("(?i)www\\.[^./]+\\.[^\\s]+");
    /** Punctuation that ends a sentence around a link rather than belonging to it. */
    private static final String TRAILING = ".,;:!?'\")]}";

    /** A link at characters {@code [start, end)} of a text. */
    record Link(int start, int end, URI uri) {
    }

    private Links() {
    }

    /**
     * The http and https links in {@code text}, in order, and the bare www. addresses, which open as https; a
     * candidate that is not a valid URI is left as text.
     */
    static List<Link> find(String text) {
        List<Link> links = new ArrayList<>();
        Matcher matcher = CANDIDATE.matcher(text);
        while (matcher.find()) {
            int end = trimmedEnd(text, matcher.start(), matcher.end());
            String candidate = text.substring(matcher.start(), end);
            boolean bare = candidate.regionMatches(true, 0, "www.", 0, 4);
            if (bare && (!BARE.matcher(candidate).matches() || continuesAnAddress(text, matcher.start()))) {
                continue;
            }
            try {
                URI uri = new URI(bare ? "https://" + candidate : candidate);
                if (uri.getHost() != null) {
                    links.add(new Link(matcher.start(), end, uri));
                }
            } catch (URISyntaxException e) {
                // Not a link after all (e.g. "http://[oops"): the words stay plain text.
            }
        }
        return links;
    }

    /** Whether a "www." continues something else, as in "me@www.example.org" or "x.www.example.org". */
    private static boolean continuesAnAddress(String text, int at) {
        return at > 0 && "@./-".indexOf(text.charAt(at - 1)) >= 0;
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
                throw new IOException(text("link.noBrowser"));
            }
            Desktop.getDesktop().browse(uri);
            return uri;
        }, opened -> { }, failure -> JOptionPane.showMessageDialog(parent,
                text("link.failed", uri, failure.getMessage()), text("link.failed.title"),
                JOptionPane.WARNING_MESSAGE));
    }
}
