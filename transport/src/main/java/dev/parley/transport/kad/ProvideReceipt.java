package dev.parley.transport.kad;

import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/**
 * Where a provider record was sent.
 *
 * @param storedAt the peers among the key's closest that took the record
 * @param hops query rounds the lookup of the key's closest peers took
 */
public record ProvideReceipt(List<PeerId> storedAt, int hops) {
    public ProvideReceipt {
        storedAt = List.copyOf(storedAt);
    }
}
