package dev.parley.transport.identify;

import dev.parley.transport.keys.PublicKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself over identify.
 *
 * @param observedAddress our address as the peer saw it, if it said
 */
public record IdentifyInfo(
        PeerId peer,
        PublicKey publicKey,
        String protocolVersion,
        String agentVersion,
        List<Multiaddr> listenAddresses,
        Optional<Multiaddr> observedAddress,
        List<String> protocols) {
    public IdentifyInfo {
        listenAddresses = List.copyOf(listenAddresses);
        protocols = List.copyOf(protocols);
    }
}
