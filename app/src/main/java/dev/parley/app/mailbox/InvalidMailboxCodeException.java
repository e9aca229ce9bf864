package dev.parley.app.mailbox;

/** A pairing code or deposit capability that does not decode; the message says what is wrong. */
public final class InvalidMailboxCodeException extends Exception {
    InvalidMailboxCodeException(String message) {
        super(message);
    }

    InvalidMailboxCodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
