package dev.parley.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-2 without the checked exception no Java platform ever throws for it. */
final class Digests {
    private Digests() {
    }

    static MessageDigest sha256() {
        return get("SHA-256");
    }

    static MessageDigest sha512() {
        return get("SHA-512");
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest digest = sha256();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static MessageDigest get(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
