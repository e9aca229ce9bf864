package dev.parley.transport;

import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.yamux.YamuxStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
