package dev.parley.transport.kad;

import java.io.IOException;

/** A DHT message we cannot accept: too large, malformed, or missing what its type needs. */
public final class KadProtocolException extends IOException {
    public KadProtocolException(String message) {
        super(message);
    }
}
