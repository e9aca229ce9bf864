package dev.parley.app.engine.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How the transfer of a file offered with a message stands on this device.
 *
 * @param bytesHeld      bytes on disk and checked
 * @param bytesPerSecond the recent rate while fetching, else 0
 * @param problem        why it failed, or waits, in English
 */
public record FileTransfer(State state, long bytesHeld, long size, double bytesPerSecond, Optional<String> problem) {
    public enum State {
        /** Offered; not asked for yet (a large file, or one from a request). */
        OFFERED,
        /** Asked for, and no peer that holds it is reachable now (or only through a relay too small for it). */
        WAITING,
        FETCHING,
        PAUSED,
        /** All here, checked against the offer. */
        COMPLETE,
        CANCELLED,
        FAILED
    }

    /** The time left at the recent rate, while fetching. */
    public Optional<Duration> timeLeft() {
        if (state != State.FETCHING || bytesPerSecond <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((size - bytesHeld) * 1000 / bytesPerSecond)));
    }
}
