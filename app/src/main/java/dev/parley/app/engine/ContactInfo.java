package dev.parley.app.engine;

import dev.parley.store.ContactState;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * A peer the user knows of: a contact, a request (a stranger who wrote first) or a blocked peer.
 *
 * @param online   whether a connection to the peer is open now
 * @param lastSeen when a connection to the peer last opened or closed
 */
public record ContactInfo(PeerId peer, String name, ContactState state, boolean online, Optional<Instant> lastSeen) {
}
