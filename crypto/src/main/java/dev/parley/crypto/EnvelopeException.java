package dev.parley.crypto;

/**
 * An envelope that cannot be sealed or opened. {@link #reason()} says which check failed; the message names
 * the message id, peer, room and epoch where they are known.
 */
public final class EnvelopeException extends Exception {
    public enum Reason {
        /** Does not parse, or a header field has the wrong size. */
        MALFORMED,
        /** Larger than {@link Envelope#MAX_SIZE}. */
        OVERSIZED,
        /** A header version this Parley does not speak. */
        UNSUPPORTED_VERSION,
        /** A payload kind this Parley does not know. */
        UNKNOWN_KIND,
        /** A sealing this Parley does not know. */
        UNKNOWN_SEALING,
        /**
         * Sealed in a way this opener does not take: a session envelope handed to the signed opener or the reverse, or
         * a session envelope to a room.
         */
        WRONG_SEALING,
        /** The signature is not the sender's over this header and ciphertext, is missing from a signed envelope, or
         *  is present on a session envelope, which has none. */
        BAD_SIGNATURE,
        /** Addressed to another peer, or to a peer where a room was expected, or the reverse. */
        WRONG_RECIPIENT,
        /** Wrong key, or ciphertext or header changed and re-signed. */
        DECRYPTION_FAILED,
        /** No sender key known for this room, sender and epoch. */
        UNKNOWN_SENDER_KEY,
        /** This message id was opened before. */
        REPLAYED,
        /** A distributed sender key that does not parse or is not the distributing sender's own. */
        INVALID_SENDER_KEY,
        /**
         * A room message numbered below the chained sender key held, whose message key is gone: it was opened already,
         * its kept key expired or was dropped, or it is from before this member was handed the key. It never opens.
         */
        MESSAGE_KEY_GONE,
        /** A room message numbered more than {@link SenderKey#MAX_SKIP} past the chained sender key held: not yet. */
        TOO_FAR_AHEAD
    }

    private final Reason reason;

    EnvelopeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    EnvelopeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
