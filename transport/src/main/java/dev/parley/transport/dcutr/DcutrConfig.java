package dev.parley.transport.dcutr;

import java.time.Duration;

/**
 * How a {@link DcutrService} punches holes.
 *
 * @param attemptTimeout  time one attempt (exchange and dials) may take; js-libp2p's is 5 s
 * @param attempts        attempts the inbound side makes before giving up; the spec says 3
 * @param relayGrace      time the relayed connection is kept after a direct one is up, so streams on it can end
 * @param punchPrivateAddresses whether private and loopback addresses are exchanged and dialled; off for real use
 *                        (js-libp2p too dials only public ones), on for tests on one machine's loopback
 */
public record DcutrConfig(Duration attemptTimeout, int attempts, Duration relayGrace, boolean punchPrivateAddresses) {
    public DcutrConfig {
        if (attempts < 1) {
            throw new IllegalArgumentException("DCUtR needs at least one attempt, not " + attempts);
        }
    }

    public static DcutrConfig defaults() {
        return new DcutrConfig(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), false);
    }

    /** For tests whose peers all share one machine's loopback. */
    public DcutrConfig punchingPrivateAddresses() {
        return new DcutrConfig(attemptTimeout, attempts, relayGrace, true);
    }
}
