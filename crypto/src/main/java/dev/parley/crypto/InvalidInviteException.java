package dev.parley.crypto;

/** Text that is not a valid invite code: mistyped, cut short, or carrying an invalid card or address. */
public final class InvalidInviteException extends Exception {
    /** What is wrong with the code, for telling the user what to do about it. */
    public enum Reason {
        /** Not an invite code at all: it does not start with {@code parley:}. */
        NOT_AN_INVITE,
        /** Longer than any invite code. */
        TOO_LONG,
        /** Cut short: too few characters to decode, or to be a code. */
        INCOMPLETE,
        /** Whole in length, but its checksum does not match: a character changed, or a piece is missing. */
        MISTYPED,
        /** Its checksum matches, yet what it carries is invalid: made by a faulty or hostile program. */
        DAMAGED
    }

    private final Reason reason;

    InvalidInviteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    InvalidInviteException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
