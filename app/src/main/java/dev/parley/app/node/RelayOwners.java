package dev.parley.app.node;

import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.spi.CircuitLimit;
import java.time.Duration;
import java.util.Set;

/**
 * Who owns a relay ({@code parley relay --owner}) and what their contacts get there. An owner's Parley sends the relay
 * its accepted contacts over {@link RelayGrants#PROTOCOL_ID}; circuits between an owner and a contact it listed, and
 * reservations by owners and listed contacts, get {@code contactCircuit}; everyone else the relay's defaults.
 *
 * @param owners         the peers whose lists the relay takes, as Noise proves who is at the other end
 * @param contactCircuit the limit of a circuit between an owner and one of its contacts
 */
public record RelayOwners(Set<PeerId> owners, CircuitLimit contactCircuit) {
    /** What a Parley node gives the contacts it relays for, and a relay its owners' contacts by default. */
    public static final CircuitLimit CONTACT_CIRCUIT = new CircuitLimit(Duration.ofHours(1), 64L << 20);
    public static final RelayOwners NONE = new RelayOwners(Set.of(), CONTACT_CIRCUIT);

    public RelayOwners {
        owners = Set.copyOf(owners);
    }
}
