package dev.parley.transport.spi;

import dev.parley.transport.multiformats.Multiaddr;
import java.io.Closeable;
import java.util.List;

/** A bound listening address of one {@link Transport}; closing it stops accepting. */
public interface TransportListener extends Closeable {
    /** The bound address, with the real port when 0 was asked for. */
    Multiaddr address();

    /** The addresses others can dial us at through this listener, e.g. one per interface for a wildcard bind. */
    List<Multiaddr> dialableAddresses();
}
