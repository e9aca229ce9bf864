package dev.parley.crypto;

import com.google.crypto.tink.Aead;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.transport.multiformats.PeerId;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * One member's AES-256-GCM key for one room and epoch (app/README.md, "Rooms"). Its owner seals room envelopes with it
 * and sends it 1:1 to every other member in a {@link EnvelopeKind#SENDER_KEY} envelope; a removal starts a new
 * epoch and a new key, so a removed member cannot read what follows.
 *
 * <p>Encoded form: protobuf {@code SenderKey{room_id, owner, epoch, key}}. It holds the secret key.
 */
public final class SenderKey {
    public static final int KEY_SIZE = Keysets.AES_256_KEY_SIZE;

    private final RoomId room;
    private final PeerId owner;
    private final long epoch;
    private final byte[] key;
    private final Aead aead;

    private SenderKey(RoomId room, PeerId owner, long epoch, byte[] key) {
        if (epoch < 0) {
            throw new IllegalArgumentException("sender key epoch " + epoch + " is negative");
        }
        this.room = Objects.requireNonNull(room);
        this.owner = Objects.requireNonNull(owner);
        this.epoch = epoch;
        this.key = key;
        this.aead = Keysets.aes256Gcm(key);
    }

    /** A fresh random key. */
    public static SenderKey generate(RoomId room, PeerId owner, long epoch) {
        byte[] key = new byte[KEY_SIZE];
        new SecureRandom().nextBytes(key);
        return new SenderKey(room, owner, epoch, key);
    }

    public byte[] encode() {
        return toProto().toByteArray();
    }

    public static SenderKey decode(byte[] encoded) throws InvalidSenderKeyException {
        try {
            return fromProto(EnvelopeProtos.SenderKey.parseFrom(encoded));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidSenderKeyException("sender key does not parse: " + e.getMessage(), e);
        }
    }

    EnvelopeProtos.SenderKey toProto() {
        return EnvelopeProtos.SenderKey.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes()))
                .setOwner(ByteString.copyFrom(owner.bytes()))
                .setEpoch(epoch)
                .setKey(ByteString.copyFrom(key))
                .build();
    }

    static SenderKey fromProto(EnvelopeProtos.SenderKey wire) throws InvalidSenderKeyException {
        if (wire.getKey().size() != KEY_SIZE) {
            throw new InvalidSenderKeyException("sender key of " + wire.getKey().size() + " bytes; expected " + KEY_SIZE);
        }
        try {
            return new SenderKey(RoomId.fromBytes(wire.getRoomId().toByteArray()),
                    PeerId.fromBytes(wire.getOwner().toByteArray()), wire.getEpoch(), wire.getKey().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new InvalidSenderKeyException("sender key is invalid: " + e.getMessage(), e);
        }
    }

    public RoomId room() {
        return room;
    }

    public PeerId owner() {
        return owner;
    }

    public long epoch() {
        return epoch;
    }

    Aead aead() {
        return aead;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderKey other && room.equals(other.room) && owner.equals(other.owner)
                && epoch == other.epoch && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(room, owner, epoch, Arrays.hashCode(key));
    }

    /** Room, owner and epoch; never the key. */
    @Override
    public String toString() {
        return "SenderKey[room " + room + ", owner " + owner + ", epoch " + epoch + "]";
    }
}
