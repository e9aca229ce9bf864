package dev.parley.crypto.session;

import com.google.crypto.tink.subtle.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Double Ratchet's key derivations (crypto/README.md, "Sessions: the Double Ratchet"): HKDF-SHA256 for the root
 * chain and for a message key's cipher key and nonce, HMAC-SHA256 for the symmetric chains. Each info string names its
 * use and a version, so no output of one derivation can stand in for another.
 */
final class RatchetKdf {
    static final int KEY_SIZE = 32;
    private static final byte[] ROOT_INFO = "parley/ratchet/root/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_INFO = "parley/ratchet/message/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_KEY_INPUT = {0x01};
    private static final byte[] CHAIN_KEY_INPUT = {0x02};

    private RatchetKdf() {
    }

    /** KDF_RK's output: the next root key, a chain key, and the next header key for the chain after it. */
    record RootStep(byte[] rootKey, byte[] chainKey, byte[] nextHeaderKey) {
    }

    /** KDF_CK's output. */
    record ChainStep(byte[] messageKey, byte[] nextChainKey) {
    }

    /** What a message key becomes: the payload's AES-256-GCM key and nonce. */
    record PayloadKey(byte[] key, byte[] nonce) {
    }

    static byte[] hkdfSha256(byte[] inputKeyMaterial, byte[] salt, byte[] info, int size) {
        try {
            return Hkdf.computeHkdf("HMACSHA256", inputKeyMaterial, salt, info, size);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is unavailable", e);
        }
    }

    static RootStep root(byte[] rootKey, byte[] dhOutput) {
        byte[] output = hkdfSha256(dhOutput, rootKey, ROOT_INFO, 3 * KEY_SIZE);
        try {
            return new RootStep(Arrays.copyOfRange(output, 0, KEY_SIZE),
                    Arrays.copyOfRange(output, KEY_SIZE, 2 * KEY_SIZE),
                    Arrays.copyOfRange(output, 2 * KEY_SIZE, 3 * KEY_SIZE));
        } finally {
            Arrays.fill(output, (byte) 0);
        }
    }

    static ChainStep chain(byte[] chainKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(chainKey, "HmacSHA256"));
            byte[] messageKey = mac.doFinal(MESSAGE_KEY_INPUT);
            byte[] nextChainKey = mac.doFinal(CHAIN_KEY_INPUT);
            return new ChainStep(messageKey, nextChainKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /**
     * The payload's key and nonce. The salt is the message's random header nonce, so that a caller who seals twice
     * from one state (which the immutable API cannot prevent) encrypts the two messages under different keys and
     * nonces rather than repeat an AES-GCM nonce; the receiver opens one of them, as it would anyway.
     */
    static PayloadKey payload(byte[] messageKey, byte[] headerNonce) {
        byte[] output = hkdfSha256(messageKey, headerNonce, MESSAGE_INFO, AesGcm.KEY_SIZE + AesGcm.NONCE_SIZE);
        try {
            return new PayloadKey(Arrays.copyOfRange(output, 0, AesGcm.KEY_SIZE),
                    Arrays.copyOfRange(output, AesGcm.KEY_SIZE, output.length));
        } finally {
            Arrays.fill(output, (byte) 0);
        }
    }
}
