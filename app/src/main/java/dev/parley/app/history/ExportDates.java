package dev.parley.app.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The dates {@code --since} and {@code --until} take, in the user's time zone unless they carry an offset: a day
 * ({@code 2026-11-21}), a time of day ({@code 2026-11-21T14:00}) or an exact time
 * ({@code 2026-11-21T14:00:00+01:00}, {@code …Z}). A day given to {@code --until} includes that whole day.
 */
public final class ExportDates {
    private ExportDates() {
    }

    /** The first instant {@code text} covers. @throws IllegalArgumentException when it is not such a date */
    public static Instant since(String text, ZoneId zone) {
        return parse(text, zone, false);
    }

    /** The first instant after what {@code text} covers. @throws IllegalArgumentException when it is not a date */
    public static Instant until(String text, ZoneId zone) {
        return parse(text, zone, true);
    }

    private static Instant parse(String text, ZoneId zone, boolean endOfDay) {
        String value = text.strip();
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date: write 2026-11-21, 2026-11-21T14:00"
                    + " or 2026-11-21T14:00:00+01:00");
        }
    }
}
