package dev.parley.transport.relay;

import java.io.IOException;

/** A circuit relay message that is malformed, too large, or not the one the protocol expects at this point. */
public final class RelayProtocolException extends IOException {
    public RelayProtocolException(String message) {
        super(message);
    }
}
