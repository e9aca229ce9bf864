package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TimeLabelsTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    /** Wednesday 5 March 2025, 15:30 in Paris. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2025, 3, 5, 15, 30, 0, 0, ZONE);
    private final TimeLabels labels = new TimeLabels(Clock.fixed(NOW.toInstant(), ZONE), Locale.UK);

    private static Instant at(int day, int hour, int minute) {
        return ZonedDateTime.of(2025, 3, day, hour, minute, 0, 0, ZONE).toInstant();
    }

    @Test
    void theListShowsTheTimeTodayTheWeekdayThisWeekAndTheDateBefore() {
        assertThat(labels.listTime(at(5, 9, 7))).isEqualTo("09:07");
        assertThat(labels.listTime(at(3, 23, 59))).isEqualTo("Mon");
        assertThat(labels.listTime(ZonedDateTime.of(2025, 2, 27, 10, 0, 0, 0, ZONE).toInstant())).isEqualTo("Thu");
        assertThat(labels.listTime(ZonedDateTime.of(2025, 2, 20, 10, 0, 0, 0, ZONE).toInstant()))
                .isEqualTo("20/02/2025");
    }

    @Test
    void dayHeadingsSayTodayYesterdayTheWeekdayThenTheDate() {
        assertThat(labels.dayHeading(LocalDate.of(2025, 3, 5))).isEqualTo("Today");
        assertThat(labels.dayHeading(LocalDate.of(2025, 3, 4))).isEqualTo("Yesterday");
        assertThat(labels.dayHeading(LocalDate.of(2025, 3, 1))).isEqualTo("Saturday");
        assertThat(labels.dayHeading(LocalDate.of(2025, 2, 20))).isEqualTo("20 February 2025");
    }

    @Test
    void lastSeenNamesTodayAndYesterdayWithTheTime() {
        assertThat(labels.lastSeen(at(5, 8, 0))).isEqualTo("last seen today at 08:00");
        assertThat(labels.lastSeen(at(4, 22, 15))).isEqualTo("last seen yesterday at 22:15");
        assertThat(labels.lastSeen(at(1, 12, 0))).isEqualTo("last seen 1 March 2025");
    }

    @Test
    void daysFollowTheLocalZoneNotUtc() {
        Instant justAfterLocalMidnight = at(5, 0, 30);
        assertThat(labels.day(justAfterLocalMidnight)).isEqualTo(LocalDate.of(2025, 3, 5));
        assertThat(labels.messageTime(justAfterLocalMidnight)).isEqualTo("00:30");
    }
}
