package dev.parley.transport;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses known for each peer (libp2p's peerstore, address half), fed by dials, identify and
 * discovery. Addresses are kept without their {@code /p2p/} suffix, in the order first learnt, at most
 * {@link #MAX_ADDRESSES_PER_PEER} per peer so a peer cannot fill our memory with addresses.
 */
public final class AddressBook {
    public static final int MAX_ADDRESSES_PER_PEER = 32;

    private final Map<PeerId, Set<Multiaddr>> addresses = new ConcurrentHashMap<>();

    public void add(PeerId peer, Collection<Multiaddr> learnt) {
        Set<Multiaddr> known = addresses.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet());
        for (Multiaddr address : learnt) {
            if (known.size() >= MAX_ADDRESSES_PER_PEER) {
                break;
            }
            known.add(address.withoutPeerId());
        }
    }

    public void add(PeerId peer, Multiaddr address) {
        add(peer, List.of(address));
    }

    public List<Multiaddr> addresses(PeerId peer) {
        return List.copyOf(addresses.getOrDefault(peer, new LinkedHashSet<>()));
    }

    public Set<PeerId> peers() {
        return Set.copyOf(addresses.keySet());
    }

    /** Forgets these addresses of {@code peer}, e.g. ones it turned out not to have; the others stay. */
    public void remove(PeerId peer, Collection<Multiaddr> wrong) {
        Set<Multiaddr> known = addresses.get(peer);
        if (known != null) {
            wrong.forEach(address -> known.remove(address.withoutPeerId()));
        }
    }

    public void forget(PeerId peer) {
        addresses.remove(peer);
    }
}
