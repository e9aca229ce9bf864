package dev.parley.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.transport.multiformats.PeerId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender keys one member knows: its own current key per room, and every key per (room, sender, epoch),
 * its own past and present ones included (so its own envelopes, synced back, still open). Thread-safe.
 * {@link #encode()} gives a form the store can persist; it holds secret keys.
 */
public final class SenderKeyRing {
    private record Slot(RoomId room, PeerId sender, long epoch) {
    }

    private final PeerId owner;
    private final Map<RoomId, SenderKey> current = new ConcurrentHashMap<>();
    private final Map<Slot, SenderKey> keys = new ConcurrentHashMap<>();

    public SenderKeyRing(PeerId owner) {
        this.owner = owner;
    }

    public PeerId owner() {
        return owner;
    }

    /** The owner's current key for {@code room}, if it has one. */
    public Optional<SenderKey> current(RoomId room) {
        return Optional.ofNullable(current.get(room));
    }

    /**
     * Creates the owner's key for {@code room} at {@code newEpoch}, the first or a replacement; distribute it
     * to every member with {@link TinkEnvelopeSealer#sealSenderKey}.
     *
     * @throws IllegalArgumentException if {@code newEpoch} is not above the current key's epoch
     */
    public SenderKey rotate(RoomId room, long newEpoch) {
        SenderKey rotated = current.compute(room, (id, previous) -> {
            if (previous != null && newEpoch <= previous.epoch()) {
                throw new IllegalArgumentException("room " + room + " is at epoch " + previous.epoch()
                        + "; a new sender key needs a later epoch than " + newEpoch);
            }
            return SenderKey.generate(room, owner, newEpoch);
        });
        add(rotated);
        return rotated;
    }

    /** Keeps a key a member distributed (see {@link TinkEnvelopeSealer#openSenderKey}); replaces one of the same slot. */
    public void add(SenderKey key) {
        keys.put(new Slot(key.room(), key.owner(), key.epoch()), key);
    }

    public Optional<SenderKey> find(RoomId room, PeerId sender, long epoch) {
        return Optional.ofNullable(keys.get(new Slot(room, sender, epoch)));
    }

    /** Drops every key of {@code room}, e.g. when the owner leaves it. */
    public void forget(RoomId room) {
        current.remove(room);
        keys.keySet().removeIf(slot -> slot.room().equals(room));
    }

    /**
     * A ring of keys kept one by one (e.g. a row each in the store): the owner's newest key per room becomes its
     * current one.
     */
    public static SenderKeyRing of(PeerId owner, Collection<SenderKey> keys) {
        SenderKeyRing ring = new SenderKeyRing(owner);
        for (SenderKey key : keys) {
            ring.add(key);
            if (key.owner().equals(owner)) {
                ring.current.merge(key.room(), key, (kept, other) -> other.epoch() > kept.epoch() ? other : kept);
            }
        }
        return ring;
    }

    public byte[] encode() {
        EnvelopeProtos.SenderKeyRing.Builder wire =
                EnvelopeProtos.SenderKeyRing.newBuilder().setOwner(ByteString.copyFrom(owner.bytes()));
        current.values().forEach(key -> wire.addOwn(key.toProto()));
        keys.values().forEach(key -> wire.addReceived(key.toProto()));
        return wire.build().toByteArray();
    }

    public static SenderKeyRing decode(byte[] encoded) throws InvalidSenderKeyException {
        EnvelopeProtos.SenderKeyRing wire;
        try {
            wire = EnvelopeProtos.SenderKeyRing.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidSenderKeyException("sender-key ring does not parse: " + e.getMessage(), e);
        }
        SenderKeyRing ring;
        try {
            ring = new SenderKeyRing(PeerId.fromBytes(wire.getOwner().toByteArray()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSenderKeyException("sender-key ring has an invalid owner: " + e.getMessage(), e);
        }
        for (EnvelopeProtos.SenderKey own : wire.getOwnList()) {
            SenderKey key = SenderKey.fromProto(own);
            if (!key.owner().equals(ring.owner)) {
                throw new InvalidSenderKeyException("sender-key ring of " + ring.owner + " lists " + key
                        + " as its own");
            }
            ring.current.put(key.room(), key);
            ring.add(key);
        }
        for (EnvelopeProtos.SenderKey received : wire.getReceivedList()) {
            ring.add(SenderKey.fromProto(received));
        }
        return ring;
    }
}
