package dev.parley.transport.kad;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/**
 * A peer found through the DHT.
 *
 * @param hops query rounds the lookup took: 1 if a peer we asked first knew the target
 */
public record PeerLookup(PeerId peer, List<Multiaddr> addresses, int hops) {
    public PeerLookup {
        addresses = List.copyOf(addresses);
    }
}
