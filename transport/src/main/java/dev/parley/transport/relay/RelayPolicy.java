package dev.parley.transport.relay;

import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.spi.CircuitLimit;
import java.util.Optional;

/**
 * Decides whom a relay serves and how generously: a node relaying for its contacts can give them larger
 * limits than strangers, or refuse strangers altogether.
 */
@FunctionalInterface
public interface RelayPolicy {
    /** The limit of circuits to {@code peer} if it may reserve; empty refuses it (PERMISSION_DENIED). */
    Optional<CircuitLimit> reservationLimit(PeerId peer);

    /**
     * The limit of a circuit from {@code source} to {@code target}, who reserved with {@code reserved}: by default
     * that, as the reservation promised; a policy may give some pairs more.
     */
    default CircuitLimit circuitLimit(PeerId source, PeerId target, CircuitLimit reserved) {
        return reserved;
    }

    /** Every peer may reserve, all with the same limit. */
    static RelayPolicy uniform(CircuitLimit limit) {
        return peer -> Optional.of(limit);
    }
}
