package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * A peer the user knows of: a contact, a request (a stranger who wrote first) or a blocked peer.
 *
 * @param online          whether a connection to the peer is open now
 * @param lastSeen        when a connection to the peer last opened or closed
 * @param droppedMessages for a request, how many of its messages were dropped beyond its quota (0 otherwise)
 */
public record ContactInfo(PeerId peer, String name, ContactStatus status, boolean online, Optional<Instant> lastSeen,
                          long droppedMessages) {
    /** This contact as it is now online or not. */
    public ContactInfo withOnline(boolean nowOnline, Optional<Instant> nowLastSeen) {
        return new ContactInfo(peer, name, status, nowOnline, nowLastSeen, droppedMessages);
    }
}
