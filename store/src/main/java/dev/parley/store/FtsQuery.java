package dev.parley.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a user typed into an FTS5 query that can never be a syntax error: every whitespace-separated word
 * becomes a quoted string (inner quotes doubled), so {@code AND}, {@code *}, {@code "}, {@code NEAR(},
 * {@code col:} and unbalanced quotes are searched for as text, never read as operators. Words are ANDed; a word
 * with inner punctuation ({@code e-mail}) matches as a phrase of its parts. The last word is a prefix ({@code "welc"*}
 * finds "welcome"), since a search runs as the user types; once they type a space after it, it is a whole word.
 */
final class FtsQuery {
    private FtsQuery() {
    }

    /** A query for the words in message bodies, or empty when the text holds no letter or digit to search for. */
    static Optional<String> fromUserText(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (searchable(word)) {
                terms.add(quoted(word));
            }
        }
        boolean lastWordFinished = text.isEmpty() || Character.isWhitespace(text.charAt(text.length() - 1));
        if (!terms.isEmpty() && !lastWordFinished) {
            terms.set(terms.size() - 1, terms.getLast() + "*");
        }
        return terms.isEmpty() ? Optional.empty() : Optional.of("body : (" + String.join(" ", terms) + ")");
    }

    private static boolean searchable(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
