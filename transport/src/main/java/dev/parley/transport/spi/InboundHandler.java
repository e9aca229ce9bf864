package dev.parley.transport.spi;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a transport's listener hands inbound connections to: the host, which counts them against its limits
 * (transport/README.md, "Resource limits").
 */
public interface InboundHandler {
    /**
     * Asked as soon as a connection from {@code remote} is accepted, before a byte of it is read or written: room
     * for it, or empty when its address or subnet has used its share or the host is full, and then the listener
     * closes {@code socket} at once. An admitted connection still in its handshake at the upgrade timeout has
     * {@code socket} closed, whatever stage the transport is at.
     */
    Optional<Admission> admit(InetSocketAddress remote, Closeable socket);

    /**
     * Upgrades a connection admitted under {@code admission} and keeps it; blocks for the handshake, so the
     * listener calls it on a thread of its own. The admission is the host's from here on.
     */
    void accept(RawConnection raw, Admission admission);

    /**
     * Admits every connection and hands it to {@code accepted}, counting nothing: for a transport's listener used
     * outside any host, as tests do.
     */
    static InboundHandler unlimited(Consumer<RawConnection> accepted) {
        return new InboundHandler() {
            @Override
            public Optional<Admission> admit(InetSocketAddress remote, Closeable socket) {
                return Optional.of(Admission.untracked());
            }

            @Override
            public void accept(RawConnection raw, Admission admission) {
                accepted.accept(raw);
            }
        };
    }
}
