package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How times read in the window, relative to today: the conversation list's "14:05", "Mon" or a date, the timeline's
 * "Today" and "Yesterday" day separators, and "last seen" lines.
 */
final class TimeLabels {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** Within this many days a day is named by its weekday rather than its date. */
    private static final int WEEK_DAYS = 6;

    private final Clock clock;
    private final Locale locale;
    private final DateTimeFormatter shortDate;
    private final DateTimeFormatter longDate;

    TimeLabels(Clock clock, Locale locale) {
        this.clock = clock;
        this.locale = locale;
        this.shortDate = DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(locale);
        this.longDate = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
    }

    static TimeLabels system() {
        return new TimeLabels(Clock.systemDefaultZone(), Locale.getDefault(Locale.Category.FORMAT));
    }

    ZoneId zone() {
        return clock.getZone();
    }

    LocalDate day(Instant time) {
        return time.atZone(clock.getZone()).toLocalDate();
    }

    /** The conversation list's time: {@code 14:05} today, the weekday this week, else the date. */
    String listTime(Instant time) {
        ZonedDateTime at = time.atZone(clock.getZone());
        long daysAgo = daysAgo(at.toLocalDate());
        if (daysAgo <= 0) {
            return TIME.format(at);
        }
        if (daysAgo <= WEEK_DAYS) {
            return weekday(at.getDayOfWeek(), TextStyle.SHORT);
        }
        return shortDate.format(at);
    }

    /** A message's time of day, {@code 14:05}. */
    String messageTime(Instant time) {
        return TIME.format(time.atZone(clock.getZone()));
    }

    /** A day separator in the timeline: "Today", "Yesterday", the weekday this week, else the date. */
    String dayHeading(LocalDate day) {
        long daysAgo = daysAgo(day);
        if (daysAgo == 0) {
            return text(locale, "time.today");
        }
        if (daysAgo == 1) {
            return text(locale, "time.yesterday");
        }
        if (daysAgo > 1 && daysAgo <= WEEK_DAYS) {
            return weekday(day.getDayOfWeek(), TextStyle.FULL);
        }
        return longDate.format(day);
    }

    /** "last seen today at 14:05", "last seen yesterday at 09:12", "last seen 3 March 2025". */
    String lastSeen(Instant time) {
        ZonedDateTime at = time.atZone(clock.getZone());
        long daysAgo = daysAgo(at.toLocalDate());
        if (daysAgo <= 0) {
            return text(locale, "time.lastSeenTodayAt", TIME.format(at));
        }
        if (daysAgo == 1) {
            return text(locale, "time.lastSeenYesterdayAt", TIME.format(at));
        }
        return text(locale, "time.lastSeenOn", longDate.format(at));
    }

    /** A full date and time for tooltips. */
    String full(Instant time) {
        ZonedDateTime at = time.atZone(clock.getZone());
        return longDate.format(at) + " " + TIME.format(at);
    }

    private long daysAgo(LocalDate day) {
        return ChronoUnit.DAYS.between(day, LocalDate.now(clock));
    }

    private String weekday(DayOfWeek day, TextStyle style) {
        return day.getDisplayName(style, locale);
    }
}
