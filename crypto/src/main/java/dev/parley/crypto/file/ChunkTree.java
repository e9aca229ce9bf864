package dev.parley.crypto.file;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The hash tree over a file's sealed chunks whose root a file offer names: RFC 9162's Merkle Tree Hash (that of
 * Certificate Transparency), a leaf SHA-256(0x00 || sealed chunk), an inner node SHA-256(0x01 || left || right),
 * the root of no leaves SHA-256 of nothing. Leaves hash the sealed bytes, so a chunk is checked before it is opened,
 * and the 0x00 and 0x01 prefixes keep a leaf from passing for an inner node. A fetcher gets the leaf hashes first,
 * checks that they make the offer's root, then checks each chunk against its leaf.
 */
public final class ChunkTree {
    public static final int HASH_SIZE = 32;

    private ChunkTree() {
    }

    /** The leaf hash of a sealed chunk. */
    public static byte[] leafHash(byte[] sealed, int offset, int length) {
        MessageDigest digest = sha256();
        digest.update((byte) 0);
        digest.update(sealed, offset, length);
        return digest.digest();
    }

    /**
     * The root of the tree over {@code leafHashes}, 32 bytes each one after another. Pairs are hashed level by level
     * and a last node without a partner rises unchanged, which gives RFC 9162's tree, whose left subtree is always
     * the largest power of two smaller than the leaves.
     */
    public static byte[] root(byte[] leafHashes) {
        if (leafHashes.length % HASH_SIZE != 0) {
            throw new IllegalArgumentException("leaf hashes are " + HASH_SIZE + " bytes each");
        }
        int nodes = leafHashes.length / HASH_SIZE;
        if (nodes == 0) {
            return sha256().digest();
        }
        byte[] level = leafHashes.clone();
        MessageDigest digest = sha256();
        while (nodes > 1) {
            int parents = (nodes + 1) / 2;
            for (int parent = 0; parent < parents; parent++) {
                int left = 2 * parent * HASH_SIZE;
                if (2 * parent + 1 < nodes) {
                    digest.update((byte) 1);
                    digest.update(level, left, 2 * HASH_SIZE);
                    System.arraycopy(digest.digest(), 0, level, parent * HASH_SIZE, HASH_SIZE);
                } else {
                    System.arraycopy(level, left, level, parent * HASH_SIZE, HASH_SIZE);
                }
            }
            nodes = parents;
        }
        return Arrays.copyOf(level, HASH_SIZE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
