package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomDelivery;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Which members hold which of our room messages: a member holds one when it ended the push that carried it
 * cleanly (it closes a push stream once what it took is durable), or when the contiguous number its sync digest
 * reports for us reaches the message's number. Kept in memory for as long as the engine runs: after a restart our
 * messages count as reached by no one until the members' next syncs say otherwise.
 */
final class RoomDeliveries {
    private final PeerId me;
    private final SqliteStore store;
    private final Consumer<EngineEvent> events;
    private final ReentrantLock lock = new ReentrantLock();
    // Locking: lock. Per room, per member: the number up to which it holds all of our envelopes.
    private final Map<RoomId, Map<PeerId, Long>> contiguous = new HashMap<>();
    // Locking: lock. Per room, per member: numbers of ours above its contiguous one that it stored from a push.
    private final Map<RoomId, Map<PeerId, Set<Long>>> pushed = new HashMap<>();
    // Locking: lock. Per room: our messages written since the engine started, until some member holds them.
    private final Map<RoomId, Set<MessageId>> writtenUnreached = new HashMap<>();

    RoomDeliveries(PeerId me, SqliteStore store, Consumer<EngineEvent> events) {
        this.me = me;
        this.store = store;
        this.events = events;
    }

    /** {@code member} stored the pushed envelopes of ours numbered {@code senderSeqs} in {@code room}. */
    void pushed(PeerId member, RoomId room, Collection<Long> senderSeqs) {
        boolean changed = false;
        lock.lock();
        try {
            long held = contiguous.getOrDefault(room, Map.of()).getOrDefault(member, 0L);
            Set<Long> above = pushed.computeIfAbsent(room, r -> new HashMap<>())
                    .computeIfAbsent(member, m -> new HashSet<>());
            for (long seq : senderSeqs) {
                changed |= seq > held && above.add(seq);
            }
        } finally {
            lock.unlock();
        }
        if (changed) {
            events.accept(new EngineEvent.RoomDelivered(room));
        }
    }

    /** {@code member}'s sync digest for {@code room} reports these senders' contiguous numbers; ours is taken. */
    void reported(PeerId member, RoomId room, List<SenderPosition> positions) {
        ByteString ours = ByteString.copyFrom(me.bytes());
        for (SenderPosition position : positions) {
            if (position.getSender().equals(ours)) {
                holdsUpTo(member, room, position.getContiguous());
            }
        }
    }

    private void holdsUpTo(PeerId member, RoomId room, long senderSeq) {
        lock.lock();
        try {
            Map<PeerId, Long> members = contiguous.computeIfAbsent(room, r -> new HashMap<>());
            if (senderSeq <= members.getOrDefault(member, 0L)) {
                return;
            }
            members.put(member, senderSeq);
            Set<Long> above = pushed.getOrDefault(room, Map.of()).get(member);
            if (above != null) {
                above.removeIf(seq -> seq <= senderSeq);
            }
        } finally {
            lock.unlock();
        }
        events.accept(new EngineEvent.RoomDelivered(room));
    }

    /** We wrote the message {@code id} in {@code room} just now: it waits until some member holds it. */
    void written(RoomId room, MessageId id) {
        lock.lock();
        try {
            writtenUnreached.computeIfAbsent(room, r -> new HashSet<>()).add(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many of our messages written in {@code room} since the engine started no other member holds yet (none in a
     * room with no one else). Only this run's: what an earlier run wrote counts as reached by no one until the next
     * syncs, and a quit warning must not cry wolf about it after every start.
     */
    int unreached(RoomState state) {
        List<MessageId> waiting;
        lock.lock();
        try {
            waiting = List.copyOf(writtenUnreached.getOrDefault(state.roomId(), Set.of()));
        } finally {
            lock.unlock();
        }
        if (waiting.isEmpty()) {
            return 0;
        }
        Map<MessageId, RoomDelivery> reached = of(state, waiting);
        List<MessageId> stillWaiting = waiting.stream()
                .filter(id -> reached.get(id).stored() == 0 && reached.get(id).members() > 0).toList();
        lock.lock();
        try {
            // Reached once is reached for good: the list only shrinks.
            Set<MessageId> kept = writtenUnreached.get(state.roomId());
            if (kept != null) {
                kept.removeIf(id -> waiting.contains(id) && !stillWaiting.contains(id));
            }
        } finally {
            lock.unlock();
        }
        return stillWaiting.size();
    }

    /** How far each of {@code ours} (our messages in the room whose state is {@code state}) has reached. */
    Map<MessageId, RoomDelivery> of(RoomState state, Collection<MessageId> ours) {
        Map<String, Long> numbers = store.roomEnvelopes().senderNumbers(state.roomId().toString(), me.toBase58(),
                ours.stream().map(MessageId::toString).toList());
        List<PeerId> others = state.members().keySet().stream().filter(peer -> !peer.equals(me)).toList();
        Map<MessageId, RoomDelivery> deliveries = new HashMap<>();
        lock.lock();
        try {
            Map<PeerId, Long> held = contiguous.getOrDefault(state.roomId(), Map.of());
            Map<PeerId, Set<Long>> stored = pushed.getOrDefault(state.roomId(), Map.of());
            for (MessageId id : ours) {
                Long seq = numbers.get(id.toString());
                int count = seq == null ? 0 : (int) others.stream()
                        .filter(peer -> held.getOrDefault(peer, 0L) >= seq
                                || stored.getOrDefault(peer, Set.of()).contains(seq))
                        .count();
                deliveries.put(id, new RoomDelivery(count, others.size()));
            }
        } finally {
            lock.unlock();
        }
        return deliveries;
    }
}
