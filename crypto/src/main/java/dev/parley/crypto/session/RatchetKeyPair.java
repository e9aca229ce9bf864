package dev.parley.crypto.session;

import com.google.crypto.tink.subtle.X25519;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An X25519 key pair (RFC 7748) for the Double Ratchet's DH steps and a session handshake's ephemeral keys, on
 * Tink's X25519. Raw 32-byte keys, as the ratchet's headers carry them.
 */
public final class RatchetKeyPair {
    public static final int KEY_SIZE = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private RatchetKeyPair(byte[] privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static RatchetKeyPair generate() {
        byte[] privateKey = X25519.generatePrivateKey();
        try {
            return new RatchetKeyPair(privateKey, X25519.publicFromPrivate(privateKey));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("Tink refused a private key it generated", e);
        }
    }

    /** A pair from its stored private key. */
    public static RatchetKeyPair fromPrivate(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_SIZE) {
            throw new IllegalArgumentException("an X25519 private key is " + KEY_SIZE + " bytes");
        }
        try {
            return new RatchetKeyPair(privateKey.clone(), X25519.publicFromPrivate(privateKey));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an X25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * A pair as a session state stored it, both halves, trusted as they are: deriving the public key again would cost
     * an X25519 scalar multiplication on every load of a session, more than sealing a message does.
     */
    static RatchetKeyPair restored(byte[] privateKey, byte[] publicKey) {
        if (privateKey.length != KEY_SIZE || publicKey.length != KEY_SIZE) {
            throw new IllegalArgumentException("X25519 keys are " + KEY_SIZE + " bytes");
        }
        return new RatchetKeyPair(privateKey.clone(), publicKey.clone());
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** For the session state only, which is stored in the profile and never exported. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /**
     * X25519 with {@code peerPublic}. A public key of small order gives an all-zero secret, which Tink refuses; that
     * refusal is a {@link GeneralSecurityException} here, as any key that does not work is.
     */
    public byte[] agree(byte[] peerPublic) throws GeneralSecurityException {
        if (peerPublic == null || peerPublic.length != KEY_SIZE) {
            throw new GeneralSecurityException("an X25519 public key is " + KEY_SIZE + " bytes");
        }
        return X25519.computeSharedSecret(privateKey, peerPublic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatchetKeyPair other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Never the private key. */
    @Override
    public String toString() {
        return "RatchetKeyPair[public " + HexFormat.of().formatHex(publicKey, 0, 4) + "…]";
    }
}
