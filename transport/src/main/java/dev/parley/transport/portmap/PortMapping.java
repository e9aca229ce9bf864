package dev.parley.transport.portmap;

import dev.parley.transport.multiformats.Multiaddr;
import java.time.Instant;

/**
 * A port the router forwards to us.
 *
 * @param protocol     how the router was asked
 * @param internalPort our listening port
 * @param external     where the internet reaches it: the router's public address and the port it chose
 * @param expires      when the router drops it unless renewed
 */
public record PortMapping(PortMappingProtocol protocol, int internalPort, Multiaddr external, Instant expires) {
}
