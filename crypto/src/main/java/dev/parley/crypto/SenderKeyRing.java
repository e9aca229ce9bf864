package dev.parley.crypto;

import dev.parley.transport.multiformats.PeerId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender keys one member knows: its own current key per room, and every key per (room, sender, epoch),
 * its own past and present ones included (so its own envelopes, synced back, still open). Thread-safe. The app
 * keeps each key apart ({@link SenderKey#encode()}, a row each) and rebuilds the ring with {@link #of}.
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
}
