package dev.parley.crypto.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A file's chunks sealed with the file's own key (crypto/README.md, "Files"): AES-256-GCM whose nonce is the chunk's
 * index. Sealing is deterministic on purpose: every holder of the plaintext seals chunk {@code i} to the same bytes,
 * so any of a room's members serves a chunk that matches the hash tree of the sender's offer. A key is drawn at
 * random for one offer and never seals anything else, so no nonce ever meets two plaintexts under it.
 */
public final class FileChunks {
    /** Plaintext bytes in each chunk but the last, for the files Parley offers. */
    public static final int CHUNK_SIZE = 256 * 1024;
    /** The smallest and largest chunk sizes an offer may name: beyond them a frame or the leaf list grows too big. */
    public static final int MIN_CHUNK_SIZE = 16 * 1024;
    public static final int MAX_CHUNK_SIZE = 1024 * 1024;
    public static final int KEY_SIZE = 32;
    /** What sealing adds to a chunk: GCM's tag. */
    public static final int TAG_SIZE = 16;

    private static final int NONCE_SIZE = 12;
    private static final byte[] ASSOCIATED_DATA = "parley/file-chunk/1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileChunks() {
    }

    /** A fresh key for one file offer. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_SIZE];
        RANDOM.nextBytes(key);
        return key;
    }

    /** How many chunks a file of {@code size} bytes has: none when it is empty. */
    public static long chunkCount(long size, int chunkSize) {
        if (size < 0 || chunkSize <= 0) {
            throw new IllegalArgumentException("a file's size is never negative and its chunks are never empty");
        }
        return (size + chunkSize - 1) / chunkSize;
    }

    /** The plaintext length of chunk {@code index} of a file of {@code size} bytes. */
    public static int plainLength(long size, int chunkSize, long index) {
        long count = chunkCount(size, chunkSize);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("chunk " + index + " is not among the " + count + " of the file");
        }
        return (int) Math.min(chunkSize, size - index * chunkSize);
    }

    /** Chunk {@code index}'s plaintext sealed: ciphertext then tag, {@link #TAG_SIZE} bytes longer. */
    public static byte[] seal(byte[] key, long index, byte[] plaintext, int offset, int length) {
        byte[] sealed = new byte[length + TAG_SIZE];
        seal(key, index, plaintext, offset, length, sealed, 0);
        return sealed;
    }

    /**
     * Seals chunk {@code index}'s plaintext into {@code out} at {@code outOffset}, which must have room for
     * {@code length + TAG_SIZE} bytes: a server that sends many chunks seals each into the buffer it sends from.
     * Returns the bytes written.
     */
    public static int seal(byte[] key, long index, byte[] plaintext, int offset, int length, byte[] out,
                           int outOffset) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, index).doFinal(plaintext, offset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable or refused a well-formed key", e);
        }
    }

    /**
     * The plaintext of sealed chunk {@code index}; a chunk sealed under another key or index, or changed, fails with
     * a {@link GeneralSecurityException}.
     */
    public static byte[] open(byte[] key, long index, byte[] sealed, int offset, int length)
            throws GeneralSecurityException {
        return cipher(Cipher.DECRYPT_MODE, key, index).doFinal(sealed, offset, length);
    }

    /**
     * Opens sealed chunk {@code index} into {@code out} at {@code outOffset}, which must have room for
     * {@code length - TAG_SIZE} bytes, as {@link #open(byte[], long, byte[], int, int)} does: a fetch opens each chunk
     * into the buffer it writes from. Returns the plaintext's length; what {@code out} holds after a failure is not
     * the chunk.
     */
    public static int open(byte[] key, long index, byte[] sealed, int offset, int length, byte[] out, int outOffset)
            throws GeneralSecurityException {
        return cipher(Cipher.DECRYPT_MODE, key, index).doFinal(sealed, offset, length, out, outOffset);
    }

    private static Cipher cipher(int mode, byte[] key, long index) throws GeneralSecurityException {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("a file key is " + KEY_SIZE + " bytes, not " + key.length);
        }
        if (index < 0) {
            throw new IllegalArgumentException("chunk indexes start at 0");
        }
        byte[] nonce = ByteBuffer.allocate(NONCE_SIZE).putLong(NONCE_SIZE - Long.BYTES, index).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
        cipher.updateAAD(ASSOCIATED_DATA);
        return cipher;
    }
}
