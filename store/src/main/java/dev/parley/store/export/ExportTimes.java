package dev.parley.store.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as exports write them, in the time zone the export is made for: ISO-8601 with offset and milliseconds for
 * programs (the store keeps milliseconds, so nothing is lost), minutes and days for people.
 */
final class ExportTimes {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX",
            Locale.ROOT);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, d MMMM uuuu", Locale.ENGLISH);

    private final ZoneId zone;

    ExportTimes(ZoneId zone) {
        this.zone = zone;
    }

    String iso(Instant time) {
        return ISO.format(time.atZone(zone));
    }

    /** {@code 2026-11-21 14:03}. */
    String minute(Instant time) {
        return MINUTE.format(time.atZone(zone));
    }

    /** {@code 14:03}. */
    String clock(Instant time) {
        return CLOCK.format(time.atZone(zone));
    }

    LocalDate day(Instant time) {
        return time.atZone(zone).toLocalDate();
    }

    /** {@code Saturday, 21 November 2026}. */
    static String dayName(LocalDate day) {
        return DAY.format(day);
    }
}
