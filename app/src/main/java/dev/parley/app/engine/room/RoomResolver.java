package dev.parley.app.engine.room;

import dev.parley.app.engine.room.RoomState.Departure;
import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a room's state from a set of its events (app/README.md, "Membership rules"). The result depends on the set
 * alone, never on the order the events arrived in, so members holding the same events agree.
 *
 * <ol>
 *   <li>The events are taken in one order every member computes alike: by epoch, then by hash. An event's ancestors
 *   all have lower epochs, so each comes after everything it follows.</li>
 *   <li>Each event but a removal is checked against the state built so far, not against what its author saw: it
 *   takes effect only if its author is a member then and has the right its change needs (only admins add, rename
 *   and promote; any member leaves). One that does not changes nothing.</li>
 *   <li>A removal or a leave beats every change its subject made concurrently with it (neither event follows the
 *   other): those changes are skipped, whatever their order. So a removed member cannot undo its removal, nor act in
 *   the room, with an event that claims to come from before it, and what such an event granted (a promotion, say)
 *   is void too, along with everything done under it. Only what takes members out is spared: leaves (voiding one
 *   could only keep in a member who asked to go) and removals, which rule 4 judges. A member added concurrently with
 *   other events joins after them.</li>
 *   <li>A removal is judged in the room of its own past (the state its ancestors come to), not in the state built so
 *   far: it takes effect if its author could make it there (an admin, the member in the room and not an admin
 *   made before it), whatever became of its author since, and is void otherwise. Such a <em>standing</em> removal
 *   is never voided, so nothing but a later add brings its member back, whatever anyone signs on older heads. The
 *   log marks these as it takes them ({@code standingRemovals}); {@link #resolve} finds them from scratch.</li>
 * </ol>
 *
 * <p>Rule 3's departures are every leave and every standing removal, taken or not (one whose member was out already
 * still voids what that member did beside it): each depends on the event and its past alone, so one pass over the
 * events settles the room, with no run that could undo another's departures.
 *
 * <p>A log does not fold its whole set again for every event it takes: events that follow every event of a settled
 * fold are folded on after it ({@link Fold#extendedBy}), when {@link #foldsOnce} shows that rule 3 voids none of
 * them (app/README.md, "How the log is kept").
 */
final class RoomResolver {
    private RoomResolver() {
    }

    /**
     * The state that the events {@code included} (indexes into {@code events}) come to.
     *
     * @param events    the log's events; {@code events.get(0)} creates the room
     * @param ancestors per event, the indexes of its ancestors
     * @param included  which events to resolve: a set closed under ancestry, holding the creating event
     * @param heads     the hashes of the included events that no included event follows
     */
    static RoomState resolve(List<RoomEvent> events, List<BitSet> ancestors, BitSet included, List<byte[]> heads) {
        BitSet standingRemovals = standingRemovals(events, ancestors, included);
        return settle(events, ancestors, standingRemovals, included).state(included, heads);
    }

    /**
     * The standing removals among the events {@code included} (rule 4), found from scratch: each removal's past
     * resolved on its own, the removals in it first.
     */
    static BitSet standingRemovals(List<RoomEvent> events, List<BitSet> ancestors, BitSet included) {
        BitSet standing = new BitSet();
        for (int index : inOrder(events, included)) {
            RoomEvent event = events.get(index);
            if (event.change() instanceof RoomChange.Remove remove
                    && settle(events, ancestors, standing, ancestors.get(index)).mayRemove(event.author(),
                            remove.member())) {
                standing.set(index);
            }
        }
        return standing;
    }

    /**
     * The fold over the events {@code included} (see {@link #resolve}): the state is made of it, and
     * {@link Fold#extendedBy} goes on from it. Callers must not change it.
     *
     * @param standingRemovals which of the events are standing removals (rule 4), at least among those included
     */
    static Fold settle(List<RoomEvent> events, List<BitSet> ancestors, BitSet standingRemovals, BitSet included) {
        Fold fold = new Fold(events, ancestors, standingRemovals, departures(events, standingRemovals, included));
        for (int index : inOrder(events, included)) {
            fold.offer(index);
        }
        return fold;
    }

    /**
     * Rule 3's departures among the events {@code which}: every leave and every standing removal, whether or not its
     * member was still in when the fold came to it. Each is a function of the event and its past alone, so the set
     * does not depend on the fold: one pass settles the room (a member's second departure, taken while it was out
     * already, still voids what it did beside it).
     */
    private static BitSet departures(List<RoomEvent> events, BitSet standingRemovals, BitSet which) {
        BitSet departures = new BitSet();
        which.stream().filter(index -> events.get(index).change() instanceof RoomChange.Leave
                || standingRemovals.get(index)).forEach(departures::set);
        return departures;
    }

    /**
     * The indexes of the events {@code which} in the order the fold takes them (rule 1): by epoch, then by hash
     * among the few that share one. An event's epoch is below the number of the log's events, which hold its
     * ancestors: a counting sort.
     */
    private static int[] inOrder(List<RoomEvent> events, BitSet which) {
        int lowest = which.stream().map(index -> (int) events.get(index).epoch()).min().orElse(0);
        int highest = which.stream().map(index -> (int) events.get(index).epoch()).max().orElse(0);
        int epochs = highest - lowest + 1;
        int[] starts = new int[epochs + 1];
        which.stream().forEach(index -> starts[(int) events.get(index).epoch() - lowest + 1]++);
        for (int epoch = 0; epoch < epochs; epoch++) {
            starts[epoch + 1] += starts[epoch];
        }
        int[] next = starts.clone();
        int[] order = new int[which.cardinality()];
        which.stream().forEach(index -> order[next[(int) events.get(index).epoch() - lowest]++] = index);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = starts[epoch] + 1; i < starts[epoch + 1]; i++) {
                // Insertion sort by hash: an epoch holds one event, or a few made at once.
                int index = order[i];
                int j = i;
                for (; j > starts[epoch] && events.get(order[j - 1]).compareHash(events.get(index)) > 0; j--) {
                    order[j] = order[j - 1];
                }
                order[j] = index;
            }
        }
        return order;
    }

    /**
     * Whether {@link Fold#extendedBy} may fold {@code later} once after a settled fold instead of settling the whole
     * set again: no departure among them (a leave or a standing removal) is concurrent with an add, promotion or
     * rename among them of the member it takes out. Then rule 3 voids none of them — the events before them are their
     * ancestors, concurrent with none of them — and folding them after the fold of those events is folding the whole.
     */
    static boolean foldsOnce(List<RoomEvent> events, List<BitSet> ancestors, BitSet standingRemovals, BitSet later) {
        Map<PeerId, List<Integer>> departuresBySubject = new HashMap<>();
        departures(events, standingRemovals, later).stream().forEach(index -> departuresBySubject
                .computeIfAbsent(events.get(index).departing().orElseThrow(), peer -> new ArrayList<>()).add(index));
        if (departuresBySubject.isEmpty()) {
            return true;
        }
        return later.stream().noneMatch(index -> revocable(events.get(index)) && departuresBySubject
                .getOrDefault(events.get(index).author(), List.of()).stream()
                .anyMatch(departure -> concurrent(ancestors, index, departure)));
    }

    /**
     * Whether rule 3 can void the event: what lets in or raises (adds, promotions, renames). Leaves and removals
     * only take members out; a removal is judged in its own past alone (rule 4).
     */
    private static boolean revocable(RoomEvent event) {
        return event.change() instanceof RoomChange.Add || event.change() instanceof RoomChange.Promote
                || event.change() instanceof RoomChange.Rename;
    }

    private static boolean concurrent(List<BitSet> ancestors, int one, int other) {
        return one != other && !ancestors.get(one).get(other) && !ancestors.get(other).get(one);
    }

    /**
     * One pass over the events in order, skipping the changes of anyone a departure in {@code revoking} beats. A fold
     * held by a {@link RoomLog} is never changed again: {@link #extendedBy} folds on in a copy.
     */
    static final class Fold {
        private final List<RoomEvent> events;
        private final List<BitSet> ancestors;
        private final BitSet standingRemovals;
        /** Built once, by the fold {@link #settle} makes, and shared by its copies: nothing changes it. */
        private final Map<PeerId, List<Integer>> revokingBySubject;
        private final Map<PeerId, RoomMemberInfo> members = new LinkedHashMap<>();
        private final Map<PeerId, Departure> departed = new HashMap<>();
        /** Per departed member, the index of the event that took it out. */
        private final Map<PeerId, Integer> departedAt = new HashMap<>();
        private final List<Long> membershipChanges = new ArrayList<>();
        /** The indexes of the events applied, in the order they were: by epoch, as the fold takes them. */
        private final List<Integer> appliedAt = new ArrayList<>();
        private final Map<String, String> skipped = new HashMap<>();
        private String name;

        Fold(List<RoomEvent> events, List<BitSet> ancestors, BitSet standingRemovals, BitSet revoking) {
            this.events = events;
            this.ancestors = ancestors;
            this.standingRemovals = standingRemovals;
            this.revokingBySubject = new HashMap<>();
            revoking.stream().forEach(index -> revokingBySubject
                    .computeIfAbsent(events.get(index).departing().orElseThrow(), peer -> new ArrayList<>())
                    .add(index));
        }

        /** A copy of {@code fold} that reads {@code events} and what goes with them: the same, or longer. */
        private Fold(Fold fold, List<RoomEvent> events, List<BitSet> ancestors, BitSet standingRemovals) {
            this.events = events;
            this.ancestors = ancestors;
            this.standingRemovals = standingRemovals;
            revokingBySubject = fold.revokingBySubject;
            members.putAll(fold.members);
            departed.putAll(fold.departed);
            departedAt.putAll(fold.departedAt);
            membershipChanges.addAll(fold.membershipChanges);
            appliedAt.addAll(fold.appliedAt);
            skipped.putAll(fold.skipped);
            name = fold.name;
        }

        /**
         * The fold {@link #settle} makes of this fold's events and {@code later} together, for a fold that
         * {@link #settle} (or this method) made: a copy of this one folds {@code later} once. Every event of
         * {@code later} must follow every event this fold took, and {@link #foldsOnce} must hold for them. Then the
         * fold of the whole set takes this fold's events as their own fold does (later departures are concurrent with
         * none of them), and then {@code later}, of which rule 3 voids nothing.
         */
        Fold extendedBy(List<RoomEvent> events, List<BitSet> ancestors, BitSet standingRemovals, BitSet later) {
            Fold extended = new Fold(this, events, ancestors, standingRemovals);
            extended.foldOn(later);
            return extended;
        }

        /** {@link #extendedBy} without the copy, for a fold nothing else holds, on the same lists. */
        void foldOn(BitSet later) {
            for (int index : inOrder(events, later)) {
                offer(index);
            }
        }

        boolean isMember(PeerId peer) {
            return members.containsKey(peer);
        }

        int memberCount() {
            return members.size();
        }

        boolean isAdmin(PeerId peer) {
            RoomMemberInfo member = members.get(peer);
            return member != null && member.adminSince().isPresent();
        }

        /** Whether {@code author} may remove {@code member} in the room this fold comes to (rule 2). */
        boolean mayRemove(PeerId author, PeerId member) {
            RoomMemberInfo remover = members.get(author);
            RoomMemberInfo removed = members.get(member);
            return remover != null && removed != null && !author.equals(member) && remover.adminSince().isPresent()
                    && outranks(remover, removed);
        }

        private void offer(int index) {
            RoomEvent event = events.get(index);
            Optional<String> problem = problem(index, event);
            if (problem.isPresent()) {
                skipped.put(RoomState.key(event.hash()), problem.get());
                return;
            }
            appliedAt.add(index);
        }

        /** Applies the event if it may take effect here; else says why it does not. */
        private Optional<String> problem(int index, RoomEvent event) {
            PeerId author = event.author();
            if (event.change() instanceof RoomChange.Create create) {
                if (index != 0) {
                    return Optional.of("the room exists already");
                }
                name = create.name();
                members.put(author, new RoomMemberInfo(create.creator(), 0,
                        Optional.of(new Seniority(0, event.hash()))));
                return Optional.empty();
            }
            if (event.change() instanceof RoomChange.Remove remove) {
                return standingRemovals.get(index) ? removeAsItsPastAllows(index, event, remove.member())
                        : Optional.of(author + " could not remove " + remove.member() + " where it signed the removal:"
                                + " not an admin then, or the member not in the room or made an admin before it");
            }
            if (event.change() instanceof RoomChange.Leave) {
                // A leave only takes its author out: voiding it could only keep in a member who asked to go.
                if (!members.containsKey(author)) {
                    return Optional.of(author + " is not a member");
                }
                depart(index, author, event);
                return Optional.empty();
            }
            if (revoked(index, author)) {
                return Optional.of(author + " left or was removed at the same time");
            }
            RoomMemberInfo actor = members.get(author);
            if (actor == null) {
                return Optional.of(author + " is not a member");
            }
            if (actor.adminSince().isEmpty()) {
                return Optional.of(author + " is not an admin, and only admins make this change");
            }
            switch (event.change()) {
                case RoomChange.Create create -> throw new IllegalStateException("handled above");
                case RoomChange.Add add -> {
                    PeerId added = add.member().peerId();
                    if (members.containsKey(added)) {
                        return Optional.of(added + " is a member already");
                    }
                    members.put(added, new RoomMemberInfo(add.member(), event.epoch(), Optional.empty()));
                    departed.remove(added);
                    departedAt.remove(added);
                    membershipChanges.add(event.epoch());
                }
                case RoomChange.Remove remove -> throw new IllegalStateException("handled above");
                case RoomChange.Leave leave -> throw new IllegalStateException("handled above");
                case RoomChange.Rename rename -> {
                    Optional<String> badName = ContactCard.displayNameProblem(rename.name());
                    if (badName.isPresent()) {
                        return Optional.of(badName.get().replace("display name", "room name"));
                    }
                    name = rename.name();
                }
                case RoomChange.Promote promote -> {
                    RoomMemberInfo promoted = members.get(promote.member());
                    Seniority since = new Seniority(event.epoch(), event.hash());
                    if (promoted == null) {
                        return Optional.of(promote.member() + " is not a member");
                    }
                    if (promoted.adminSince().isPresent()) {
                        return Optional.of(promote.member() + " is an admin already");
                    }
                    // Whoever promotes stays senior to the admin it makes.
                    if (!actor.adminSince().orElseThrow().isSeniorTo(since)) {
                        return Optional.of(author + " became an admin only alongside this promotion");
                    }
                    members.put(promote.member(), promoted.promoted(since));
                }
            }
            return Optional.empty();
        }

        /**
         * A standing removal (rule 4): its author's rights are those it had in the room of the removal's own past,
         * whatever became of it since, and no departure of its author voids it. It takes its member out if the
         * member is still in, or stands in place of a leave made at the same time.
         */
        private Optional<String> removeAsItsPastAllows(int index, RoomEvent removal, PeerId member) {
            if (!members.containsKey(member)) {
                return leftAsRemoved(index, member);
            }
            depart(index, member, removal);
            return Optional.empty();
        }

        /**
         * A standing removal of a member who has just left by a leave concurrent with it: the removal stands in its
         * place, so that every member records the same departure whichever of the two the fold took first.
         */
        private Optional<String> leftAsRemoved(int index, PeerId member) {
            Departure gone = departed.get(member);
            Integer leftAt = departedAt.get(member);
            if (gone == null || !(gone.event().change() instanceof RoomChange.Leave) || !concurrent(index, leftAt)) {
                return Optional.of(member + " is not a member");
            }
            RoomEvent removal = events.get(index);
            departed.put(member, new Departure(gone.member(), removal));
            departedAt.put(member, index);
            return Optional.empty();
        }

        /**
         * The epoch from which a member may read: that of the add that last made it one ({@code added}, as the fold
         * keeps it), and not before any event that took effect at the same time, so that an add signed on old heads
         * cannot date the member's joining back into epochs it was not in. An add at a cut is concurrent with no
         * event; else only events below the next cut can be.
         */
        private long joinedEpoch(PeerId peer, long added, Cuts cuts) {
            if (cuts.at(added)) {
                return added;
            }
            int add = lastAppliedAdd(peer, added);
            if (add < 0) {
                return added;
            }
            for (int i = appliedBelow(cuts.next(added)) - 1; i >= 0 && epochApplied(i) >= added; i--) {
                int other = appliedAt.get(i);
                // The latest concurrent event decides: the applied events are in epoch order.
                if (concurrent(add, other)) {
                    return Math.max(added, events.get(other).epoch() + 1);
                }
            }
            return added;
        }

        /** The index of the last add of {@code peer} applied at {@code epoch}, or -1. */
        private int lastAppliedAdd(PeerId peer, long epoch) {
            for (int i = appliedBelow(epoch + 1) - 1; i >= 0 && epochApplied(i) == epoch; i--) {
                int index = appliedAt.get(i);
                if (events.get(index).change() instanceof RoomChange.Add add && add.member().peerId().equals(peer)) {
                    return index;
                }
            }
            return -1;
        }

        /** How many applied events have epochs below {@code epoch}. */
        private int appliedBelow(long epoch) {
            int low = 0;
            int high = appliedAt.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (epochApplied(middle) < epoch) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        private long epochApplied(int position) {
            return events.get(appliedAt.get(position)).epoch();
        }

        /**
         * The cuts among the {@code included} events: events alone at their epochs that follow every event at lower
         * epochs. Every event from a cut on follows the cut, and so every event before it: none of them is
         * concurrent with those.
         */
        private Cuts cuts(BitSet included) {
            int size = included.cardinality();
            // An included event's ancestors are included: its epoch is below their number.
            int[] atEpoch = new int[size];
            included.stream().forEach(index -> atEpoch[(int) events.get(index).epoch()]++);
            boolean[] at = new boolean[size];
            long[] next = new long[size];
            int below = size;
            long nextCut = Long.MAX_VALUE;
            for (int epoch = size - 1; epoch >= 0; epoch--) {
                next[epoch] = nextCut;
                below -= atEpoch[epoch];
                if (atEpoch[epoch] == 1 && below == epoch) {
                    at[epoch] = true;
                    nextCut = epoch;
                }
            }
            return new Cuts(at, next);
        }

        /** Per epoch, whether a cut is at it, and the next epoch above it a cut is at (or {@link Long#MAX_VALUE}). */
        private record Cuts(boolean[] at, long[] next) {
            boolean at(long epoch) {
                return at[(int) epoch];
            }

            long next(long epoch) {
                return next[(int) epoch];
            }
        }

        private boolean concurrent(int one, int other) {
            return one != other && !ancestors.get(one).get(other) && !ancestors.get(other).get(one);
        }

        /** Whether a departure of {@code author} that neither follows nor precedes this event beats it. */
        private boolean revoked(int index, PeerId author) {
            if (revokingBySubject.isEmpty()) {
                return false;
            }
            for (int departure : revokingBySubject.getOrDefault(author, List.of())) {
                if (concurrent(index, departure)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean outranks(RoomMemberInfo remover, RoomMemberInfo removed) {
            return removed.adminSince().isEmpty()
                    || remover.adminSince().orElseThrow().isSeniorTo(removed.adminSince().get());
        }

        private void depart(int index, PeerId peer, RoomEvent event) {
            RoomMemberInfo member = members.remove(peer);
            departed.put(peer, new Departure(member, event));
            departedAt.put(peer, index);
            membershipChanges.add(event.epoch());
        }

        /**
         * The state this fold comes to, for the {@code included} events it took and their heads. The state shares
         * this fold's maps: a fold whose state is made is not changed again.
         */
        RoomState state(BitSet included, List<byte[]> heads) {
            Cuts cuts = cuts(included);
            Map<PeerId, RoomMemberInfo> joined = members;
            for (Map.Entry<PeerId, RoomMemberInfo> entry : members.entrySet()) {
                RoomMemberInfo member = entry.getValue();
                long epoch = joinedEpoch(entry.getKey(), member.joinedEpoch(), cuts);
                if (epoch != member.joinedEpoch()) {
                    if (joined == members) {
                        joined = new LinkedHashMap<>(members);
                    }
                    joined.put(entry.getKey(), member.joinedAt(epoch));
                }
            }
            return new RoomState(events.getFirst().roomId(), name, included.cardinality() - 1L, heads, joined,
                    departed, membershipChanges.stream().sorted().toList(),
                    appliedAt.stream().map(events::get).toList(), skipped);
        }
    }
}
