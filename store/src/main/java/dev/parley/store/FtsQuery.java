package dev.parley.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a user typed into an FTS5 query that can never be a syntax error: every whitespace-separated word
 * becomes a quoted string (inner quotes doubled), so {@code AND}, {@code *}, {@code "}, {@code NEAR(},
 * {@code col:} and unbalanced quotes are searched for as text, never read as operators. Words are ANDed; a word
 * with inner punctuation ({@code e-mail}) matches as a phrase of its parts.
 */
final class FtsQuery {
    private FtsQuery() {
    }

    /** The query, or empty when the text holds no letter or digit to search for. */
    static Optional<String> fromUserText(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (word.codePoints().anyMatch(Character::isLetterOrDigit)) {
                terms.add('"' + word.replace("\"", "\"\"") + '"');
            }
        }
        return terms.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", terms));
    }
}
