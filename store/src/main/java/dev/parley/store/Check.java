package dev.parley.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Checks the records run on construction, so a bad value fails where it is made, before any write. */
final class Check {
    private Check() {
    }

    /** An id: present, not blank, at most {@link StoreLimits#MAX_ID_LENGTH} characters. */
    static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " is missing");
        }
        if (value.length() > StoreLimits.MAX_ID_LENGTH) {
            throw new InvalidInputException(field + " is " + value.length() + " characters long; the limit is "
                    + StoreLimits.MAX_ID_LENGTH);
        }
        return value;
    }

    /** An id that may be absent. */
    static String optionalId(String field, String value) {
        return value == null ? null : id(field, value);
    }

    static <T> T present(String field, T value) {
        return Objects.requireNonNull(value, () -> field + " is missing");
    }

    /** A time as the store keeps it: to the millisecond, so what is read back equals what was written. */
    static Instant time(String field, Instant value) {
        return present(field, value).truncatedTo(ChronoUnit.MILLIS);
    }

    static Instant optionalTime(Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A page or result size: 1 to {@link StoreLimits#MAX_PAGE_SIZE}. */
    static int limit(int limit) {
        if (limit < 1 || limit > StoreLimits.MAX_PAGE_SIZE) {
            throw new InvalidInputException("limit " + limit + " is outside 1.." + StoreLimits.MAX_PAGE_SIZE);
        }
        return limit;
    }
}
