package dev.parley.crypto.session;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM on the JDK's cipher, with a nonce the caller chooses: the ratchet derives the payload's nonce from a
 * message key used once, and draws the header's at random.
 */
final class AesGcm {
    static final int KEY_SIZE = 32;
    static final int NONCE_SIZE = 12;
    static final int TAG_SIZE = 16;

    private AesGcm() {
    }

    /** Ciphertext || tag. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable or refused a well-formed key", e);
        }
    }

    /** The plaintext of ciphertext || tag; any authentication failure is a {@link GeneralSecurityException}. */
    static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, int offset, int length, byte[] associatedData)
            throws GeneralSecurityException {
        return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData).doFinal(ciphertext, offset, length);
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData)
            throws GeneralSecurityException {
        if (key.length != KEY_SIZE || nonce.length != NONCE_SIZE) {
            throw new IllegalArgumentException("AES-256-GCM takes a 32-byte key and a 12-byte nonce");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
