package dev.parley.transport.kad;

import java.time.Duration;

/**
 * Tuning and limits of a {@link KadDht}.
 *
 * @param k bucket size, closer peers per answer, and the number of closest peers a lookup settles on
 * @param alpha queries a lookup keeps in flight
 * @param queryTimeout how long one peer may take to answer one query (dial included)
 * @param providerValidity how long a provider record is kept after it was added
 * @param maxProviderKeys keys the provider store holds at most
 * @param maxProvidersPerKey providers kept per key
 * @param maxAddressesPerPeer addresses taken from a message per peer entry
 */
public record KadOptions(int k, int alpha, Duration queryTimeout, Duration providerValidity, int maxProviderKeys,
        int maxProvidersPerKey, int maxAddressesPerPeer) {
    /** The spec's k. */
    public static final int DEFAULT_K = 20;
    /** The spec's concurrency parameter. */
    public static final int DEFAULT_ALPHA = 3;
    /** The spec's provider record validity (js-libp2p's PROVIDERS_VALIDITY). */
    public static final Duration DEFAULT_PROVIDER_VALIDITY = Duration.ofHours(48);

    public KadOptions {
        requirePositive("k", k);
        requirePositive("alpha", alpha);
        requirePositive("maxProviderKeys", maxProviderKeys);
        requirePositive("maxProvidersPerKey", maxProvidersPerKey);
        requirePositive("maxAddressesPerPeer", maxAddressesPerPeer);
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive, got " + queryTimeout);
        }
        if (providerValidity.isNegative() || providerValidity.isZero()) {
            throw new IllegalArgumentException("providerValidity must be positive, got " + providerValidity);
        }
    }

    /**
     * The spec's parameters; a 10 s query timeout (js-libp2p's incoming message timeout); room for 10,000 keys of
     * 20 providers, plenty for a messenger's peers; 32 addresses per peer, as the address book keeps.
     */
    public static KadOptions defaults() {
        return new KadOptions(DEFAULT_K, DEFAULT_ALPHA, Duration.ofSeconds(10), DEFAULT_PROVIDER_VALIDITY, 10_000,
                20, 32);
    }

    public KadOptions withQueryTimeout(Duration timeout) {
        return new KadOptions(k, alpha, timeout, providerValidity, maxProviderKeys, maxProvidersPerKey,
                maxAddressesPerPeer);
    }

    public KadOptions withProviderValidity(Duration validity) {
        return new KadOptions(k, alpha, queryTimeout, validity, maxProviderKeys, maxProvidersPerKey,
                maxAddressesPerPeer);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
