package dev.parley.transport.relay;

import dev.parley.transport.relay.pb.CircuitProtos.Limit;
import java.time.Duration;
import java.util.Optional;

/**
 * What one relayed connection may use before the relay resets it.
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

    /** The wire form; absent when nothing is limited, which the spec reads as "no limits". */
    Optional<Limit> toProto() {
        if (equals(UNLIMITED)) {
            return Optional.empty();
        }
        return Optional.of(Limit.newBuilder().setDuration((int) duration.toSeconds()).setData(dataBytes).build());
    }

    static CircuitLimit fromProto(Optional<Limit> limit) {
        return limit.map(l -> new CircuitLimit(Duration.ofSeconds(Integer.toUnsignedLong(l.getDuration())),
                Math.max(0, l.getData()))).orElse(UNLIMITED);
    }
}
