package dev.parley.app.engine.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final HybridClock clock = new HybridClock(wall::get);

    @Test
    void followsTheWallClockWithACounterWithinOneMillisecond() {
        long first = clock.now();
        long second = clock.now();
        wall.addAndGet(5);
        long third = clock.now();

        assertThat(HybridClock.millis(first)).isEqualTo(1_700_000_000_000L);
        assertThat(second).isEqualTo(first + 1);
        assertThat(HybridClock.millis(third)).isEqualTo(1_700_000_000_005L);
        assertThat(third & 0xFFFF).isZero();
    }

    @Test
    void neverGoesBackWhenTheWallClockIsSteppedBack() {
        long before = clock.now();
        wall.addAndGet(-10_000);

        long after = clock.now();

        assertThat(after).isGreaterThan(before);
        assertThat(HybridClock.millis(after)).isEqualTo(HybridClock.millis(before));
    }

    @Test
    void counterOverflowCarriesIntoTheMillisecondsAndKeepsTheOrder() {
        long previous = clock.now();
        for (int i = 0; i < 70_000; i++) {
            long next = clock.now();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
        assertThat(HybridClock.millis(previous)).isEqualTo(1_700_000_000_001L);
    }

    @Test
    void comesAfterWhatPeersSent() {
        long remote = (wall.get() + 30_000) << 16 | 7;

        assertThat(clock.observe(remote)).isTrue();

        assertThat(clock.now()).isEqualTo(remote + 1);
    }

    @Test
    void refusesTimestampsMoreThanAMinuteAhead() {
        long farAhead = (wall.get() + HybridClock.MAX_AHEAD.toMillis() + 1) << 16;

        assertThat(clock.observe(farAhead)).isFalse();
        assertThat(clock.observe(-1)).isFalse();

        assertThat(HybridClock.millis(clock.now())).isEqualTo(wall.get());
    }
}
