package dev.parley.crypto;

/** A contact card that does not parse, is not signed by the key its PeerId inlines, or breaks a limit. */
public final class InvalidCardException extends Exception {
    InvalidCardException(String message) {
        super(message);
    }

    InvalidCardException(String message, Throwable cause) {
        super(message, cause);
    }
}
