package dev.parley.transport.spi;

/**
 * Room for one inbound connection in a host's limits, taken when the connection is accepted (see
 * {@link InboundHandler#admit}). The host gives it back when the connection ends; a listener that drops a
 * connection before handing it over closes it itself. Closing it again changes nothing.
 */
public interface Admission extends AutoCloseable {
    /** The handshake is done: the connection leaves the count of those still in their handshake. */
    void connected();

    /** Gives the room back. */
    @Override
    void close();

    /** An admission that counts against nothing, for a listener used outside any host. */
    static Admission untracked() {
        return new Admission() {
            @Override
            public void connected() {
            }

            @Override
            public void close() {
            }
        };
    }
}
