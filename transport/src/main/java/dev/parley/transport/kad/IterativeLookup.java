package dev.parley.transport.kad;

import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One iterative lookup of a key (spec: "Peer routing"): ask the nearest peers known, alpha at a time, for
 * peers nearer still, until the k nearest that we heard of have all answered, or the caller has what it
 * looked for. Peers that fail are dropped from the candidates. A peer's hop is one more than the hop of the
 * peer that named it, the seeds from our routing table being hop 1.
 */
final class IterativeLookup {
    /** Asks one peer; the answer's closer peers come decoded, at most k, ourselves left out. */
    @FunctionalInterface
    interface Querier {
        Answer ask(PeerId peer) throws IOException;
    }

    /** Hears each answer as it comes; returns true when the lookup has found what it wanted. */
    @FunctionalInterface
    interface AnswerListener {
        boolean heard(PeerId from, Message answer, int hops);
    }

    record Answer(Message message, List<KadPeer> closer) {
    }

    record Outcome(List<PeerId> closest, int hops, boolean stoppedEarly) {
    }

    private enum State { NEW, WAITING, ANSWERED, FAILED }

    private static final class Candidate {
        final PeerId peer;
        final int hops;
        State state = State.NEW;

        Candidate(PeerId peer, int hops) {
            this.peer = peer;
            this.hops = hops;
        }
    }

    private record Reply(Candidate from, Optional<Answer> answer) {
    }

    private final byte[] key;
    private final int k;
    private final int alpha;
    private final ExecutorService executor;
    private final Querier querier;

    IterativeLookup(byte[] key, KadOptions options, ExecutorService executor, Querier querier) {
        this.key = key;
        this.k = options.k();
        this.alpha = options.alpha();
        this.executor = executor;
        this.querier = querier;
    }

    Outcome run(List<PeerId> seeds, AnswerListener listener) throws InterruptedException {
        TreeMap<byte[], Candidate> byDistance = new TreeMap<>(KeySpace.byDistanceTo(KeySpace.point(key)));
        Set<PeerId> seen = new HashSet<>();
        for (PeerId seed : seeds) {
            seen.add(seed);
            byDistance.put(KeySpace.point(seed), new Candidate(seed, 1));
        }
        BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        int inFlight = 0;
        int hops = 0;
        while (true) {
            inFlight += launch(byDistance, inFlight, replies);
            if (inFlight == 0) {
                return new Outcome(answered(byDistance), hops, false);
            }
            Reply reply = replies.take();
            inFlight--;
            Candidate from = reply.from();
            if (reply.answer().isEmpty()) {
                from.state = State.FAILED;
                continue;
            }
            from.state = State.ANSWERED;
            hops = Math.max(hops, from.hops);
            Answer answer = reply.answer().get();
            if (listener.heard(from.peer, answer.message(), from.hops)) {
                return new Outcome(answered(byDistance), from.hops, true);
            }
            for (KadPeer closer : answer.closer()) {
                if (seen.add(closer.id())) {
                    byDistance.put(KeySpace.point(closer.id()), new Candidate(closer.id(), from.hops + 1));
                }
            }
        }
    }

    /** Starts queries to the nearest unasked among the k nearest live candidates; returns how many. */
    private int launch(TreeMap<byte[], Candidate> byDistance, int inFlight, BlockingQueue<Reply> replies) {
        int started = 0;
        int live = 0;
        for (Candidate candidate : byDistance.values()) {
            if (live >= k || inFlight + started >= alpha) {
                break;
            }
            if (candidate.state == State.FAILED) {
                continue;
            }
            live++;
            if (candidate.state == State.NEW) {
                candidate.state = State.WAITING;
                started++;
                executor.execute(() -> replies.add(new Reply(candidate, askQuietly(candidate.peer))));
            }
        }
        return started;
    }

    private Optional<Answer> askQuietly(PeerId peer) {
        try {
            return Optional.of(querier.ask(peer));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<PeerId> answered(TreeMap<byte[], Candidate> byDistance) {
        List<PeerId> closest = new ArrayList<>();
        for (Candidate candidate : byDistance.values()) {
            if (candidate.state == State.ANSWERED && closest.size() < k) {
                closest.add(candidate.peer);
            }
        }
        return closest;
    }
}
