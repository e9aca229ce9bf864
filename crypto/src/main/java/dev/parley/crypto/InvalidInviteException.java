package dev.parley.crypto;

/** Text that is not a valid invite code: mistyped, cut short, or carrying an invalid card or address. */
public final class InvalidInviteException extends Exception {
    InvalidInviteException(String message) {
        super(message);
    }

    InvalidInviteException(String message, Throwable cause) {
        super(message, cause);
    }
}
