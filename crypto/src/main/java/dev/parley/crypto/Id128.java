package dev.parley.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The 16-byte identifiers ({@link MessageId}, {@link RoomId}, {@link ConversationId}) as two longs. */
final class Id128 {
    static final int SIZE = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The record constructor of an id type. */
    @FunctionalInterface
    interface Factory<T> {
        T of(long high, long low);
    }

    private Id128() {
    }

    static <T> T random(Factory<T> factory) {
        byte[] bytes = new byte[SIZE];
        RANDOM.nextBytes(bytes);
        return fromBytes("random id", bytes, factory);
    }

    /** The id of exactly 16 bytes, read as two big-endian longs; {@code what} names the id in the error. */
    static <T> T fromBytes(String what, byte[] bytes, Factory<T> factory) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("a " + what + " has " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return factory.of(in.getLong(), in.getLong());
    }

    static <T> T parseHex(String what, String hex, Factory<T> factory) {
        if (hex.length() != 2 * SIZE) {
            throw new IllegalArgumentException("a " + what + " is " + 2 * SIZE + " hex digits, got '" + hex + "'");
        }
        try {
            return fromBytes(what, HexFormat.of().parseHex(hex), factory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a " + what + ": '" + hex + "' is not hex", e);
        }
    }

    static byte[] bytes(long high, long low) {
        return ByteBuffer.allocate(SIZE).putLong(high).putLong(low).array();
    }

    static String hex(long high, long low) {
        return HexFormat.of().formatHex(bytes(high, low));
    }
}
