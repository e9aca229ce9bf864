package dev.parley.transport.spi;

import java.time.Duration;

/**
 * What one relayed connection may use before the relay resets it (circuit relay v2's {@code Limit}): what a relay
 * grants, and what each end of a circuit was told.
 *
 * @param duration  how long it may stay open; zero for no limit
 * @param dataBytes how many bytes it may carry in each direction; zero for no limit
 */
public record CircuitLimit(Duration duration, long dataBytes) {
    public static final CircuitLimit UNLIMITED = new CircuitLimit(Duration.ZERO, 0);

    public CircuitLimit {
        if (duration.isNegative() || dataBytes < 0) {
            throw new IllegalArgumentException("circuit limit must not be negative: " + duration + ", "
                    + dataBytes + " bytes");
        }
        if (duration.toSeconds() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("circuit duration " + duration + " exceeds the wire's 32-bit seconds");
        }
    }
}
