package dev.parley.crypto.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * A ratchet message's header, which travels encrypted under the sending chain's header key:
 *
 * <pre>
 * plain header (40 bytes)                 encrypted header (68 bytes)
 * +-------------------+--------+--------+  +----------+------------------------+---------+
 * | ratchet public 32 | PN u32 | N  u32 |  | nonce 12 | plain header, 40       | tag 16  |
 * +-------------------+--------+--------+  +----------+------------------------+---------+
 * </pre>
 *
 * PN is the length of the sender's previous sending chain, N the message's number in its chain, both big-endian.
 * The nonce is random: a header key seals every header of its chain.
 */
record RatchetHeader(byte[] ratchetPublic, long previousChainLength, long number) {
    static final int SIZE = RatchetKeyPair.KEY_SIZE + 4 + 4;
    static final int ENCRYPTED_SIZE = AesGcm.NONCE_SIZE + SIZE + AesGcm.TAG_SIZE;
    /** PN and N are unsigned 32-bit numbers on the wire. */
    static final long MAX_NUMBER = 0xFFFF_FFFFL;

    private static final SecureRandom RANDOM = new SecureRandom();

    RatchetHeader {
        if (ratchetPublic.length != RatchetKeyPair.KEY_SIZE) {
            throw new IllegalArgumentException("a ratchet public key is " + RatchetKeyPair.KEY_SIZE + " bytes");
        }
        if (previousChainLength < 0 || previousChainLength > MAX_NUMBER || number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("PN and N are unsigned 32-bit numbers");
        }
    }

    /** {@code associatedData} binds what precedes the header in the message: its version byte. */
    byte[] seal(byte[] headerKey, byte[] associatedData) {
        byte[] plain = ByteBuffer.allocate(SIZE).put(ratchetPublic).putInt((int) previousChainLength)
                .putInt((int) number).array();
        byte[] nonce = new byte[AesGcm.NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        byte[] sealed = AesGcm.seal(headerKey, nonce, plain, associatedData);
        return ByteBuffer.allocate(ENCRYPTED_SIZE).put(nonce).put(sealed).array();
    }

    /** The header, if {@code headerKey} is the one that sealed {@code encrypted}. */
    static Optional<RatchetHeader> open(byte[] headerKey, byte[] encrypted, byte[] associatedData) {
        if (encrypted.length != ENCRYPTED_SIZE) {
            throw new IllegalArgumentException("an encrypted header is " + ENCRYPTED_SIZE + " bytes");
        }
        byte[] nonce = Arrays.copyOfRange(encrypted, 0, AesGcm.NONCE_SIZE);
        byte[] plain;
        try {
            plain = AesGcm.open(headerKey, nonce, encrypted, AesGcm.NONCE_SIZE, encrypted.length - AesGcm.NONCE_SIZE,
                    associatedData);
        } catch (GeneralSecurityException notThisKey) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(plain);
        byte[] ratchetPublic = new byte[RatchetKeyPair.KEY_SIZE];
        buffer.get(ratchetPublic);
        return Optional.of(new RatchetHeader(ratchetPublic, Integer.toUnsignedLong(buffer.getInt()),
                Integer.toUnsignedLong(buffer.getInt())));
    }
}
