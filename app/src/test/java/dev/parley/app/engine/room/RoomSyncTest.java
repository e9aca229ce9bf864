package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a push dials a member again that could not be dialled, as a function of the time. */
class RoomSyncTest {
    static final Instant FAILED = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aMemberThatCouldNotBeDialledIsDialledAgainForAPushOnlyAfterTheWait() {
        Instant noDialBefore = FAILED.plus(RoomSync.REDIAL_AFTER);
        assertThat(RoomSync.waitingToRedial(Instant.MIN, FAILED)).as("never failed").isFalse();
        assertThat(RoomSync.waitingToRedial(noDialBefore, FAILED)).as("just failed").isTrue();
        assertThat(RoomSync.waitingToRedial(noDialBefore, noDialBefore.minusMillis(1))).isTrue();
        assertThat(RoomSync.waitingToRedial(noDialBefore, noDialBefore)).as("the wait is over").isFalse();
    }

    @Test
    void aWallClockSteppedBackHoldsTheRedialNoLongerThanTheWait() {
        Instant noDialBefore = FAILED.plus(RoomSync.REDIAL_AFTER);
        assertThat(RoomSync.waitingToRedial(noDialBefore, FAILED.minusSeconds(3_600))).isFalse();
        assertThat(RoomSync.waitingToRedial(noDialBefore, FAILED.minusMillis(1))).isFalse();
    }
}
