package dev.parley.store;

import java.security.SecureRandom;

/** Bytes for the mailbox review tests: random envelopes and capability ids, and finding them in a file's bytes. */
final class TestBytes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestBytes() {
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Where {@code needle} first stands in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
