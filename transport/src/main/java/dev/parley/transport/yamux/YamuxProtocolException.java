package dev.parley.transport.yamux;

import java.io.IOException;

/**
 * The peer broke the Yamux protocol. The session answers with a go-away carrying
 * {@link GoAwayCode#PROTOCOL_ERROR} and closes; other connections are unaffected.
 */
public final class YamuxProtocolException extends IOException {
    public YamuxProtocolException(String message) {
        super(message);
    }
}
