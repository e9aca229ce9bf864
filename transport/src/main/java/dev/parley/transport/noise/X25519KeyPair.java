package dev.parley.transport.noise;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** A Noise DH key pair on Curve25519 (RFC 7748), used for the static and the ephemeral keys. */
final class X25519KeyPair {
    static final int KEY_SIZE = X25519.POINT_SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] privateKey;
    private final byte[] publicKey = new byte[KEY_SIZE];

    private X25519KeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    static X25519KeyPair generate() {
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(RANDOM, privateKey);
        return new X25519KeyPair(privateKey);
    }

    /** A key pair from fixed private key bytes, as test vectors give them. */
    static X25519KeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey.length != X25519.SCALAR_SIZE) {
            throw new IllegalArgumentException("an X25519 private key has " + X25519.SCALAR_SIZE
                    + " bytes, got " + privateKey.length);
        }
        return new X25519KeyPair(privateKey.clone());
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The shared secret with {@code remotePublicKey}. A low-order remote point would make the secret all
     * zeros, known to anyone; such a key is refused.
     */
    byte[] agree(byte[] remotePublicKey) throws NoiseHandshakeException {
        byte[] secret = new byte[KEY_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, remotePublicKey, 0, secret, 0)) {
            throw new NoiseHandshakeException("remote X25519 key is a low-order point; refusing the handshake");
        }
        return secret;
    }
}
