package dev.parley.transport.autonat;

import java.time.Duration;

/**
 * How an {@link AutoNatService} serves and decides.
 *
 * @param serve                       whether to dial others back when they ask
 * @param dialPrivateAddresses        whether to dial back private and loopback addresses, and addresses of our
 *                                    own host; off in a real node (js-libp2p refuses them too), on for tests and
 *                                    labs whose nodes share private networks
 * @param dialBackTimeout             time the dial-backs of one request may take together before we answer
 * @param maxDialBacksInFlight        requests whose dial-backs may run at once; more are refused
 * @param maxDialBacksInFlightPerPeer of those, how many may be one peer's
 * @param maxRequestsPerMinute        requests served in a minute, from all peers; more are refused
 * @param maxRequestsPerPeerPerMinute requests one peer may make in a minute; more are refused
 * @param confirmations               agreeing answers among the latest {@code 2 * confirmations - 1} servers' answers
 *                                    needed to call us public or private; 3 by default, so that a network of a few
 *                                    nodes can decide (the spec's "more than 3" would be 4; js-libp2p wants 4 OKs
 *                                    from distinct /8 networks, or 8 failures)
 * @param serversPerProbe             connected servers {@link AutoNatService#probe()} asks at most
 */
public record AutoNatConfig(boolean serve, boolean dialPrivateAddresses, Duration dialBackTimeout,
                            int maxDialBacksInFlight, int maxDialBacksInFlightPerPeer, int maxRequestsPerMinute,
                            int maxRequestsPerPeerPerMinute, int confirmations, int serversPerProbe) {
    public AutoNatConfig {
        if (dialBackTimeout.isNegative() || dialBackTimeout.isZero()) {
            throw new IllegalArgumentException("AutoNAT dial-back timeout must be positive: " + dialBackTimeout);
        }
        int[] limits = {maxDialBacksInFlight, maxDialBacksInFlightPerPeer, maxRequestsPerMinute,
                maxRequestsPerPeerPerMinute, confirmations, serversPerProbe};
        for (int limit : limits) {
            if (limit < 1) {
                throw new IllegalArgumentException("AutoNAT limits must be positive: " + maxDialBacksInFlight + ", "
                        + maxDialBacksInFlightPerPeer + ", " + maxRequestsPerMinute + ", "
                        + maxRequestsPerPeerPerMinute + ", " + confirmations + ", " + serversPerProbe);
            }
        }
    }

    /**
     * Serves; a dial-back over a healthy path takes well under a second, so 10 seconds is for slow links, not for
     * waiting out a NAT that drops. Asks 5 servers, enough for 3 to agree even if 2 answer otherwise.
     */
    public static AutoNatConfig defaults() {
        return new AutoNatConfig(true, false, Duration.ofSeconds(10), 8, 1, 60, 4, 3, 5);
    }

    /** For tests and labs whose nodes share loopback or private networks. */
    public AutoNatConfig dialingPrivateAddresses() {
        return new AutoNatConfig(serve, true, dialBackTimeout, maxDialBacksInFlight, maxDialBacksInFlightPerPeer,
                maxRequestsPerMinute, maxRequestsPerPeerPerMinute, confirmations, serversPerProbe);
    }

    public AutoNatConfig withConfirmations(int needed) {
        return new AutoNatConfig(serve, dialPrivateAddresses, dialBackTimeout, maxDialBacksInFlight,
                maxDialBacksInFlightPerPeer, maxRequestsPerMinute, maxRequestsPerPeerPerMinute, needed,
                serversPerProbe);
    }

    public AutoNatConfig withDialBackTimeout(Duration timeout) {
        return new AutoNatConfig(serve, dialPrivateAddresses, timeout, maxDialBacksInFlight,
                maxDialBacksInFlightPerPeer, maxRequestsPerMinute, maxRequestsPerPeerPerMinute, confirmations,
                serversPerProbe);
    }

    /** The per-minute limits on requests served: from everyone and from one peer. */
    public AutoNatConfig withRequestsPerMinute(int total, int perPeer) {
        return new AutoNatConfig(serve, dialPrivateAddresses, dialBackTimeout, maxDialBacksInFlight,
                maxDialBacksInFlightPerPeer, total, perPeer, confirmations, serversPerProbe);
    }

    /** The limits on requests whose dial-backs run at once: for everyone and for one peer. */
    public AutoNatConfig withDialBacksInFlight(int total, int perPeer) {
        return new AutoNatConfig(serve, dialPrivateAddresses, dialBackTimeout, total, perPeer,
                maxRequestsPerMinute, maxRequestsPerPeerPerMinute, confirmations, serversPerProbe);
    }
}
