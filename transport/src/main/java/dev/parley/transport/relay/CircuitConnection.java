package dev.parley.transport.relay;

import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.spi.CircuitLimit;
import dev.parley.transport.spi.RawConnection;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A hop stream (dialler's end) or stop stream (target's end) that, once the relay said OK, carries a relayed
 * connection. Closing either direction closes it all: that is how the secure channel above it ends it.
 */
final class CircuitConnection implements RawConnection {
    private final Stream stream;
    private final Multiaddr circuitAddress;
    private final CircuitLimit limit;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final InputStream in;
    private final OutputStream out;

    /**
     * {@code circuitAddress} is {@code <relay address>/p2p/<relay>/p2p-circuit}: both ends sit at the relay.
     * {@code limit} is what the relay said the circuit may carry.
     */
    CircuitConnection(Stream stream, Multiaddr circuitAddress, CircuitLimit limit) {
        this.stream = stream;
        this.circuitAddress = circuitAddress;
        this.limit = limit;
        this.in = new FilterInputStream(stream.in()) {
            @Override
            public void close() {
                CircuitConnection.this.close();
            }
        };
        this.out = new FilterOutputStream(stream.out()) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() {
                CircuitConnection.this.close();
            }
        };
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public Multiaddr localAddress() {
        return circuitAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return circuitAddress;
    }

    @Override
    public Optional<CircuitLimit> relayLimit() {
        return Optional.of(limit);
    }

    /** Blocks until this connection is closed. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        stream.close();
        closed.countDown();
    }

    @Override
    public String toString() {
        return "circuit " + circuitAddress;
    }
}
