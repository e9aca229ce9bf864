package dev.parley.transport.relay;

import dev.parley.transport.spi.CircuitLimit;
import java.time.Duration;

/**
 * What a relay grants. Defaults follow go-libp2p's relay resources (the js relay keeps 15 reservations and
 * a two-hour TTL, with the same per-circuit limit).
 *
 * @param maxReservations      reservations held at once, over all peers
 * @param maxReservationsPerIp reservations from peers connected from one IP address
 * @param maxReservationsPerSubnet reservations from peers connected from one IPv4 /24 or IPv6 /48, where one
 *                             party's many addresses usually lie (go-libp2p counts per ASN instead)
 * @param reservationTtl       how long a reservation lasts unless refreshed
 * @param maxCircuits          relayed connections open at once, over all peers
 * @param maxCircuitsPerPeer   relayed connections one peer may have open at once, as source or target
 * @param circuit              the default limit of each relayed connection; {@link RelayPolicy} may differ
 */
public record RelayLimits(int maxReservations, int maxReservationsPerIp, int maxReservationsPerSubnet,
                          Duration reservationTtl, int maxCircuits, int maxCircuitsPerPeer, CircuitLimit circuit) {
    /** go-libp2p's per-circuit default: two minutes and 128 KiB each way, enough for a hole punch's signalling. */
    public static final CircuitLimit DEFAULT_CIRCUIT = new CircuitLimit(Duration.ofMinutes(2), 1 << 17);

    public RelayLimits {
        if (maxReservations < 0 || maxReservationsPerIp < 0 || maxReservationsPerSubnet < 0 || maxCircuits < 0
                || maxCircuitsPerPeer < 0) {
            throw new IllegalArgumentException("relay limits must not be negative: " + maxReservations + ", "
                    + maxReservationsPerIp + ", " + maxReservationsPerSubnet + ", " + maxCircuits + ", "
                    + maxCircuitsPerPeer);
        }
        if (reservationTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reservation TTL " + reservationTtl
                    + " is below the wire's one-second resolution");
        }
    }

    /**
     * go-libp2p's defaults: 128 reservations, 8 per IP, 32 per subnet (go-libp2p's per ASN), one hour; 16
     * circuits per peer. go-libp2p leaves the total of circuits to its resource manager; 300 is js-libp2p's cap on
     * open stop streams.
     */
    public static RelayLimits defaults() {
        return new RelayLimits(128, 8, 32, Duration.ofHours(1), 300, 16, DEFAULT_CIRCUIT);
    }

    public RelayLimits withCircuit(CircuitLimit limit) {
        return new RelayLimits(maxReservations, maxReservationsPerIp, maxReservationsPerSubnet, reservationTtl,
                maxCircuits, maxCircuitsPerPeer, limit);
    }
}
