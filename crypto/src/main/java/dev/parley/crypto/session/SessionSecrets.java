package dev.parley.crypto.session;

import java.util.Arrays;

/**
 * What a session's handshake gives both sides to start the Double Ratchet with header encryption: the first root key
 * and the two shared header keys of the specification's {@code RatchetInitAliceHE}/{@code RatchetInitBobHE}. The
 * initiator sends its first messages under {@code initiatorHeaderKey}; the responder's first sending chain, after its
 * first ratchet step, uses {@code responderNextHeaderKey}. The handshake derives them and then forgets its own
 * ephemeral secrets (crypto/README.md, "Sessions").
 */
public record SessionSecrets(byte[] rootKey, byte[] initiatorHeaderKey, byte[] responderNextHeaderKey) {
    public static final int KEY_SIZE = 32;

    public SessionSecrets {
        rootKey = checked("root key", rootKey);
        initiatorHeaderKey = checked("initiator header key", initiatorHeaderKey);
        responderNextHeaderKey = checked("responder next header key", responderNextHeaderKey);
    }

    private static byte[] checked(String what, byte[] key) {
        if (key == null || key.length != KEY_SIZE) {
            throw new IllegalArgumentException(what + " must be " + KEY_SIZE + " bytes");
        }
        return key.clone();
    }

    @Override
    public byte[] rootKey() {
        return rootKey.clone();
    }

    @Override
    public byte[] initiatorHeaderKey() {
        return initiatorHeaderKey.clone();
    }

    @Override
    public byte[] responderNextHeaderKey() {
        return responderNextHeaderKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionSecrets other && Arrays.equals(rootKey, other.rootKey)
                && Arrays.equals(initiatorHeaderKey, other.initiatorHeaderKey)
                && Arrays.equals(responderNextHeaderKey, other.responderNextHeaderKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rootKey);
    }

    /** Never the keys. */
    @Override
    public String toString() {
        return "SessionSecrets[…]";
    }
}
