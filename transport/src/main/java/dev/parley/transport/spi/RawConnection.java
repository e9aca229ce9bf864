package dev.parley.transport.spi;

import dev.parley.transport.multiformats.Multiaddr;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A byte pipe to a remote, before security and multiplexing: a TCP socket, a WebSocket, or a stream through a
 * circuit relay. The host upgrades each one to a secured, multiplexed connection. Closing it ends both directions and
 * unblocks any read or write in progress.
 */
public interface RawConnection extends Closeable {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    /** Our end, as a multiaddr of the transport (e.g. {@code /ip4/…/tcp/…/ws}). */
    Multiaddr localAddress();

    /** The remote's end, as a multiaddr of the transport, without the remote peer's {@code /p2p/}. */
    Multiaddr remoteAddress();

    /**
     * What the relay said this circuit may carry ({@link CircuitLimit#UNLIMITED} if it named no limit); empty for a
     * connection that runs straight to the remote.
     */
    default Optional<CircuitLimit> relayLimit() {
        return Optional.empty();
    }
}
