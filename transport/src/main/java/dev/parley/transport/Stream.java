package dev.parley.transport;

import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.yamux.YamuxStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** One negotiated stream on a connection: a blocking byte pipe in each direction, speaking {@link #protocol()}. */
public final class Stream implements Closeable {
    private final YamuxStream muxed;
    private final String protocol;
    private final Connection connection;

    Stream(YamuxStream muxed, String protocol, Connection connection) {
        this.muxed = muxed;
        this.protocol = protocol;
        this.connection = connection;
    }

    public InputStream in() {
        return muxed.in();
    }

    public OutputStream out() {
        return muxed.out();
    }

    /**
     * The stream's scope of the memory budget: a protocol reads each message into a buffer reserved from it, as
     * {@link LengthPrefixed#readBody} does (transport/README.md, "Memory and deadlines").
     */
    public MemoryScope memory() {
        return muxed.memory();
    }

    /**
     * Makes reads fail with a {@link java.net.SocketTimeoutException} once {@code timeout} has passed from now,
     * until set again; null removes the deadline. A handler waiting for its peer sets one, so a silent peer
     * cannot hold it for ever (transport/README.md, "Memory and deadlines"). Writes need none: one that waits
     * longer than the stall timeout for the peer to grant window resets the stream by itself.
     */
    public void setReadDeadline(Duration timeout) {
        muxed.setReadDeadline(timeout);
    }

    /** Half-closes: tells the remote we will write no more, while we can still read. */
    public void closeWrite() throws IOException {
        muxed.closeWrite();
    }

    /** Aborts both directions at once. */
    public void reset() {
        muxed.reset();
    }

    @Override
    public void close() {
        muxed.close();
    }

    public String protocol() {
        return protocol;
    }

    public Connection connection() {
        return connection;
    }

    public PeerId remotePeer() {
        return connection.remotePeer();
    }

    @Override
    public String toString() {
        return "Stream[" + protocol + " " + muxed.id() + " with " + connection.remotePeer() + "]";
    }
}
