package dev.parley.crypto.session;

/**
 * A session handshake message that this side refuses. {@link #reason()} says which check failed; the message names
 * the peers and the session where they are known. A refused message changes nothing: the pending start, if any, stays
 * as it was, so the genuine ACCEPT can still complete it.
 */
public final class SessionHandshakeException extends Exception {
    public enum Reason {
        /** An envelope of another kind, or one sealed under a session: handshakes are always signed. */
        NOT_A_HANDSHAKE,
        /** From another peer than the contact the handshake is with, or addressed to another peer than this one. */
        WRONG_PEER,
        /** The body does not parse, or a field has the wrong size; or stored pending state that does not decode. */
        MALFORMED,
        /** An ACCEPT naming another session than the pending one. */
        SESSION_MISMATCH,
        /** An ACCEPT whose hash of the INIT is not the hash of the INIT this side sent. */
        INIT_MISMATCH,
        /** An ephemeral key of the wrong size, or of small order (it would make the shared secret known to all). */
        BAD_KEY
    }

    private final Reason reason;

    SessionHandshakeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    SessionHandshakeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
