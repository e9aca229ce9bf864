package dev.parley.app.cli;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a PEER, ROOM or MEMBER on a {@code parley chat} line names, among candidates that each have an id (a PeerId, a
 * room's id) and a display name. In this order: the one whose id it is; the one whose name it is; the only one whose
 * name or id starts with it. Case does not matter. When several fit at the first step that any fits, the reference
 * is ambiguous: an error lists them, with their ids to pick one by.
 */
final class Lookup {
    private Lookup() {
    }

    /** One of the things a reference may name. */
    record Candidate<T>(T value, String id, String name) {
        @Override
        public String toString() {
            return name + " (" + id + ")";
        }
    }

    /**
     * The candidate {@code reference} names, or empty when none fits.
     *
     * @throws IllegalArgumentException when several fit equally
     */
    static <T> Optional<T> find(String reference, Collection<Candidate<T>> candidates) {
        String wanted = reference.toLowerCase(Locale.ROOT);
        for (Predicate<Candidate<T>> fits : List.<Predicate<Candidate<T>>>of(
                candidate -> lower(candidate.id()).equals(wanted),
                candidate -> lower(candidate.name()).equals(wanted),
                candidate -> lower(candidate.name()).startsWith(wanted) || lower(candidate.id()).startsWith(wanted))) {
            List<Candidate<T>> matches = candidates.stream().filter(fits).toList();
            if (matches.size() == 1) {
                return Optional.of(matches.getFirst().value());
            }
            if (matches.size() > 1) {
                throw new IllegalArgumentException("'" + reference + "' is ambiguous: it matches "
                        + String.join(", ", matches.stream().map(Candidate::toString).toList())
                        + "; give more of the name, or the id");
            }
        }
        return Optional.empty();
    }

    /**
     * The longest of {@code names} that {@code line} starts with (any case) as a whole word, so that a name with
     * spaces needs no quotes: {@code /msg Ada L. hello} is to "Ada L.".
     */
    static Optional<String> leadingName(String line, Collection<String> names) {
        return names.stream()
                .filter(name -> !name.isEmpty() && line.regionMatches(true, 0, name, 0, name.length())
                        && (line.length() == name.length() || Character.isWhitespace(line.charAt(name.length()))))
                .max((a, b) -> Integer.compare(a.length(), b.length()));
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
