package dev.parley.crypto;

import dev.parley.transport.multiformats.PeerId;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sender keys one member knows: its own current key per room, and every key per (room, sender, epoch),
 * its own past and present ones included (a static key's own envelopes, synced back, still open; a chained key's
 * do not: its owner keeps only its chain key). Thread-safe. The app keeps each key apart ({@link SenderKey#encode()},
 * a row each, written again whenever a chained key moves on) and rebuilds the ring with {@link #of}.
 */
public final class SenderKeyRing {
    private record Slot(RoomId room, PeerId sender, long epoch) {
    }

    private final PeerId owner;
    private final InstantSource clock;
    private final Map<RoomId, SenderKey> current = new ConcurrentHashMap<>();
    private final Map<Slot, SenderKey> keys = new ConcurrentHashMap<>();

    public SenderKeyRing(PeerId owner) {
        this(owner, InstantSource.system());
    }

    /** A ring whose skipped message keys expire by {@code clock}. */
    public SenderKeyRing(PeerId owner, InstantSource clock) {
        this.owner = owner;
        this.clock = clock;
    }

    InstantSource clock() {
        return clock;
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
        return rotate(room, newEpoch, 0);
    }

    /**
     * As {@link #rotate(RoomId, long)}: a chained key whose first message is numbered {@code firstIteration} (the
     * owner's next envelope number in the room), or with {@code firstIteration} 0 a static key.
     */
    public SenderKey rotate(RoomId room, long newEpoch, long firstIteration) {
        SenderKey rotated = current.compute(room, (id, previous) -> {
            if (previous != null && newEpoch <= previous.epoch()) {
                throw new IllegalArgumentException("room " + room + " is at epoch " + previous.epoch()
                        + "; a new sender key needs a later epoch than " + newEpoch);
            }
            return firstIteration == 0 ? SenderKey.generate(room, owner, newEpoch)
                    : SenderKey.generateChained(room, owner, newEpoch, firstIteration);
        });
        keys.put(new Slot(room, owner, newEpoch), rotated);
        return rotated;
    }

    /**
     * Keeps a key a member distributed (see {@link TinkEnvelopeSealer#openSenderKey}). A slot held already keeps its
     * key: a member never goes back on a chain. Only a chained key handed out earlier than the one held adds the
     * message keys below it ({@link SenderKey#takeEarlier}). Returns the key the slot holds now.
     */
    public SenderKey add(SenderKey key) {
        return keys.merge(new Slot(key.room(), key.owner(), key.epoch()), key, (held, handed) -> {
            held.takeEarlier(handed, clock.instant());
            return held;
        });
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
        return of(owner, keys, InstantSource.system());
    }

    /** As {@link #of(PeerId, Collection)}, with skipped message keys expiring by {@code clock}. */
    public static SenderKeyRing of(PeerId owner, Collection<SenderKey> keys, InstantSource clock) {
        SenderKeyRing ring = new SenderKeyRing(owner, clock);
        for (SenderKey key : keys) {
            ring.keys.put(new Slot(key.room(), key.owner(), key.epoch()), key);
            if (key.owner().equals(owner)) {
                ring.current.merge(key.room(), key, (kept, other) -> other.epoch() > kept.epoch() ? other : kept);
            }
        }
        return ring;
    }
}
