package dev.parley.transport.kad;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/** A peer as a DHT message names it: its id and the addresses the sender knows for it. */
record KadPeer(PeerId id, List<Multiaddr> addresses) {
    KadPeer {
        addresses = List.copyOf(addresses);
    }
}
