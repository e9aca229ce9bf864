package dev.parley.transport.kad;

import java.util.List;

/**
 * The providers a DHT lookup found for a key.
 *
 * @param hops query rounds the lookup took
 */
public record ProviderLookup(List<ProviderRecord> providers, int hops) {
    public ProviderLookup {
        providers = List.copyOf(providers);
    }
}
