package dev.parley.transport.dcutr;

import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.Optional;

/**
 * How an upgrade of a relayed connection to {@code peer} ended.
 *
 * @param success  whether a direct connection now exists
 * @param attempts CONNECT/SYNC exchanges made (1 when we answered as the spec's A)
 * @param elapsed  from the first exchange to success or giving up
 * @param direct   the direct connection, made by the punch or by connection reversal, or accepted meanwhile
 */
public record HolePunchResult(PeerId peer, boolean success, int attempts, Duration elapsed,
                              Optional<Connection> direct) {
    public HolePunchResult {
        if (success != direct.isPresent()) {
            throw new IllegalArgumentException("a hole punch to " + peer + " with success " + success
                    + " must " + (success ? "" : "not ") + "name its direct connection");
        }
    }
}
