package dev.parley.app.node;

import dev.parley.transport.multiformats.Multiaddr;
import java.util.List;

/**
 * What a node does beyond the protocols every Parley node serves.
 *
 * @param servePerf    serve {@code /perf/1.0.0}, which lets peers make this node send data
 * @param bootstrap    peers to join the wider network through (the DHT; relays and AutoNAT servers among them);
 *                     none keeps the node to its LAN and the peers it is told of. A {@code /dnsaddr} address, as
 *                     the public list has, is resolved each time it is dialled
 * @param relays       relays to hold a reservation on whatever AutoNAT says ({@code --relay})
 * @param relayService serve circuit relay v2 to anyone, within the default limits ({@code parley relay})
 * @param relayOwners  as a relay, whose contacts get more ({@code parley relay --owner}); {@link RelayOwners#NONE}
 */
public record NodeOptions(boolean servePerf, List<Multiaddr> bootstrap, List<Multiaddr> relays, boolean relayService,
                          RelayOwners relayOwners) {
    public NodeOptions {
        bootstrap = List.copyOf(bootstrap);
        relays = List.copyOf(relays);
    }

    /** No bootstrap, no relays, nothing served beyond the basics: what tests and a LAN-only node use. */
    public static NodeOptions lanOnly() {
        return new NodeOptions(false, List.of(), List.of(), false, RelayOwners.NONE);
    }

    public NodeOptions withRelayOwners(RelayOwners owners) {
        return new NodeOptions(servePerf, bootstrap, relays, relayService, owners);
    }

    /** Whether the node looks beyond its LAN at all: it has a bootstrap peer or a relay to go to. */
    public boolean reachesOut() {
        return !bootstrap.isEmpty() || !relays.isEmpty();
    }

    /**
     * Whether the node reaches out to a peer not on loopback. Only such a node asks its router for port mappings:
     * tests whose peers are all on loopback must send nothing to the machine's real LAN.
     */
    public boolean reachesBeyondLoopback() {
        return bootstrap.stream().anyMatch(address -> !address.isLoopback())
                || relays.stream().anyMatch(address -> !address.isLoopback());
    }
}
