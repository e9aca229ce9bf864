package dev.parley.crypto;

import dev.parley.transport.keys.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A short fingerprint of two identities that both people compare, read aloud or by scanning a QR code: the
 * same 60 digits on both sides, and different as soon as either key is.
 *
 * <p>Each identity key gives 30 digits, as Signal's safety numbers do: {@code h = SHA-512("parley/safety-
 * number/1" 0x00 || key)}, then {@value #ITERATIONS} times {@code h = SHA-512(h || key)} (the iterations make
 * finding a key with a chosen fingerprint costly); bytes 0..29 of {@code h} in six 5-byte chunks, each a
 * big-endian number taken modulo 100000 as five digits. The two halves are joined smaller first, so the order
 * of the arguments does not matter.
 */
public final class SafetyNumber {
    public static final int ITERATIONS = 5200;
    public static final int DIGITS = 60;
    public static final int GROUP = 5;
    /** Prefix of {@link #qrPayload()}; uppercase, digits and ':' keep the code in QR alphanumeric mode. */
    public static final String QR_PREFIX = "PARLEY-SN1:";

    private static final byte[] DOMAIN = "parley/safety-number/1\0".getBytes(StandardCharsets.UTF_8);

    private final String digits;

    private SafetyNumber(String digits) {
        this.digits = digits;
    }

    public static SafetyNumber of(Ed25519PublicKey a, Ed25519PublicKey b) {
        String first = half(a);
        String second = half(b);
        return new SafetyNumber(first.compareTo(second) <= 0 ? first + second : second + first);
    }

    private static String half(Ed25519PublicKey key) {
        byte[] raw = key.raw();
        MessageDigest sha512 = Digests.sha512();
        sha512.update(DOMAIN);
        byte[] hash = sha512.digest(raw);
        for (int i = 0; i < ITERATIONS; i++) {
            sha512.update(hash);
            hash = sha512.digest(raw);
        }
        StringBuilder digits = new StringBuilder(DIGITS / 2);
        for (int chunk = 0; chunk < 6; chunk++) {
            long value = 0;
            for (int i = 0; i < 5; i++) {
                value = (value << 8) | (hash[chunk * 5 + i] & 0xFF);
            }
            digits.append(String.format("%05d", value % 100_000));
        }
        return digits.toString();
    }

    /** The 60 digits in 12 groups of 5, separated by spaces, for display. */
    public String digits() {
        return String.join(" ", groups());
    }

    /** The 12 groups of 5 digits. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>(DIGITS / GROUP);
        for (int at = 0; at < DIGITS; at += GROUP) {
            groups.add(digits.substring(at, at + GROUP));
        }
        return groups;
    }

    /** What the QR code shows: {@value #QR_PREFIX} and the 60 digits. */
    public String qrPayload() {
        return QR_PREFIX + digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetyNumber other && digits.equals(other.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return digits();
    }
}
