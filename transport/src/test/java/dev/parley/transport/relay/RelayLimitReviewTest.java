package dev.parley.transport.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Limit;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.spi.CircuitLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Review 23d: limits a hostile relay sends at the edges of the wire's unsigned fields. */
class RelayLimitReviewTest {
    /** uint32 seconds and uint64 bytes at their largest, which Java's signed getters read as -1. */
    private static final Limit LARGEST = Limit.newBuilder().setDuration(-1).setData(-1L).build();

    @Test
    void theLargestLimitAHopStatusCanSayIsReadWithoutThrowingAndAsNoDataLimit() {
        CircuitLimit read = RelayCodec.limit(HopMessage.newBuilder().setLimit(LARGEST).buildPartial());

        assertThat(read.duration()).isEqualTo(Duration.ofSeconds(0xFFFF_FFFFL));
        // 2^64 - 1 bytes carries any file: reading it as "no data limit" lets no more through than it said.
        assertThat(read.dataBytes()).isZero();
    }

    @Test
    void theLargestLimitAStopConnectCanSayIsReadWithoutThrowing() {
        CircuitLimit read = RelayCodec.limit(StopMessage.newBuilder().setLimit(LARGEST).buildPartial());

        assertThat(read.duration()).isEqualTo(Duration.ofSeconds(0xFFFF_FFFFL));
        assertThat(read.dataBytes()).isZero();
    }

    @Test
    void aLimitOfNothingAtAllIsReadAsNoLimitNotAsARefusal() {
        CircuitLimit read = RelayCodec.limit(HopMessage.newBuilder()
                .setLimit(Limit.newBuilder().setDuration(0).setData(0)).buildPartial());

        assertThat(read).isEqualTo(CircuitLimit.UNLIMITED);
    }
}
