package dev.parley.crypto;

/**
 * A message's id: 16 bytes, unique per message, so that receivers deduplicate retries and replays. Text form:
 * 32 lowercase hex digits. New messages take {@link #timeOrdered} ids, whose text sorts by send time.
 */
public record MessageId(long high, long low) {
    public static MessageId random() {
        return Id128.random(MessageId::new);
    }

    /**
     * An id that starts with the time, as UUIDv7 does: 48 bits of {@code unixMillis}, then 80 random bits. Ids
     * made later sort after earlier ones (to the millisecond), so the store's id index grows at its end instead
     * of being rewritten all over.
     *
     * @throws IllegalArgumentException if {@code unixMillis} does not fit 48 bits
     */
    public static MessageId timeOrdered(long unixMillis) {
        if (unixMillis < 0 || unixMillis >= 1L << 48) {
            throw new IllegalArgumentException("a time-ordered message id needs a time of 0 to 2^48-1 ms, got "
                    + unixMillis);
        }
        MessageId random = random();
        return new MessageId(unixMillis << 16 | random.high() & 0xFFFF, random.low());
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
