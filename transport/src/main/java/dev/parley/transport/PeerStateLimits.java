package dev.parley.transport;

import java.time.Duration;

/**
 * How long and how much this host remembers of peers it is not connected to (transport/README.md, "Per-peer
 * state"). A peer nobody keeps ({@link AddressBook#keep}) is forgotten {@code grace} after its last connection
 * closed, or after its addresses were last learnt if it never connected: its addresses, its identify answer and
 * what the other services held for it.
 *
 * @param grace               how long an unkept peer is remembered once nothing touches it; go-libp2p keeps a
 *                            recently connected peer's addresses 15 minutes and addresses learnt in passing 2
 *                            minutes, and we take one figure between them
 * @param maxPeers            peers the address book holds at most; when full, the one touched longest ago that is
 *                            neither kept nor connected makes room
 * @param maxAddressesPerPeer addresses kept per peer, the first learnt
 */
public record PeerStateLimits(Duration grace, int maxPeers, int maxAddressesPerPeer) {
    public PeerStateLimits {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("the grace before forgetting a peer must be positive, got " + grace);
        }
        if (maxPeers <= 0 || maxAddressesPerPeer <= 0) {
            throw new IllegalArgumentException("peer state limits must be positive: " + maxPeers + " peers, "
                    + maxAddressesPerPeer + " addresses a peer");
        }
    }

    /**
     * Five minutes, 4,096 peers (four times the connections a host takes at once, so a churn of strangers never
     * pushes out a peer connected now), 32 addresses a peer.
     */
    public static PeerStateLimits defaults() {
        return new PeerStateLimits(Duration.ofMinutes(5), 4096, AddressBook.MAX_ADDRESSES_PER_PEER);
    }

    /** These limits with another grace, e.g. a test's short one. */
    public PeerStateLimits withGrace(Duration grace) {
        return new PeerStateLimits(grace, maxPeers, maxAddressesPerPeer);
    }
}
