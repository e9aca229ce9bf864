package dev.parley.app.engine.files;

import java.io.IOException;

/** A peer broke {@code /parley/file/1.0.0}: the stream is reset, and a fetch counts it against that peer. */
public final class FileProtocolException extends IOException {
    public FileProtocolException(String message) {
        super(message);
    }
}
