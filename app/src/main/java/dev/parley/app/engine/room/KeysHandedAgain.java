package dev.parley.app.engine.room;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When we last handed one of our keys out again to a member that asked for it in a sync. A member asks every round
 * while messages wait for the key; the hand-out goes through the outbox and arrives once, so asking again within
 * {@link #AGAIN_AFTER} queues nothing more. Memory only and bounded: after a restart, or once forgotten, a member
 * that still asks gets the key again.
 */
final class KeysHandedAgain {
    /** Least time between two hand-outs of one key to one member. */
    static final Duration AGAIN_AFTER = Duration.ofMinutes(10);
    /** Hand-outs remembered at most; the oldest are forgotten first. */
    static final int MAX_REMEMBERED = 4096;

    private record HandOut(RoomId room, long epoch, PeerId member) {
    }

    private final InstantSource time;
    private final Map<HandOut, Instant> handedAt = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HandOut, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    KeysHandedAgain(InstantSource time) {
        this.time = time;
    }

    /** Whether our key of {@code room} at {@code epoch} may go to {@code member} again now; if so, counts it gone. */
    synchronized boolean mayHandOut(RoomId room, long epoch, PeerId member) {
        HandOut handOut = new HandOut(room, epoch, member);
        Instant now = time.instant();
        Instant last = handedAt.get(handOut);
        if (last != null && now.isBefore(last.plus(AGAIN_AFTER))) {
            return false;
        }
        handedAt.remove(handOut);
        handedAt.put(handOut, now);
        return true;
    }
}
