package dev.parley.transport.noise;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState for ChaChaPoly (Noise spec §5.1, §12.3): a 256-bit key and a 64-bit message counter
 * n. The AEAD nonce is 4 zero bytes followed by n in little-endian order. One JDK cipher serves every
 * message of the state, re-initialised with the next nonce, and works in place when input and output are
 * the same array region.
 */
final class CipherState {
    static final int KEY_SIZE = 32;
    private static final String ALGORITHM = "ChaCha20-Poly1305";
    /** The Noise spec reserves n = 2^64-1; as a signed long it reads -1. */
    private static final long RESERVED_NONCE = -1L;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private long n;

    CipherState(byte[] key) {
        this(key, 0);
    }

    /** Starts the counter at {@code n} (unsigned), so a test can reach nonce exhaustion. */
    CipherState(byte[] key, long n) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("a ChaChaPoly key has " + KEY_SIZE + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.n = n;
        try {
            this.cipher = Cipher.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
        }
    }

    /**
     * Encrypts {@code len} bytes of {@code in} into {@code out}, followed by the 16-byte tag.
     *
     * @param ad associated data, or null for none
     * @return the ciphertext length, {@code len + 16}
     */
    int encrypt(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws IOException {
        try {
            return process(Cipher.ENCRYPT_MODE, ad, in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw new AssertionError("encryption checks no tag", e);
        }
    }

    /**
     * Authenticates and decrypts {@code len} bytes (ciphertext and tag) of {@code in} into {@code out}.
     * Nothing is written to {@code out} and the counter stays put unless the tag matches.
     *
     * @param ad associated data, or null for none
     * @return the plaintext length, {@code len - 16}
     * @throws AEADBadTagException if the message was not sealed with this key, nonce and associated data
     */
    int decrypt(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws IOException, AEADBadTagException {
        return process(Cipher.DECRYPT_MODE, ad, in, inOff, len, out, outOff);
    }

    private int process(int mode, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws IOException, AEADBadTagException {
        if (n == RESERVED_NONCE) {
            throw new IOException("Noise nonce exhausted after 2^64-1 messages; the connection must be re-established");
        }
        LITTLE_ENDIAN_LONG.set(nonce, 4, n);
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce));
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            int written = cipher.doFinal(in, inOff, len, out, outOff);
            n++;
            return written;
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " failed", e);
        }
    }
}
