package dev.parley.transport.autonat;

import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A server's limits on the dial-backs it makes for others: how many run at once and how many requests it takes a
 * minute, overall and per peer. Without them a server is a free dialling service: many peers, or one peer with
 * many connections, could keep it dialling without end.
 */
final class DialBackLimiter {
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    /** Peers whose request times we keep before dropping those with none in the window. */
    private static final int PRUNE_AT = 1024;
    /**
     * Peers whose request times we keep at most: a flood of fresh ids within one minute is refused, untracked,
     * beyond it, so the map does not grow with every stranger (transport/README.md, "Per-peer state").
     */
    static final int MAX_TRACKED_PEERS = 4096;

    private final AutoNatConfig config;
    private final Deque<Long> requestTimes = new ArrayDeque<>();
    private final Map<PeerId, Deque<Long>> requestTimesByPeer = new HashMap<>();
    private final Map<PeerId, Integer> inFlightByPeer = new HashMap<>();
    private int inFlight;

    DialBackLimiter(AutoNatConfig config) {
        this.config = config;
    }

    /**
     * Admits the dial-backs of one request of {@code peer}, or says why not. Every request counts towards the peer's
     * per-minute limit, refused ones too, so that asking harder does not help; the overall limit counts only
     * admitted ones, so that one peer's flood does not use up everyone's. Each admission must be ended by
     * {@link #release}.
     */
    synchronized Optional<String> admit(PeerId peer) {
        long windowStart = System.nanoTime() - WINDOW_NANOS;
        forgetBefore(requestTimes, windowStart);
        if (requestTimesByPeer.size() > PRUNE_AT) {
            requestTimesByPeer.values().removeIf(times -> times.isEmpty() || times.peekLast() - windowStart < 0);
        }
        if (requestTimesByPeer.size() >= MAX_TRACKED_PEERS && !requestTimesByPeer.containsKey(peer)) {
            return Optional.of("too many peers asking this minute; try later");
        }
        Deque<Long> peerTimes = requestTimesByPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
        forgetBefore(peerTimes, windowStart);
        int peerRequests = peerTimes.size();
        if (peerRequests == config.maxRequestsPerPeerPerMinute()) {
            // Keeping only the latest times bounds the memory; the window then ends a minute after the last.
            peerTimes.pollFirst();
        }
        peerTimes.addLast(System.nanoTime());
        if (peerRequests >= config.maxRequestsPerPeerPerMinute()) {
            return Optional.of("too many requests from you this minute (limit "
                    + config.maxRequestsPerPeerPerMinute() + "); try later");
        }
        if (requestTimes.size() >= config.maxRequestsPerMinute()) {
            return Optional.of("too many requests this minute (limit " + config.maxRequestsPerMinute()
                    + "); try later");
        }
        if (inFlight >= config.maxDialBacksInFlight()) {
            return Optional.of("busy with " + inFlight + " other dial-backs; try later");
        }
        int peerInFlight = inFlightByPeer.getOrDefault(peer, 0);
        if (peerInFlight >= config.maxDialBacksInFlightPerPeer()) {
            return Optional.of(peerInFlight + " dial-backs for you already under way; try later");
        }
        requestTimes.addLast(System.nanoTime());
        inFlight++;
        inFlightByPeer.merge(peer, 1, Integer::sum);
        return Optional.empty();
    }

    /** Ends an admission of {@code peer}: its dial-backs have all finished. */
    synchronized void release(PeerId peer) {
        inFlight--;
        inFlightByPeer.computeIfPresent(peer, (p, count) -> count == 1 ? null : count - 1);
    }

    /** Drops what is kept of a peer the host forgot; its in-flight count ends with its last release. */
    synchronized void forget(PeerId peer) {
        requestTimesByPeer.remove(peer);
    }

    /** Peers whose request times are kept now. */
    synchronized int trackedPeers() {
        return requestTimesByPeer.size();
    }

    /** Drops the times before the window. */
    private static void forgetBefore(Deque<Long> times, long windowStart) {
        while (!times.isEmpty() && times.peekFirst() - windowStart < 0) {
            times.pollFirst();
        }
    }
}
