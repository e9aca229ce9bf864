package dev.parley.crypto;

import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The conversation an envelope belongs to, 16 bytes: a room's id, or for a 1:1 chat a hash of both PeerIds
 * that either side computes alike. Text form: 32 lowercase hex digits.
 */
public record ConversationId(long high, long low) {
    private static final byte[] DIRECT_DOMAIN = "parley/direct-conversation/1".getBytes(StandardCharsets.UTF_8);

    /** The 1:1 conversation of two peers: the same whichever of them asks. */
    public static ConversationId direct(PeerId a, PeerId b) {
        byte[] first = a.bytes();
        byte[] second = b.bytes();
        if (Arrays.compareUnsigned(first, second) > 0) {
            byte[] swap = first;
            first = second;
            second = swap;
        }
        byte[] digest = Digests.sha256(DIRECT_DOMAIN, new byte[] {(byte) first.length}, first, second);
        return fromBytes(Arrays.copyOf(digest, Id128.SIZE));
    }

    public static ConversationId of(RoomId room) {
        return new ConversationId(room.high(), room.low());
    }

    public static ConversationId fromBytes(byte[] bytes) {
        return Id128.fromBytes("conversation id", bytes, ConversationId::new);
    }

    public byte[] bytes() {
        return Id128.bytes(high, low);
    }

    @Override
    public String toString() {
        return Id128.hex(high, low);
    }
}
