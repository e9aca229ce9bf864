package dev.parley.transport.noise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise SymmetricState with SHA-256 (Noise spec §5.2): the chaining key {@code ck}, the handshake hash
 * {@code h}, and the CipherState keyed by the latest {@link #mixKey}. Only the handshake uses it.
 */
final class SymmetricState {
    static final int HASH_SIZE = 32;

    private byte[] chainingKey;
    private byte[] hash;
    private CipherState cipher;

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        hash = name.length <= HASH_SIZE ? Arrays.copyOf(name, HASH_SIZE) : sha256(name);
        chainingKey = hash.clone();
    }

    void mixHash(byte[] data, int off, int len) {
        MessageDigest digest = newSha256();
        digest.update(hash);
        digest.update(data, off, len);
        hash = digest.digest();
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    void mixKey(byte[] inputKeyMaterial) {
        byte[][] outputs = hkdf(chainingKey, inputKeyMaterial);
        chainingKey = outputs[0];
        cipher = new CipherState(outputs[1]);
    }

    boolean hasKey() {
        return cipher != null;
    }

    /** Encrypts with {@code h} as associated data once a key is mixed in; before that the data goes in clear. */
    byte[] encryptAndHash(byte[] plaintext) throws IOException {
        byte[] ciphertext;
        if (cipher == null) {
            ciphertext = plaintext.clone();
        } else {
            ciphertext = new byte[plaintext.length + NoiseFrame.TAG_SIZE];
            cipher.encrypt(hash, plaintext, 0, plaintext.length, ciphertext, 0);
        }
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] message, int off, int len) throws IOException, AEADBadTagException {
        byte[] plaintext;
        if (cipher == null) {
            plaintext = Arrays.copyOfRange(message, off, off + len);
        } else {
            if (len < NoiseFrame.TAG_SIZE) {
                throw new AEADBadTagException("ciphertext of " + len + " bytes is shorter than its tag");
            }
            plaintext = new byte[len - NoiseFrame.TAG_SIZE];
            cipher.decrypt(hash, message, off, len, plaintext, 0);
        }
        mixHash(message, off, len);
        return plaintext;
    }

    /** The two transport CipherStates: initiator-to-responder first, responder-to-initiator second. */
    CipherState[] split() {
        byte[][] keys = hkdf(chainingKey, new byte[0]);
        return new CipherState[] {new CipherState(keys[0]), new CipherState(keys[1])};
    }

    byte[] handshakeHash() {
        return hash.clone();
    }

    /** HKDF with two outputs as the Noise spec defines it (§4.3), on HMAC-SHA256. */
    private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] first = hmac(tempKey, new byte[] {1});
        byte[] firstAndTwo = Arrays.copyOf(first, HASH_SIZE + 1);
        firstAndTwo[HASH_SIZE] = 2;
        return new byte[][] {first, hmac(tempKey, firstAndTwo)};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
