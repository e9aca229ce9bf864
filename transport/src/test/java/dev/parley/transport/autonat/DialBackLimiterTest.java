package dev.parley.transport.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import org.junit.jupiter.api.Test;

class DialBackLimiterTest {
    private static final AutoNatConfig CONFIG = AutoNatConfig.defaults();

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void onePeerGetsOneDialBackInFlightAndAnotherAfterItEnds() {
        DialBackLimiter limiter = new DialBackLimiter(CONFIG.withDialBacksInFlight(8, 1));
        PeerId alice = peer();

        assertThat(limiter.admit(alice)).isEmpty();
        assertThat(limiter.admit(alice)).get().asString().contains("1 dial-backs for you already under way");
        assertThat(limiter.admit(peer())).as("another peer is not held up").isEmpty();

        limiter.release(alice);
        assertThat(limiter.admit(alice)).isEmpty();
    }

    @Test
    void theOverallInFlightLimitHoldsAcrossPeers() {
        DialBackLimiter limiter = new DialBackLimiter(CONFIG.withDialBacksInFlight(2, 1));
        PeerId first = peer();
        assertThat(limiter.admit(first)).isEmpty();
        assertThat(limiter.admit(peer())).isEmpty();

        assertThat(limiter.admit(peer())).get().asString().contains("busy with 2 other dial-backs");

        limiter.release(first);
        assertThat(limiter.admit(peer())).isEmpty();
    }

    @Test
    void aPeerOverItsMinuteLimitIsRefusedEvenAfterItsDialBacksEnd() {
        DialBackLimiter limiter = new DialBackLimiter(CONFIG.withRequestsPerMinute(100, 2));
        PeerId alice = peer();
        for (int i = 0; i < 2; i++) {
            assertThat(limiter.admit(alice)).isEmpty();
            limiter.release(alice);
        }

        assertThat(limiter.admit(alice)).get().asString().contains("from you").contains("limit 2");
        assertThat(limiter.admit(peer())).isEmpty();
    }

    @Test
    void theOverallMinuteLimitCountsOnlyAdmittedRequests() {
        DialBackLimiter limiter = new DialBackLimiter(CONFIG.withRequestsPerMinute(3, 2));
        PeerId flooder = peer();
        for (int i = 0; i < 10; i++) {
            limiter.admit(flooder).ifPresentOrElse(refusal -> { }, () -> limiter.release(flooder));
        }
        assertThat(limiter.admit(peer())).as("the flooder's refused requests left room").isEmpty();

        assertThat(limiter.admit(peer())).get().asString().contains("this minute (limit 3)");
    }
}
