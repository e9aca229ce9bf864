package dev.parley.transport.mdns;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/** What {@link MdnsDiscovery} tells its listeners about peers on the local network. */
public sealed interface DiscoveryEvent {
    PeerId peer();

    /**
     * A peer was seen: for the first time, again after it was lost, or with an address not seen before.
     *
     * @param addresses every address currently known for it from mDNS, without {@code /p2p/}
     */
    record PeerFound(PeerId peer, List<Multiaddr> addresses) implements DiscoveryEvent {
        public PeerFound {
            addresses = List.copyOf(addresses);
        }
    }

    /** A peer said goodbye, or its records expired without being refreshed. */
    record PeerLost(PeerId peer) implements DiscoveryEvent {
    }
}
