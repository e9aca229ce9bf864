package dev.parley.app.engine.room;

import dev.parley.app.engine.room.RoomState.Departure;
import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
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
 *   <li>Each event is checked against the state built so far, not against what its author saw: it takes effect only
 *   if its author is a member then and has the right its change needs (only admins add, remove, rename and promote;
 *   an admin removes only members and admins junior to it). One that does not changes nothing.</li>
 *   <li>A removal or a leave beats every change its subject made concurrently with it (neither event follows the
 *   other): those changes are skipped, whatever their order. So a removed member cannot undo its removal, nor act in
 *   the room, with an event that claims to come from before it, and what such an event granted (a promotion, say)
 *   is void too, along with everything done under it. A member added concurrently with other events joins after
 *   them.</li>
 * </ol>
 *
 * <p>Rule 3 needs to know which departures take effect, and which do can depend on rule 3: the fold runs again with
 * the departures of the last run until they stop changing. Since an admin cannot remove a more senior one, the
 * departures settle within a few runs; {@link #MAX_RUNS} bounds contrived logs, whose result is still the same on
 * every member.
 */
final class RoomResolver {
    static final int MAX_RUNS = 8;
    private static final Comparator<RoomEvent> ORDER =
            Comparator.comparingLong(RoomEvent::epoch).thenComparing(RoomEvent::hash, RoomEvent.HASH_ORDER);

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
        List<Integer> order = included.stream().boxed()
                .sorted(Comparator.comparing(events::get, ORDER)).toList();
        BitSet departures = new BitSet();
        Fold fold = null;
        for (int run = 0; run < MAX_RUNS; run++) {
            fold = new Fold(events, ancestors, departures);
            order.forEach(fold::offer);
            if (fold.departures.equals(departures)) {
                break;
            }
            departures = fold.departures;
        }
        return fold.state(included, heads);
    }

    /** One pass over the events in order, skipping the changes of anyone a departure in {@code revoking} beats. */
    private static final class Fold {
        private final List<RoomEvent> events;
        private final List<BitSet> ancestors;
        private final Map<PeerId, List<Integer>> revokingBySubject = new HashMap<>();
        private final Map<PeerId, RoomMemberInfo> members = new LinkedHashMap<>();
        private final Map<PeerId, Departure> departed = new HashMap<>();
        /** Per departed member, the index of the event that took it out. */
        private final Map<PeerId, Integer> departedAt = new HashMap<>();
        private final List<Long> membershipChanges = new ArrayList<>();
        private final List<RoomEvent> applied = new ArrayList<>();
        private final BitSet departures = new BitSet();
        private final List<Integer> appliedAt = new ArrayList<>();
        /** Per member added, the index of the add that made it one. */
        private final Map<PeerId, Integer> addedBy = new HashMap<>();
        private final Map<String, String> skipped = new HashMap<>();
        private String name;

        Fold(List<RoomEvent> events, List<BitSet> ancestors, BitSet revoking) {
            this.events = events;
            this.ancestors = ancestors;
            revoking.stream().forEach(index -> revokingBySubject
                    .computeIfAbsent(events.get(index).departing().orElseThrow(), peer -> new ArrayList<>())
                    .add(index));
        }

        void offer(int index) {
            RoomEvent event = events.get(index);
            Optional<String> problem = problem(index, event);
            if (problem.isPresent()) {
                skipped.put(RoomState.key(event.hash()), problem.get());
                return;
            }
            applied.add(event);
            appliedAt.add(index);
            if (event.departing().isPresent()) {
                departures.set(index);
            }
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
            if (revoked(index, author)) {
                return Optional.of(author + " left or was removed at the same time");
            }
            RoomMemberInfo actor = members.get(author);
            if (actor == null) {
                return Optional.of(author + " is not a member");
            }
            boolean admin = actor.adminSince().isPresent();
            if (!admin && !(event.change() instanceof RoomChange.Leave)) {
                return Optional.of(author + " is not an admin, and only admins make this change");
            }
            switch (event.change()) {
                case RoomChange.Create create -> throw new IllegalStateException("handled above");
                case RoomChange.Add add -> {
                    PeerId added = add.member().peerId();
                    if (members.containsKey(added)) {
                        return Optional.of(added + " is a member already");
                    }
                    if (members.size() >= RoomState.MAX_MEMBERS) {
                        return Optional.of("a room holds at most " + RoomState.MAX_MEMBERS + " members");
                    }
                    members.put(added, new RoomMemberInfo(add.member(), event.epoch(), Optional.empty()));
                    addedBy.put(added, index);
                    departed.remove(added);
                    departedAt.remove(added);
                    membershipChanges.add(event.epoch());
                }
                case RoomChange.Remove remove -> {
                    RoomMemberInfo removed = members.get(remove.member());
                    if (removed == null) {
                        return leftAsRemoved(index, event, remove.member());
                    }
                    if (remove.member().equals(author)) {
                        return Optional.of("an admin does not remove itself; it leaves");
                    }
                    if (!outranks(actor, removed)) {
                        return Optional.of(remove.member() + " became an admin before " + author
                                + ", who can remove only admins made after it");
                    }
                    depart(index, remove.member(), event);
                }
                case RoomChange.Leave leave -> depart(index, author, event);
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
         * A removal of a member who has just left by a leave concurrent with it: the removal stands in its place,
         * and on the next run the leave, a change of the removed member's made at the same time, is void.
         */
        private Optional<String> leftAsRemoved(int index, RoomEvent removal, PeerId member) {
            Departure gone = departed.get(member);
            Integer leftAt = departedAt.get(member);
            if (gone == null || !(gone.event().change() instanceof RoomChange.Leave) || !concurrent(index, leftAt)) {
                return Optional.of(member + " is not a member");
            }
            if (!outranks(members.get(removal.author()), gone.member())) {
                return Optional.of(member + " became an admin before " + removal.author()
                        + ", who can remove only admins made after it");
            }
            departed.put(member, new Departure(gone.member(), removal));
            departedAt.put(member, index);
            return Optional.empty();
        }

        /**
         * The epoch from which an added member may read: its add's own, and not before any event that took effect at
         * the same time, so that an add signed on old heads cannot date the member's joining back into epochs it
         * was not in.
         */
        private long joinedEpoch(int add) {
            long joined = events.get(add).epoch();
            for (int other : appliedAt) {
                if (concurrent(add, other)) {
                    joined = Math.max(joined, events.get(other).epoch() + 1);
                }
            }
            return joined;
        }

        private boolean concurrent(int one, int other) {
            return one != other && !ancestors.get(one).get(other) && !ancestors.get(other).get(one);
        }

        /** Whether a departure of {@code author} that neither follows nor precedes this event beats it. */
        private boolean revoked(int index, PeerId author) {
            return revokingBySubject.getOrDefault(author, List.of()).stream()
                    .anyMatch(departure -> concurrent(index, departure));
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

        RoomState state(BitSet included, List<byte[]> heads) {
            addedBy.forEach((peer, add) -> {
                RoomMemberInfo member = members.get(peer);
                if (member != null) {
                    members.put(peer, member.joinedAt(joinedEpoch(add)));
                }
            });
            membershipChanges.sort(Long::compare);
            return new RoomState(events.getFirst().roomId(), name, included.cardinality() - 1L, heads, members,
                    departed, membershipChanges, applied, skipped);
        }
    }
}
