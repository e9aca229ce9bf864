package dev.parley.transport.portmap;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link PortMappingService} asks the router.
 *
 * @param protocols     the protocols to try, in order; the first that maps a port serves all of them
 * @param lifetime      the lease asked for; the mapping is renewed at half its granted lifetime
 * @param retryInterval how long to wait before asking again when no router answered or a renewal failed
 */
public record PortMappingConfig(List<PortMappingProtocol> protocols, Duration lifetime, Duration retryInterval) {
    public PortMappingConfig {
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("port mapping needs at least one protocol");
        }
        if (lifetime.toSeconds() < 2 || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("port mapping lifetime must be at least 2 s and the retry interval"
                    + " positive: " + lifetime + ", " + retryInterval);
        }
    }

    /**
     * UPnP first, as most home routers speak it, then PCP and NAT-PMP. An hour's lease, so that a mapping we
     * could not remove (a crash, a cut cable) lapses on its own; a router that found none is asked again after
     * 5 minutes.
     */
    public static PortMappingConfig defaults() {
        return new PortMappingConfig(List.of(PortMappingProtocol.UPNP_IGD, PortMappingProtocol.PCP,
                PortMappingProtocol.NAT_PMP), Duration.ofHours(1), Duration.ofMinutes(5));
    }

    /** Only {@code protocol}, e.g. to test each against a real router. */
    public PortMappingConfig only(PortMappingProtocol protocol) {
        return new PortMappingConfig(List.of(protocol), lifetime, retryInterval);
    }
}
