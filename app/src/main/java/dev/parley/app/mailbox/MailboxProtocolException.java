package dev.parley.app.mailbox;

import java.io.IOException;

/** A peer broke {@code /parley/mailbox/1.0.0} (a frame over its limit, malformed or unexpected): that stream ends. */
public final class MailboxProtocolException extends IOException {
    MailboxProtocolException(String message) {
        super(message);
    }
}
