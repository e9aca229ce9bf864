package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.Multiaddr;
import java.time.Duration;
import java.util.Optional;

/**
 * How we are connected to a peer right now.
 *
 * @param path          what kind of path the connection takes
 * @param remoteAddress the peer's end of it
 * @param roundTrip     one ping's round trip, measured when this was asked for; empty when the peer did not answer
 *                      the ping (a peer may not serve it, or the connection is too slow just then)
 */
public record ConnectionInfo(Path path, Multiaddr remoteAddress, Optional<Duration> roundTrip) {
    public enum Path {
        /** To an address of the local network (private, link-local or loopback). */
        LAN,
        /** Straight to a public address. */
        DIRECT,
        /** Straight to the peer through both NATs, made by hole punching out of a relayed connection. */
        HOLE_PUNCHED,
        /** Through a relay ({@code /p2p-circuit}). */
        RELAYED
    }
}
