package dev.parley.transport.relay;

import dev.parley.transport.multiformats.PeerId;
import java.util.Optional;

/**
 * Decides whom a relay serves and how generously: a node relaying for its contacts can give them larger
 * limits than strangers, or refuse strangers altogether.
 */
@FunctionalInterface
public interface RelayPolicy {
    /** The limit of circuits to {@code peer} if it may reserve; empty refuses it (PERMISSION_DENIED). */
    Optional<CircuitLimit> reservationLimit(PeerId peer);

    /** Every peer may reserve, all with the same limit. */
    static RelayPolicy uniform(CircuitLimit limit) {
        return peer -> Optional.of(limit);
    }
}
