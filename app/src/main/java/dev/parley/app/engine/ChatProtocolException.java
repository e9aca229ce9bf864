package dev.parley.app.engine;

import java.io.IOException;

/** A peer broke /parley/chat or /parley/profile: a frame too long or malformed, a card that is not its own. */
final class ChatProtocolException extends IOException {
    ChatProtocolException(String message) {
        super(message);
    }

    ChatProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
