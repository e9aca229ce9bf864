package dev.parley.crypto.session;

import com.google.crypto.tink.subtle.X25519;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
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
     * A pair as a session state stored it, both halves, checked: the public key is derived again from the private one
     * and must be the stored one. A stored public key that is not its private key's (one bit damaged in the store)
     * would otherwise be announced in the next chain's headers, and the peer could open nothing of that chain. The
     * check costs one X25519 multiplication per load, which is why the engine keeps a loaded state in memory.
     *
     * @throws InvalidKeyException if either key is not 32 bytes or the public key is not the private key's
     */
    static RatchetKeyPair restored(byte[] privateKey, byte[] publicKey) throws InvalidKeyException {
        if (privateKey.length != KEY_SIZE || publicKey.length != KEY_SIZE) {
            throw new InvalidKeyException("X25519 keys are " + KEY_SIZE + " bytes");
        }
        byte[] derived = X25519.publicFromPrivate(privateKey);
        if (!MessageDigest.isEqual(derived, publicKey)) {
            throw new InvalidKeyException("the stored ratchet public key is not its private key's");
        }
        return new RatchetKeyPair(privateKey.clone(), derived);
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
