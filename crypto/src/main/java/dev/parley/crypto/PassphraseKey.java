package dev.parley.crypto;

import com.google.crypto.tink.Aead;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * An AES-256-GCM key derived from a passphrase with scrypt (Tink has no password KDF). scrypt yields 64 bytes:
 * the first 32 are the AES key, the last 32 are stored in the file as a check, so that a wrong passphrase can
 * be told apart from a damaged file before anything is decrypted. The check reveals nothing about the AES
 * half, and testing a guess against it costs a full scrypt run, as a guess against the ciphertext would.
 */
final class PassphraseKey {
    static final int SALT_SIZE = 16;
    static final int CHECK_SIZE = 32;
    /** Size of the KDF block in a file: log2(N), r, p, salt, check. */
    static final int ENCODED_SIZE = 3 + SALT_SIZE + CHECK_SIZE;

    /**
     * scrypt cost. Files record it, so it can be raised later without breaking old files; what a file may ask
     * for is bounded, so that a damaged header cannot demand gigabytes of memory.
     */
    record Cost(int log2N, int r, int p) {
        /** 128 MiB and about half a second here for one unlock. */
        static final Cost DEFAULT = new Cost(17, 8, 1);
        private static final long MAX_MEMORY = 1L << 30;

        /** Why a file's cost is not accepted, or null when it is. */
        String problem() {
            boolean inRange = log2N >= 14 && log2N <= 24 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
            if (!inRange || 128L * r * (1L << log2N) > MAX_MEMORY) {
                return "scrypt cost N=2^" + log2N + " r=" + r + " p=" + p + " is outside the accepted range"
                        + " (N 2^14..2^24, r 1..32, p 1..16, at most 1 GiB)";
            }
            return null;
        }
    }

    private final Cost cost;
    private final byte[] salt;
    private final byte[] check;
    private final Aead aead;

    private PassphraseKey(Cost cost, byte[] salt, byte[] check, Aead aead) {
        this.cost = cost;
        this.salt = salt;
        this.check = check;
        this.aead = aead;
    }

    /** A key for writing: default cost, fresh salt. */
    static PassphraseKey create(char[] passphrase) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("an empty passphrase protects nothing; pass null for none");
        }
        byte[] salt = new byte[SALT_SIZE];
        new SecureRandom().nextBytes(salt);
        return derive(passphrase, Cost.DEFAULT, salt);
    }

    static PassphraseKey derive(char[] passphrase, Cost cost, byte[] salt) {
        byte[] secret = passphraseBytes(passphrase);
        byte[] derived = SCrypt.generate(secret, salt, 1 << cost.log2N(), cost.r(), cost.p(), 64);
        Arrays.fill(secret, (byte) 0);
        byte[] aesKey = Arrays.copyOf(derived, Keysets.AES_256_KEY_SIZE);
        byte[] check = Arrays.copyOfRange(derived, Keysets.AES_256_KEY_SIZE, 64);
        Aead aead = Keysets.aes256Gcm(aesKey);
        Arrays.fill(aesKey, (byte) 0);
        Arrays.fill(derived, (byte) 0);
        return new PassphraseKey(cost, salt.clone(), check, aead);
    }

    /**
     * NFC first, so that the same passphrase typed with composed or decomposed accents (keyboards and input
     * methods differ) gives the same key.
     */
    private static byte[] passphraseBytes(char[] passphrase) {
        String normalized = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
        return normalized.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this key was derived with the given cost and salt, so another file written with it can reuse it. */
    boolean derivedWith(Cost otherCost, byte[] otherSalt) {
        return cost.equals(otherCost) && Arrays.equals(salt, otherSalt);
    }

    boolean matchesCheck(byte[] storedCheck) {
        return MessageDigest.isEqual(check, storedCheck);
    }

    Aead aead() {
        return aead;
    }

    void writeTo(ByteBuffer out) {
        out.put((byte) cost.log2N()).put((byte) cost.r()).put((byte) cost.p()).put(salt).put(check);
    }
}
