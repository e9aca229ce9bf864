package dev.parley.crypto;

/**
 * A message's id: 16 random bytes, unique per message, so that receivers deduplicate retries and replays.
 * Text form: 32 lowercase hex digits.
 */
public record MessageId(long high, long low) {
    public static MessageId random() {
        return Id128.random(MessageId::new);
    }

    public static MessageId fromBytes(byte[] bytes) {
        return Id128.fromBytes("message id", bytes, MessageId::new);
    }

    public static MessageId parse(String hex) {
        return Id128.parseHex("message id", hex, MessageId::new);
    }

    public byte[] bytes() {
        return Id128.bytes(high, low);
    }

    @Override
    public String toString() {
        return Id128.hex(high, low);
    }
}
