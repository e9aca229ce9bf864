package dev.parley.app.engine.room;

import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sender keys that came before the membership events of their epoch: one for an epoch beyond the next, or one for the
 * next from an owner our log does not list yet (a member added in that epoch), or one for a room we do not hold yet
 * (we were just added to it, and the invitation is on its way). A member hands out its key for a new epoch 1:1 as
 * soon as its own log reaches that epoch, while the events that bring our log there travel another way (a sync,
 * another member's push, the inviter's invitation); in a room that grows fast, the key often wins. Dropped, it would
 * be missing until a sync asked its owner for it, who hands out its key as it is by then: advanced past the messages
 * it already sealed, which would then never open here. Kept here, it is offered again as soon as the log reaches its
 * epoch (or the invitation brings the room), and checked then like any key.
 *
 * <p>Memory only: after a restart a sync asks the owners for the keys still missing. Bounded, because whoever may
 * send us a key may send one for any epoch or room, under as many identities as it likes (nothing can check the
 * owner before the log reaches the epoch): at most {@link #MAX_EPOCHS_AHEAD} epochs beyond the log, one key per owner
 * and epoch, at most {@link #MAX_PER_ROOM} per room, and at most {@link #MAX_BEFORE_ROOMS} for all the rooms we do
 * not hold together. When full, the oldest key of whoever sent the most goes: a flood of keys from a few peers evicts
 * its own, and a genuine member's one key stays until as many peers send as many.
 */
final class EarlyKeys {
    /** Furthest beyond the log's epoch a key is kept; a larger room change than this is caught up by sync. */
    static final long MAX_EPOCHS_AHEAD = 64;
    static final int MAX_PER_ROOM = 256;
    /** How many keys are kept for rooms we do not hold, all such rooms together. */
    static final int MAX_BEFORE_ROOMS = 256;

    /** A key and the peer that handed it to us (whom a sync asks, should it still not fit). */
    record Early(PeerId from, SenderKey key) {
    }

    private record Slot(PeerId owner, long epoch) {
    }

    private record RoomSlot(RoomId room, Slot slot) {
    }

    private final Map<RoomId, LinkedHashMap<Slot, Early>> byRoom = new HashMap<>();
    /** Keys for rooms we do not hold, oldest first. */
    private final LinkedHashMap<RoomSlot, Early> beforeRooms = new LinkedHashMap<>();

    /** Keeps {@code key}, beyond a log at {@code logEpoch}; false if it is too far beyond to keep. */
    synchronized boolean keep(PeerId from, SenderKey key, long logEpoch) {
        if (key.epoch() - logEpoch > MAX_EPOCHS_AHEAD) {
            return false;
        }
        LinkedHashMap<Slot, Early> kept = byRoom.computeIfAbsent(key.room(), room -> new LinkedHashMap<>());
        Slot slot = new Slot(key.owner(), key.epoch());
        kept.remove(slot);
        kept.put(slot, new Early(from, key));
        if (kept.size() > MAX_PER_ROOM) {
            evictFromTheMostProlific(kept);
        }
        return true;
    }

    /** Keeps {@code key} of a room we do not hold, until {@link #fitting} is asked for that room. */
    synchronized void keepBeforeItsRoom(PeerId from, SenderKey key) {
        RoomSlot slot = new RoomSlot(key.room(), new Slot(key.owner(), key.epoch()));
        beforeRooms.remove(slot);
        beforeRooms.put(slot, new Early(from, key));
        if (beforeRooms.size() > MAX_BEFORE_ROOMS) {
            evictFromTheMostProlific(beforeRooms);
        }
    }

    /** Removes the oldest key sent by the peer that sent the most of those kept (the oldest of any, on a tie). */
    private static void evictFromTheMostProlific(LinkedHashMap<?, Early> kept) {
        Map<PeerId, Integer> sent = new HashMap<>();
        kept.values().forEach(early -> sent.merge(early.from(), 1, Integer::sum));
        int most = sent.values().stream().max(Integer::compare).orElse(0);
        for (Iterator<Early> keys = kept.values().iterator(); keys.hasNext(); ) {
            if (sent.get(keys.next().from()) == most) {
                keys.remove();
                return;
            }
        }
    }

    /**
     * Takes out the keys of {@code room} that a log at {@code logEpoch} can now check (at most one epoch beyond). Keys
     * that came before the room was held count from now on as keys beyond its log.
     */
    synchronized List<Early> fitting(RoomId room, long logEpoch) {
        for (Iterator<Map.Entry<RoomSlot, Early>> keys = beforeRooms.entrySet().iterator(); keys.hasNext(); ) {
            Map.Entry<RoomSlot, Early> entry = keys.next();
            if (entry.getKey().room().equals(room)) {
                keys.remove();
                keep(entry.getValue().from(), entry.getValue().key(), logEpoch);
            }
        }
        LinkedHashMap<Slot, Early> kept = byRoom.get(room);
        if (kept == null) {
            return List.of();
        }
        List<Early> fitting = new ArrayList<>();
        for (Iterator<Early> keys = kept.values().iterator(); keys.hasNext(); ) {
            Early early = keys.next();
            if (early.key().epoch() <= logEpoch + 1) {
                fitting.add(early);
                keys.remove();
            }
        }
        if (kept.isEmpty()) {
            byRoom.remove(room);
        }
        return fitting;
    }

    /** How many keys wait for {@code room}'s log, or for the room itself (for tests). */
    synchronized int waiting(RoomId room) {
        LinkedHashMap<Slot, Early> kept = byRoom.get(room);
        long beforeRoom = beforeRooms.keySet().stream().filter(slot -> slot.room().equals(room)).count();
        return (kept == null ? 0 : kept.size()) + (int) beforeRoom;
    }

    /** How many keys wait for rooms not held, all together (for tests). */
    synchronized int waitingBeforeRooms() {
        return beforeRooms.size();
    }
}
