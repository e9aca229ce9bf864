package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.time.TokenBucket;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rate a peer's messages are stored at, as a function of the calls made and their times (no clock read). */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 123_456_789L;

    @Test
    void aFullBucketGivesItsBurstAtOnceThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(10, 3, T0);
        assertThat(bucket.take(1, T0)).isZero();
        assertThat(bucket.take(1, T0)).isZero();
        assertThat(bucket.take(1, T0)).isZero();

        assertThat(bucket.take(1, T0)).isEqualTo(SECOND / 10);
        assertThat(bucket.take(1, T0 + SECOND / 10)).as("the debt of the fourth was paid, the fifth makes one")
                .isEqualTo(SECOND / 10);
        assertThat(bucket.take(1, T0 + SECOND)).isZero();
    }

    @Test
    void itRefillsOnlyUpToItsBurstAndSaysWhenItIsFull() {
        TokenBucket bucket = new TokenBucket(10, 3, T0);
        bucket.take(3, T0);
        assertThat(bucket.full(T0 + SECOND / 5)).isFalse();
        assertThat(bucket.full(T0 + 3 * SECOND / 10)).isTrue();

        assertThat(bucket.take(3, T0 + 100 * SECOND)).as("an hour idle still gives only the burst").isZero();
        assertThat(bucket.take(1, T0 + 100 * SECOND)).isEqualTo(SECOND / 10);
    }

    @Test
    void aLargeTakeWaitsForItsWholeSize() {
        TokenBucket bytes = new TokenBucket(1_000, 1_000, T0);
        assertThat(bytes.take(5_000, T0)).isEqualTo(4 * SECOND);
    }

    @Test
    void aBucketHasSomethingToGiveUntilItIsEmptyOrInDebt() {
        TokenBucket bytes = new TokenBucket(100, 300, T0);
        assertThat(bytes.any(T0)).isTrue();
        bytes.take(299, T0);
        assertThat(bytes.any(T0)).as("one token left").isTrue();
        bytes.take(500, T0);
        assertThat(bytes.any(T0 + 4 * SECOND)).as("a debt of 499 is paid after 5 s, not 4").isFalse();
        assertThat(bytes.any(T0 + 5 * SECOND)).isTrue();
    }

    @Test
    void aBucketNeedsAFiniteRateAndBurst() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(Double.POSITIVE_INFINITY, 1, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLimiterPacesEachPeerByMessagesAndBytesAndLetsAnotherPeerBe() {
        InboundLimiter limiter = new InboundLimiter(new InboundRate(10, 2, 1_000, 1_500));
        PeerId flooder = Identity.generate().peerId();
        PeerId friend = Identity.generate().peerId();

        assertThat(limiter.charge(flooder, 10, T0)).isZero();
        assertThat(limiter.charge(flooder, 10, T0)).isZero();
        assertThat(limiter.charge(flooder, 10, T0)).as("past the burst of messages").isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.charge(friend, 10, T0)).as("another peer's bucket").isZero();
        assertThat(limiter.charge(friend, 2_000, T0)).as("past the burst of bytes: (2,010 - 1,500) / 1,000 s")
                .isEqualTo(Duration.ofMillis(510));
    }

    @Test
    void theLimiterForgetsPeersWhoseBucketsAreFullAgainSoFreshPeerIdsCostOnlyWhileTheySend() {
        InboundLimiter limiter = new InboundLimiter(new InboundRate(10, 1, 1_000, 1_000));
        PeerId flooder = Identity.generate().peerId();
        limiter.charge(flooder, 1, T0);
        limiter.charge(flooder, 1, T0);
        for (int i = 0; i <= InboundLimiter.FORGET_FULL_ABOVE; i++) {
            limiter.charge(Identity.generate().peerId(), 1, T0);
        }
        assertThat(limiter.charge(flooder, 1, T0)).as("a bucket in debt is kept").isEqualTo(Duration.ofMillis(200));

        limiter.charge(Identity.generate().peerId(), 1, T0 + 10 * SECOND);
        assertThat(limiter.peers()).as("all full again by then, and forgotten, but the newest").isEqualTo(1);
    }

    @Test
    void unlimitedMeansNoWait() {
        InboundLimiter limiter = new InboundLimiter(InboundRate.UNLIMITED);
        PeerId peer = Identity.generate().peerId();
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.charge(peer, 1 << 20, T0)).isZero();
        }
    }
}
