package dev.parley.transport;

import java.io.IOException;

/** Protocols the tests serve, matching the js test peer's (transport/src/test/js/protocols.mjs). */
public final class TestProtocols {
    public static final String ECHO = "/parley-test/echo/1.0.0";

    private TestProtocols() {
    }

    /** Writes back everything it reads, then half-closes. */
    public static void echo(Stream stream) throws IOException {
        stream.in().transferTo(stream.out());
        stream.out().flush();
        stream.closeWrite();
    }

    /**
     * Sends {@code data} on a new echo stream, half-closes, and returns what came back. Writing runs on a
     * thread of its own: the echo comes back while we still send, and flow control stops both sides if
     * nobody reads it.
     */
    public static byte[] echoOver(Connection connection, byte[] data) throws IOException {
        try (Stream stream = connection.newStream(ECHO)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    stream.out().write(data);
                    stream.out().flush();
                    stream.closeWrite();
                } catch (IOException e) {
                    stream.reset();
                }
            });
            byte[] echoed = stream.in().readAllBytes();
            writer.join();
            return echoed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while echoing", e);
        }
    }
}
