package dev.parley.transport.autonat;

import java.io.IOException;

/** An AutoNAT message that is malformed, too large, or not the one expected at this point. */
public final class AutoNatProtocolException extends IOException {
    public AutoNatProtocolException(String message) {
        super(message);
    }
}
