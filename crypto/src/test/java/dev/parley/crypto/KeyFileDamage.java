package dev.parley.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** Ways a key file gets damaged on disk, for the identity-file and backup tests. */
record KeyFileDamage(String name, UnaryOperator<byte[]> apply) {
    static List<KeyFileDamage> all() {
        return List.of(
                new KeyFileDamage("emptied", bytes -> new byte[0]),
                new KeyFileDamage("last byte cut off", bytes -> Arrays.copyOf(bytes, bytes.length - 1)),
                new KeyFileDamage("cut in half", bytes -> Arrays.copyOf(bytes, bytes.length / 2)),
                new KeyFileDamage("wrong magic", bytes -> {
                    byte[] damaged = bytes.clone();
                    System.arraycopy("PK\3\4zip!".getBytes(StandardCharsets.US_ASCII), 0, damaged, 0, 8);
                    return damaged;
                }),
                new KeyFileDamage("flipped bit in the owner key", bytes -> flip(bytes, 20)),
                new KeyFileDamage("flipped bit in the keys", bytes -> flip(bytes, bytes.length - 40)),
                new KeyFileDamage("flipped bit in the checksum", bytes -> flip(bytes, bytes.length - 1)),
                new KeyFileDamage("garbage appended", bytes -> Arrays.copyOf(bytes, bytes.length + 7)));
    }

    static byte[] flip(byte[] bytes, int offset) {
        byte[] damaged = bytes.clone();
        damaged[offset] ^= 0x10;
        return damaged;
    }

    /** The file with its trailing SHA-256 made to match again, as a deliberate forger would. */
    static byte[] withChecksumFixed(byte[] bytes) {
        byte[] fixed = bytes.clone();
        MessageDigest sha256 = Digests.sha256();
        sha256.update(fixed, 0, fixed.length - 32);
        System.arraycopy(sha256.digest(), 0, fixed, fixed.length - 32, 32);
        return fixed;
    }

    @Override
    public String toString() {
        return name;
    }
}
