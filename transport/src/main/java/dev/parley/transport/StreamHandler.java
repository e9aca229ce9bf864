package dev.parley.transport;

import java.io.IOException;

/**
 * Serves one inbound stream of a protocol. It runs on a virtual thread of its own and may block as long as
 * the protocol needs; the stream is closed when it returns, and an exception resets it.
 */
@FunctionalInterface
public interface StreamHandler {
    void handle(Stream stream) throws IOException;
}
