package dev.parley.app.engine.room;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Per room, whether its log is as fresh as the members we can reach make it since we started (app/README.md, "Rooms",
 * Messages): before our first message in a room we wait until every member we reach has synced with us, not just
 * the first to answer, so that a member removed while we were away cannot end the wait alone with the log from
 * before its removal. A member we cannot reach is not waited for; {@link RoomPosts} bounds the wait in time.
 */
final class RoomLogFetches {
    private final Map<RoomId, Set<PeerId>> heardFrom = new HashMap<>();
    /** Per room someone waits on, the members not heard from yet and not known unreachable. */
    private final Map<RoomId, Set<PeerId>> awaited = new HashMap<>();
    private final Map<RoomId, CompletableFuture<Void>> fresh = new HashMap<>();

    /** We have waited for the room's log once: whatever comes later, we wait for it no more. */
    synchronized void settle(RoomId room) {
        freshness(room).complete(null);
    }

    /** A sync with {@code peer} has ended with nothing more to fetch. */
    synchronized void heardFrom(RoomId room, PeerId peer) {
        heardFrom.computeIfAbsent(room, id -> new HashSet<>()).add(peer);
        notAwaited(room, peer);
    }

    /** {@code peer} could not be dialled: no room waits for it any more. */
    synchronized void unreachable(PeerId peer) {
        for (RoomId room : Set.copyOf(awaited.keySet())) {
            notAwaited(room, peer);
        }
    }

    /**
     * What completes once every one of {@code members} we have not heard from yet has synced with us or proved
     * unreachable; the members not heard from yet are added to {@code toReach}.
     */
    synchronized CompletableFuture<Void> await(RoomId room, Collection<PeerId> members, Set<PeerId> toReach) {
        CompletableFuture<Void> done = freshness(room);
        if (done.isDone()) {
            return done;
        }
        Set<PeerId> waiting = new HashSet<>(members);
        waiting.removeAll(heardFrom.getOrDefault(room, Set.of()));
        if (waiting.isEmpty()) {
            done.complete(null);
            return done;
        }
        awaited.computeIfAbsent(room, id -> new HashSet<>()).addAll(waiting);
        toReach.addAll(waiting);
        return done;
    }

    private void notAwaited(RoomId room, PeerId peer) {
        Set<PeerId> waiting = awaited.get(room);
        if (waiting != null && waiting.remove(peer) && waiting.isEmpty()) {
            awaited.remove(room);
            freshness(room).complete(null);
        }
    }

    private CompletableFuture<Void> freshness(RoomId room) {
        return fresh.computeIfAbsent(room, id -> new CompletableFuture<>());
    }
}
