package dev.parley.crypto.session;

/**
 * A session state or ratchet message that cannot be used. Whoever gets one keeps the state it had: a failed
 * {@link Ratchet#open} changes nothing.
 */
public final class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The bytes are not a ratchet message or a session state of a version this code reads. */
        MALFORMED,
        /** No header key of the session opens the header, or the payload's authentication fails. */
        UNDECRYPTABLE,
        /** Opening would skip more than {@link Ratchet#MAX_SKIP} message keys in one chain. */
        TOO_FAR_AHEAD,
        /**
         * The header is authentic, but the key of its position is gone: the message was opened before (a replay), or
         * its kept key was dropped (older than {@link Ratchet#SKIPPED_KEY_LIFETIME}, or beyond
         * {@link Ratchet#MAX_SKIPPED_KEPT}). The two cannot be told apart: the state keeps no trace of used keys.
         */
        KEY_USED_OR_DROPPED
    }

    private final Reason reason;

    public SessionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SessionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
