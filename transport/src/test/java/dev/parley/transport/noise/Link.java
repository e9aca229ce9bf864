package dev.parley.transport.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Two in-memory endpoints joined like the ends of a socket: what one writes, the other reads. */
record Link(Endpoint dialer, Endpoint listener) {
    private static final int CAPACITY = 256 * 1024;

    /** One end of the link: the raw streams a handshake runs over. */
    record Endpoint(InputStream in, OutputStream out) {
        void close() {
            try {
                in.close();
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Link open() {
        MemoryPipe toListener = new MemoryPipe(CAPACITY);
        MemoryPipe toDialer = new MemoryPipe(CAPACITY);
        return new Link(new Endpoint(toDialer.source(), toListener.sink()),
                new Endpoint(toListener.source(), toDialer.sink()));
    }

    /** Cuts both directions, as a dropped connection would. */
    void close() {
        dialer.close();
        listener.close();
    }
}
