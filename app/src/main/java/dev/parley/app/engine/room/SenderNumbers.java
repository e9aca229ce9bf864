package dev.parley.app.engine.room;

import dev.parley.crypto.RoomId;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per room and sender, the highest envelope number held: a pushed envelope beyond the next one shows a gap, and our
 * own envelopes go on from ours. Read from the store once per sender, then kept in memory.
 */
final class SenderNumbers {
    private final SqliteStore store;
    private final RoomBook book;
    /** Locking: our own number in a room moves on under the room's lock ({@link #next}); others' only go up. */
    private final Map<RoomId, Map<PeerId, Long>> highest = new ConcurrentHashMap<>();

    SenderNumbers(SqliteStore store, RoomBook book) {
        this.store = store;
        this.book = book;
    }

    long highestHeld(RoomId room, PeerId sender) {
        return senders(room).computeIfAbsent(sender, peer -> store.roomEnvelopes().highest(room.toString(),
                peer.toBase58()));
    }

    /** Records that {@code sender}'s envelope numbered {@code number} is held. */
    void held(RoomId room, PeerId sender, long number) {
        highestHeld(room, sender);
        senders(room).merge(sender, number, Math::max);
    }

    /** The next number of {@code sender}'s envelopes in the room, taken: ours, under the room's lock. */
    long next(RoomId room, PeerId sender) {
        assert book.isLockedByCurrentThread(room) : "numbering an envelope of room " + room + " without its lock";
        long next = highestHeld(room, sender) + 1;
        senders(room).put(sender, next);
        return next;
    }

    private Map<PeerId, Long> senders(RoomId room) {
        return highest.computeIfAbsent(room, id -> new ConcurrentHashMap<>());
    }
}
