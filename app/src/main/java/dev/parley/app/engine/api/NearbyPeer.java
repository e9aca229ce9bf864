package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/** A Parley peer that discovery found close by, with the name from its contact card. */
public record NearbyPeer(PeerId peer, String name, List<Multiaddr> addresses) {
    public NearbyPeer {
        addresses = List.copyOf(addresses);
    }
}
