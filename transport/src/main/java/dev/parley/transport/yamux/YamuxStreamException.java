package dev.parley.transport.yamux;

import java.io.IOException;

/**
 * One stream cannot go on, though the peer kept to the protocol: the memory budget refused its buffer, or the
 * peer granted no window within the stall timeout. The stream is reset; unlike a {@link YamuxProtocolException},
 * the session and its other streams go on.
 */
public final class YamuxStreamException extends IOException {
    public YamuxStreamException(String message) {
        super(message);
    }
}
