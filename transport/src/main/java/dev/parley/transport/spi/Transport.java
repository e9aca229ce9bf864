package dev.parley.transport.spi;

import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.time.Duration;

/**
 * One way of reaching peers, named by the multiaddrs it handles: TCP, WebSocket, circuit relay. The host asks
 * each of its transports in turn whether it handles an address.
 */
public interface Transport {
    /** Whether {@link #dial} can reach {@code address} (which may end in {@code /p2p/<peer>}). */
    boolean canDial(Multiaddr address);

    /**
     * Opens a raw connection to {@code address}, giving up after {@code timeout}. The address may end in
     * {@code /p2p/<peer>}; a transport that does not need the peer ignores it.
     */
    RawConnection dial(Multiaddr address, Duration timeout) throws IOException;

    /** Whether {@link #listen} can bind {@code address}. */
    boolean canListen(Multiaddr address);

    /**
     * Starts accepting raw connections at {@code address}: each is offered to {@code inbound}'s
     * {@link InboundHandler#admit admit} as soon as it is accepted, closed at once if refused, and otherwise handed to
     * its {@link InboundHandler#accept accept} on a virtual thread.
     */
    TransportListener listen(Multiaddr address, InboundHandler inbound) throws IOException;

    /**
     * Releases what the transport keeps beyond its listeners, such as reservations it refreshes. The host calls
     * it when it closes, after closing the listeners.
     */
    default void close() {
    }
}
