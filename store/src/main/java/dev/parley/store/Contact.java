package dev.parley.store;

import java.time.Instant;

/**
 * A peer the user knows of: an accepted contact, a request, or a blocked peer.
 *
 * @param peerId        the peer's libp2p PeerId, as text
 * @param displayName   the name shown for the peer
 * @param hpkePublicKey the peer's HPKE public key from its contact card; null until the card is known
 * @param card          the signed contact card as received; null until it is known
 * @param addedAt       when the peer was first stored
 * @param lastSeen      when the peer was last connected; null if never
 */
public record Contact(String peerId, String displayName, byte[] hpkePublicKey, byte[] card, ContactState state,
                      Instant addedAt, Instant lastSeen) {
    public Contact {
        Check.id("peer id", peerId);
        Check.present("display name", displayName);
        Check.present("contact state", state);
        addedAt = Check.time("added at", addedAt);
        lastSeen = Check.optionalTime(lastSeen);
    }
}
