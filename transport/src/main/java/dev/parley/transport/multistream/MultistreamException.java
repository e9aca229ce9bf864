package dev.parley.transport.multistream;

import java.io.IOException;

/** The remote spoke multistream-select wrongly (bad header, malformed message, too many proposals). */
public class MultistreamException extends IOException {
    public MultistreamException(String message) {
        super(message);
    }
}
