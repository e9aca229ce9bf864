package dev.parley.crypto;

/**
 * A room's id: 16 bytes, derived from its creator and a random salt when the room is created (app/README.md,
 * "Rooms"). Text form: 32 lowercase hex digits.
 */
public record RoomId(long high, long low) {
    public static RoomId random() {
        return Id128.random(RoomId::new);
    }

    public static RoomId fromBytes(byte[] bytes) {
        return Id128.fromBytes("room id", bytes, RoomId::new);
    }

    public byte[] bytes() {
        return Id128.bytes(high, low);
    }

    @Override
    public String toString() {
        return Id128.hex(high, low);
    }
}
