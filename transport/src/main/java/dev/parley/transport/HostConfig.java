package dev.parley.transport;

import dev.parley.transport.keys.Ed25519PrivateKey;
import java.time.Duration;

/**
 * How a {@link Host} is set up.
 *
 * @param identity    the node's key; its PeerId is the node's
 * @param limits      what remote peers may use of this node
 * @param dialTimeout time to open the TCP connection of a dial
 */
public record HostConfig(Ed25519PrivateKey identity, ResourceLimits limits, Duration dialTimeout) {
    public static HostConfig of(Ed25519PrivateKey identity) {
        return new HostConfig(identity, ResourceLimits.defaults(), Duration.ofSeconds(10));
    }
}
