package dev.parley.transport.autonat;

import java.time.Duration;

/**
 * How an {@link AutoNatService} serves and decides.
 *
 * @param serve                     whether to dial others back when they ask
 * @param dialPrivateAddresses      whether to dial back private and loopback addresses, and addresses of our
 *                                  own host; off in a real node (js-libp2p refuses them too), on for tests that
 *                                  run every node on one machine
 * @param dialBackTimeout           time the dial-backs of one request may take together
 * @param maxConcurrentDialBacks    requests served at once; more are refused
 * @param maxRequestsPerPeerPerMinute requests one peer may make in a minute; more are refused
 * @param confirmations             agreeing answers needed to call us public or private (the spec says 3)
 */
public record AutoNatConfig(boolean serve, boolean dialPrivateAddresses, Duration dialBackTimeout,
                            int maxConcurrentDialBacks, int maxRequestsPerPeerPerMinute, int confirmations) {
    public AutoNatConfig {
        if (maxConcurrentDialBacks < 1 || maxRequestsPerPeerPerMinute < 1 || confirmations < 1) {
            throw new IllegalArgumentException("AutoNAT limits must be positive: " + maxConcurrentDialBacks + ", "
                    + maxRequestsPerPeerPerMinute + ", " + confirmations);
        }
    }

    public static AutoNatConfig defaults() {
        return new AutoNatConfig(true, false, Duration.ofSeconds(10), 8, 4, 3);
    }

    /** For tests whose nodes all share one machine's loopback. */
    public AutoNatConfig dialingPrivateAddresses() {
        return new AutoNatConfig(serve, true, dialBackTimeout, maxConcurrentDialBacks, maxRequestsPerPeerPerMinute,
                confirmations);
    }

    public AutoNatConfig withConfirmations(int needed) {
        return new AutoNatConfig(serve, dialPrivateAddresses, dialBackTimeout, maxConcurrentDialBacks,
                maxRequestsPerPeerPerMinute, needed);
    }
}
