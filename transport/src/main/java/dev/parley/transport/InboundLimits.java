package dev.parley.transport;

import java.time.Duration;

/**
 * What one source of inbound connections may hold, checked when a connection is accepted, before a byte of it is
 * read (transport/README.md, "Resource limits"). Without these a single address could take every handshake slot or
 * every connection of {@link ResourceLimits} and lock everyone else out.
 *
 * @param remote           the share of an address that is not loopback: go-libp2p's 8 connections per address
 * @param loopback         the share of a loopback address, larger because every local process (several profiles,
 *                         tests, tools) comes from 127.0.0.1, yet finite: a local process can still flood us
 * @param firstByteTimeout time an inbound connection gets to send its first byte; a silent socket gives its
 *                         handshake slot back this long after accept rather than at the whole upgrade timeout
 */
public record InboundLimits(AddressShare remote, AddressShare loopback, Duration firstByteTimeout) {
    public static InboundLimits defaults() {
        return new InboundLimits(new AddressShare(4, 16, 8, 32), new AddressShare(32, 48, 128, 256),
                Duration.ofSeconds(3));
    }

    /** The share of {@code loopback} addresses or of others. */
    public AddressShare share(boolean loopbackAddress) {
        return loopbackAddress ? loopback : remote;
    }

    public InboundLimits withLoopback(AddressShare share) {
        return new InboundLimits(remote, share, firstByteTimeout);
    }

    public InboundLimits withFirstByteTimeout(Duration timeout) {
        return new InboundLimits(remote, loopback, timeout);
    }
}
