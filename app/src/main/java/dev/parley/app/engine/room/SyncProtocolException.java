package dev.parley.app.engine.room;

import java.io.IOException;

/** A peer broke /parley/sync: a frame too long, malformed or empty. Only the stream it came on is reset. */
final class SyncProtocolException extends IOException {
    SyncProtocolException(String message) {
        super(message);
    }

    SyncProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
