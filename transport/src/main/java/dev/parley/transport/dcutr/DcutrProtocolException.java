package dev.parley.transport.dcutr;

import java.io.IOException;

/** A DCUtR message that is malformed, too large, or not the one the exchange expects at this point. */
public final class DcutrProtocolException extends IOException {
    public DcutrProtocolException(String message) {
        super(message);
    }
}
