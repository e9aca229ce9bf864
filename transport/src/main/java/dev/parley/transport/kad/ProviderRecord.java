package dev.parley.transport.kad;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/** A peer that says it provides a key, and the addresses it gave for reaching it. */
public record ProviderRecord(PeerId peer, List<Multiaddr> addresses) {
    public ProviderRecord {
        addresses = List.copyOf(addresses);
    }
}
