package dev.parley.crypto;

/** A sender key or sender-key ring in stored or distributed form that does not parse or breaks a limit. */
public final class InvalidSenderKeyException extends Exception {
    InvalidSenderKeyException(String message) {
        super(message);
    }

    InvalidSenderKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
