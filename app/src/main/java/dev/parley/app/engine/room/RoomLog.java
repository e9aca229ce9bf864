package dev.parley.app.engine.room;

import dev.parley.app.engine.room.RoomResolver.Fold;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room's membership log: the set of its events, each naming the events it follows (its parents), from the one
 * that created the room. Two members who change the room at once make two events with the same parents; the next
 * event names both, and the log is whole again. The state is {@link RoomResolver}'s function of the set.
 *
 * <p>{@link #add} takes an event only if it fits: its parents are held, its epoch counts exactly its ancestors, and
 * its author is a member in the room as the event's own past resolves it, so a stranger's event is never held.
 * Immutable: {@link #add} returns a new log, sharing what does not change.
 *
 * <p>The log keeps the fold its state is made of, and the folds of some earlier events that followed every event
 * held when they came (cuts); {@link #add} and {@link #of} fold on from those instead of resolving each event's past
 * and the whole set anew (app/README.md, "How the log is kept").
 */
public final class RoomLog {
    /**
     * The epoch below which a change is taken: an event that follows this many events or more is refused. Removals
     * and leaves are taken below {@link #MAX_EVENTS_WITH_DEPARTURES}, so that a full log still learns who is out.
     * The bound is the event's own (its epoch, the same on every member), not the log's size, so that every
     * member takes the same events at the bound: two changes made at once on a log one short of it are both taken.
     */
    public static final int MAX_EVENTS = 4096;
    public static final int MAX_EVENTS_WITH_DEPARTURES = MAX_EVENTS + 2 * RoomState.MAX_MEMBERS;
    /**
     * Events a log holds at most, whatever their epochs: concurrent events below the bounds above can take a log
     * beyond them, but only admins sign changes, and this keeps a room's memory bounded all the same.
     */
    public static final int MAX_HELD = 2 * MAX_EVENTS_WITH_DEPARTURES;

    /** What {@link #add} did with an event. */
    public enum Outcome { ADDED, HELD, MISSING_PARENTS }

    /** The log after {@link #add}, and what became of the event. */
    public record Added(RoomLog log, Outcome outcome) {
    }

    private final List<RoomEvent> events;
    private final Indexes indexes;
    private final List<BitSet> ancestors;
    /** The removals that stand whatever else happens (RoomResolver, rule 4): judged in each one's own past. */
    private final BitSet standingRemovals;
    /** The events no other event names as a parent. */
    private final BitSet heads;
    /** The fold the state is made of ({@link RoomResolver#settle}), over every event. */
    private final Fold settled;
    /** Some of the cuts, the last one made among them, oldest first ({@link Growing#settledOf}). */
    private final List<Cut> cuts;
    private final RoomState state;

    private RoomLog(Growing grown) {
        this.events = Collections.unmodifiableList(grown.events);
        this.indexes = grown.indexes;
        this.ancestors = grown.ancestors;
        this.standingRemovals = grown.standingRemovals;
        this.heads = grown.heads;
        this.settled = grown.settled(false);
        this.cuts = List.copyOf(grown.cuts);
        BitSet all = new BitSet();
        all.set(0, events.size());
        this.state = settled.state(all, hashes(heads));
    }

    /** The log a creating event starts. */
    public static RoomLog create(RoomEvent created) throws InvalidRoomEventException {
        checkCreates(created);
        return new RoomLog(new Growing(created, 1));
    }

    private static void checkCreates(RoomEvent created) throws InvalidRoomEventException {
        if (!(created.change() instanceof RoomChange.Create create)) {
            throw new InvalidRoomEventException(created + " cannot start a log: the first event creates the room");
        }
        if (created.epoch() != 0) {
            throw new InvalidRoomEventException(created + " creates the room at epoch " + created.epoch()
                    + "; the creating event is at epoch 0");
        }
        if (!create.creator().peerId().equals(created.author())) {
            throw new InvalidRoomEventException(created + " names " + create.creator().peerId()
                    + " as creator but is signed by " + created.author());
        }
        if (!create.roomId().equals(created.roomId())) {
            throw new InvalidRoomEventException(created + " creates room " + created.roomId() + ", but its creator and"
                    + " salt make room " + create.roomId() + ": only a room's creator can sign it into being");
        }
        Optional<String> problem = ContactCard.displayNameProblem(create.name());
        if (problem.isPresent()) {
            throw new InvalidRoomEventException(created + ": " + problem.get().replace("display name", "room name"));
        }
    }

    /**
     * The log a whole set of events makes, in any order: the creating event, then every other, each after its
     * parents. Each must fit the log as {@link #add} would take it from a member ({@code vouched}); the log is
     * built once, not a log per event.
     *
     * @throws InvalidRoomEventException if an event does not fit, or one's parents are not among them
     */
    public static RoomLog of(Collection<RoomEvent> events) throws InvalidRoomEventException {
        List<RoomEvent> sorted = events.stream().sorted(Comparator.comparingLong(RoomEvent::epoch)).toList();
        if (sorted.isEmpty()) {
            throw new InvalidRoomEventException("a room's log has at least its creating event");
        }
        checkCreates(sorted.getFirst());
        Growing log = new Growing(sorted.getFirst(), sorted.size());
        for (int i = 1; i < sorted.size(); i++) {
            RoomEvent event = sorted.get(i);
            boolean concurrentNext = i + 1 < sorted.size() && sorted.get(i + 1).epoch() == event.epoch();
            // A stored or handed-over log was taken event by event before; it is taken whole again.
            if (log.take(event, true, null, concurrentNext) == Outcome.MISSING_PARENTS) {
                throw new InvalidRoomEventException(event + " follows events the log does not hold");
            }
        }
        return new RoomLog(log);
    }

    /** Adds an event that nothing vouches for: see {@link #add(RoomEvent, boolean)}. */
    public Added add(RoomEvent event) throws InvalidRoomEventException {
        return add(event, false);
    }

    /**
     * Adds an event if it fits. One that nothing vouches for must also be one that can change something as this log
     * stands: its author a member, and an admin unless it leaves. So a member who is out, or an ordinary member
     * signing admins' changes, cannot fill the log with events that change nothing; only events that members still
     * in the room follow ({@link #vouchedIn}) are taken from them, since the log must hold what others build on.
     *
     * @param vouched whether a member in the room follows the event (it is its ancestor in the same delivery)
     * @return this log if the event is held already ({@link Outcome#HELD}) or some of its parents are not
     *         ({@link Outcome#MISSING_PARENTS}: a sync fetches them); else the log with it
     * @throws InvalidRoomEventException naming why it does not fit
     */
    public Added add(RoomEvent event, boolean vouched) throws InvalidRoomEventException {
        Growing grown = new Growing(this);
        Outcome outcome = grown.take(event, vouched, state, false);
        return new Added(outcome == Outcome.ADDED ? new RoomLog(grown) : this, outcome);
    }

    /**
     * Each event's index by its hash ({@link #key}), shared by a log and the logs {@link #add} makes from it, and
     * from those: a log reads only the indexes below its size. A log adds its next event in place when the table
     * holds no index beyond its own events yet, or when it holds that very event at that index (as when an event is
     * tried on a log, then added to it); else it copies what it reads first. So taking events one after another
     * copies nothing.
     */
    private static final class Indexes {
        private final Map<String, Integer> byKey = new ConcurrentHashMap<>();
        /** One more than the highest index held. */
        private int size;

        /** The index of the event {@code key} in a log of {@code logSize} events that reads this table, or null. */
        Integer get(String key, int logSize) {
            Integer index = byKey.get(key);
            return index != null && index < logSize ? index : null;
        }

        /** The table for a log of {@code index} events with the event {@code key} added at {@code index}. */
        synchronized Indexes with(String key, int index) {
            if (size == index) {
                byKey.put(key, index);
                size++;
                return this;
            }
            if (Integer.valueOf(index).equals(byKey.get(key))) {
                return this;
            }
            Indexes copy = new Indexes();
            byKey.forEach((held, at) -> {
                if (at < index) {
                    copy.byKey.put(held, at);
                }
            });
            copy.byKey.put(key, index);
            copy.size = index + 1;
            return copy;
        }
    }

    /**
     * A log taking events: {@link #of}'s, from its creating event on, or one more for {@link #add}, which copies the
     * log's lists before it changes them and never changes the log's folds.
     */
    private static final class Growing {
        private List<RoomEvent> events;
        private Indexes indexes;
        private List<BitSet> ancestors;
        private BitSet standingRemovals;
        private BitSet heads;
        /** Whether the lists are this one's own yet, not a log's. */
        private boolean ownLists;
        /** Whether the folds are this one's own to change: none is a log's. */
        private final boolean ownFolds;
        /** For {@link #of}, how many events the log will hold: it keeps cuts that will be of some age by then. */
        private final int expectedSize;
        /** The settled fold over every event, or null until asked for. */
        private Fold settled;
        private List<Cut> cuts;
        /**
         * The last set {@link #settledOf} settled, and its fold: events made at once on the same heads share their
         * past.
         */
        private BitSet lastSet;
        private Fold lastFold;

        Growing(RoomEvent created, int expectedSize) {
            events = new ArrayList<>(List.of(created));
            indexes = new Indexes().with(key(created.hash()), 0);
            ancestors = new ArrayList<>(List.of(new BitSet()));
            standingRemovals = new BitSet();
            heads = new BitSet();
            heads.set(0);
            ownLists = true;
            ownFolds = true;
            this.expectedSize = expectedSize;
            BitSet first = new BitSet();
            first.set(0);
            settled = RoomResolver.settle(events, ancestors, standingRemovals, first);
            cuts = List.of(new Cut(0, settled));
        }

        Growing(RoomLog log) {
            events = log.events;
            indexes = log.indexes;
            ancestors = log.ancestors;
            standingRemovals = log.standingRemovals;
            heads = log.heads;
            ownFolds = false;
            expectedSize = 0;
            settled = log.settled;
            cuts = log.cuts;
        }

        /**
         * Takes an event if it fits (see {@link RoomLog#add}).
         *
         * @param stands         the state this log's events come to, which an event nothing vouches for is judged
         *                       against
         * @param concurrentNext whether an event at the same epoch comes next: it may need this event's past settled
         */
        Outcome take(RoomEvent event, boolean vouched, RoomState stands, boolean concurrentNext)
                throws InvalidRoomEventException {
            if (!event.roomId().equals(events.getFirst().roomId())) {
                throw new InvalidRoomEventException(event + " belongs to another room than "
                        + events.getFirst().roomId());
            }
            if (indexes.get(key(event.hash()), events.size()) != null) {
                return Outcome.HELD;
            }
            if (event.epoch() == 0) {
                throw new InvalidRoomEventException(event + " creates a room whose log exists already");
            }
            BitSet parents = new BitSet();
            BitSet past = new BitSet();
            for (byte[] parent : event.parents()) {
                Integer index = indexes.get(key(parent), events.size());
                if (index == null) {
                    return Outcome.MISSING_PARENTS;
                }
                parents.set(index);
                past.set(index);
                past.or(ancestors.get(index));
            }
            if (past.cardinality() != event.epoch()) {
                throw new InvalidRoomEventException(event + " claims epoch " + event.epoch() + " but follows "
                        + past.cardinality() + " events");
            }
            boolean departure = event.departing().isPresent();
            long bound = departure ? MAX_EVENTS_WITH_DEPARTURES : MAX_EVENTS;
            if (event.epoch() >= bound) {
                throw new InvalidRoomEventException(event + " follows " + event.epoch() + " events; a room takes "
                        + (departure ? "departures" : "changes") + " only below " + bound);
            }
            if (event.change() instanceof RoomChange.Rename rename) {
                Optional<String> badName = ContactCard.displayNameProblem(rename.name());
                if (badName.isPresent()) {
                    throw new InvalidRoomEventException(event + ": " + badName.get().replace("display name",
                            "room name"));
                }
            }
            if (events.size() >= MAX_HELD) {
                throw new InvalidRoomEventException(event + " would make the log hold more than " + MAX_HELD
                        + " events");
            }
            if (!vouched) {
                Optional<String> idle = changesNothing(stands, event);
                if (idle.isPresent()) {
                    throw new InvalidRoomEventException(event + " would change nothing: " + idle.get());
                }
            }
            boolean followsAll = past.cardinality() == events.size();
            // An event that follows every other is the next cut, unless one made at once with it comes: that one's
            // past is this one's, which the cut's fold may still give.
            boolean nextCut = followsAll && !concurrentNext;
            boolean inPlace = nextCut && ownFolds && !keeps(cuts.getLast().index(), events.size());
            Fold before = followsAll ? settled(inPlace) : settledOf(past, false);
            if (!before.isMember(event.author())) {
                throw new InvalidRoomEventException(event + ": its author " + event.author()
                        + " is not a member in the room it follows");
            }
            // Nobody follows an event its author could not make even in the event's own past: an ordinary member's
            // rename is junk wherever it lands, and must not be taken because that member's own leave follows it.
            if (!before.isAdmin(event.author()) && !(event.change() instanceof RoomChange.Leave)) {
                throw new InvalidRoomEventException(event + ": its author " + event.author()
                        + " is not an admin in the room it follows");
            }
            Optional<String> idleWhereSigned = idleWhereSigned(before, event.change());
            if (idleWhereSigned.isPresent()) {
                throw new InvalidRoomEventException(event + ": " + idleWhereSigned.get());
            }
            // A removal its author could make here stands whatever is signed beside it later (RoomResolver, rule 4).
            boolean standing = event.change() instanceof RoomChange.Remove remove
                    && before.mayRemove(event.author(), remove.member());
            int index = append(event, parents, past, standing);
            if (nextCut) {
                // Its past is every other event: it folds after them all (RoomResolver.Fold#extendedBy).
                BitSet itself = new BitSet();
                itself.set(index);
                if (inPlace) {
                    before.foldOn(itself);
                    settled = before;
                    lastSet = null;
                    cuts = new ArrayList<>(cuts.subList(0, cuts.size() - 1));
                    cuts.add(new Cut(index, settled));
                } else if (ownFolds) {
                    settled = before.extendedBy(events, ancestors, standingRemovals, itself);
                    cuts = new ArrayList<>(cuts);
                    cuts.add(new Cut(index, settled));
                } else {
                    settled = before.extendedBy(events, ancestors, standingRemovals, itself);
                    cuts = thinned(cuts, new Cut(index, settled), events.size());
                }
            } else {
                settled = null;
            }
            return Outcome.ADDED;
        }

        private int append(RoomEvent event, BitSet parents, BitSet past, boolean standingRemoval) {
            if (!ownLists) {
                events = new ArrayList<>(events);
                ancestors = new ArrayList<>(ancestors);
                standingRemovals = (BitSet) standingRemovals.clone();
                heads = (BitSet) heads.clone();
                ownLists = true;
            }
            int index = events.size();
            events.add(event);
            indexes = indexes.with(key(event.hash()), index);
            ancestors.add(past);
            standingRemovals.set(index, standingRemoval);
            heads.andNot(parents);
            heads.set(index);
            return index;
        }

        /** The settled fold over every event taken; see {@link #settledOf} for {@code consumingCut}. */
        Fold settled(boolean consumingCut) {
            if (settled == null) {
                BitSet all = new BitSet();
                all.set(0, events.size());
                settled = settledOf(all, consumingCut);
            }
            return settled;
        }

        /**
         * The settled fold over the events {@code set}, a set closed under ancestry. A cut is an event that
         * followed every event held when it came: so the events of a set holding it that follow it follow all those.
         * When none but those is missing from a cut's past, the cut's fold goes on with them (as
         * {@link RoomResolver.Fold#extendedBy} allows), instead of settling the whole set again.
         *
         * @param consumingCut whether the last cut's fold may go on in place, not in a copy: for an event about to
         *                     become the next cut, whose past is the whole log, in a log whose folds are its own
         */
        private Fold settledOf(BitSet set, boolean consumingCut) {
            if (set.equals(lastSet)) {
                return lastFold;
            }
            Fold settled = settledAfterCut(set, consumingCut);
            if (cuts.stream().noneMatch(cut -> cut.fold() == settled)) {
                lastSet = set;
                lastFold = settled;
            }
            return settled;
        }

        private Fold settledAfterCut(BitSet set, boolean consumingCut) {
            for (int i = cuts.size() - 1; i >= 0; i--) {
                int cut = cuts.get(i).index();
                Fold cutFold = cuts.get(i).fold();
                if (!set.get(cut)) {
                    continue;
                }
                BitSet later = (BitSet) set.clone();
                later.andNot(ancestors.get(cut));
                later.clear(cut);
                if (later.isEmpty()) {
                    return cutFold;
                }
                if (!later.stream().allMatch(index -> ancestors.get(index).get(cut))) {
                    // An event signed on heads from before the cut: an older cut may still do.
                    continue;
                }
                if (!RoomResolver.foldsOnce(events, ancestors, standingRemovals, later)) {
                    // Nor would any older one, whose later events hold these.
                    break;
                }
                if (consumingCut && i == cuts.size() - 1) {
                    cutFold.foldOn(later);
                    lastSet = null;
                    return cutFold;
                }
                return cutFold.extendedBy(events, ancestors, standingRemovals, later);
            }
            return RoomResolver.settle(events, ancestors, standingRemovals, set);
        }

        /**
         * Whether {@link #of} keeps the cut {@code cut} when the event {@code next} becomes the next one: when it
         * is the last cut at least 3, 9, 27… events old in the log it makes (as {@link #thinned} keeps them).
         */
        private boolean keeps(int cut, int next) {
            for (long age = 3; age <= expectedSize - cut; age *= 3) {
                if (expectedSize - next < age) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The cuts a log keeps, with {@code last} made: the fewer the older, each about three times as old as the
         * next (some ten for a full log), so that an event signed on heads of any age finds one not much older.
         */
        private static List<Cut> thinned(List<Cut> cuts, Cut last, int size) {
            List<Cut> kept = new ArrayList<>(cuts);
            kept.add(last);
            for (int i = kept.size() - 2; i >= 1; i--) {
                int newer = kept.get(i + 1).index();
                if (newer - kept.get(i - 1).index() <= 3 * (size - newer)) {
                    kept.remove(i);
                }
            }
            return kept;
        }
    }

    /** An event that followed every event its log held when it came, and the settled fold over it and its past. */
    private record Cut(int index, Fold fold) {
    }

    /**
     * Why an add or a promotion could do nothing in the room where it was signed ({@code before}): such an event is
     * refused, not held. Held and skipped in the fold, it would take effect once an event signed on older heads sorted
     * before it and changed the room there — a place freed in a full room, a member removed and added again as an
     * ordinary one — bringing a member or an admin's role back that nobody gave again (reviews 5 and 6).
     */
    private static Optional<String> idleWhereSigned(Fold before, RoomChange change) {
        if (change instanceof RoomChange.Add add) {
            if (before.isMember(add.member().peerId())) {
                return Optional.of(add.member().peerId() + " is a member already in the room it follows");
            }
            if (before.memberCount() >= RoomState.MAX_MEMBERS) {
                return Optional.of("the room it follows holds " + RoomState.MAX_MEMBERS
                        + " members already, as many as a room holds");
            }
        }
        if (change instanceof RoomChange.Promote promote) {
            if (!before.isMember(promote.member())) {
                return Optional.of(promote.member() + " is not a member in the room it follows");
            }
            if (before.isAdmin(promote.member())) {
                return Optional.of(promote.member() + " is an admin already in the room it follows");
            }
        }
        return Optional.empty();
    }

    /** Why {@code event} cannot take effect on a log whose state is {@code state}, judged by its author alone. */
    private static Optional<String> changesNothing(RoomState state, RoomEvent event) {
        PeerId author = event.author();
        if (!state.isMember(author)) {
            return Optional.of("its author " + author + " is not in the room");
        }
        if (!state.isAdmin(author) && !(event.change() instanceof RoomChange.Leave)) {
            return Optional.of("its author " + author + " is not an admin");
        }
        return Optional.empty();
    }

    /**
     * The hashes of the events of {@code delivery} that another member still in the room follows: the ancestors,
     * within the delivery, of an event whose author {@link #add} would take on its own, by an author other than
     * theirs. A member's own later event vouches for nothing of its own: a member added again after its removal
     * could otherwise vouch, with a leave signed on the heads from before its removal, for junk it signed there.
     */
    public Set<String> vouchedIn(List<RoomEvent> delivery) {
        Map<String, List<RoomEvent>> children = new HashMap<>();
        for (RoomEvent event : delivery) {
            for (byte[] parent : event.parents()) {
                children.computeIfAbsent(key(parent), parentKey -> new ArrayList<>()).add(event);
            }
        }
        // Per event, up to two authors of events in the delivery that follow it and may change something: two are
        // enough to know whether one differs from the event's own. Children have higher epochs, so go down.
        Map<String, Set<PeerId>> followers = new HashMap<>();
        Set<String> vouched = new HashSet<>();
        List<RoomEvent> downward = delivery.stream().distinct()
                .sorted(Comparator.comparingLong(RoomEvent::epoch).reversed()).toList();
        for (RoomEvent event : downward) {
            String eventKey = key(event.hash());
            Set<PeerId> authors = new HashSet<>(2);
            for (RoomEvent child : children.getOrDefault(eventKey, List.of())) {
                if (authors.size() < 2 && changesNothing(state, child).isEmpty()) {
                    authors.add(child.author());
                }
                for (PeerId author : followers.getOrDefault(key(child.hash()), Set.of())) {
                    if (authors.size() < 2) {
                        authors.add(author);
                    }
                }
            }
            followers.put(eventKey, authors);
            if (authors.stream().anyMatch(author -> !author.equals(event.author()))) {
                vouched.add(eventKey);
            }
        }
        return vouched;
    }

    /** Signs the next event: it follows every head (up to {@link RoomEvent#MAX_PARENTS} of them). */
    public RoomEvent next(Identity author, long hlc, RoomChange change) {
        List<byte[]> parents = state.heads().stream().limit(RoomEvent.MAX_PARENTS).toList();
        BitSet past = new BitSet();
        for (byte[] parent : parents) {
            int index = index(parent);
            past.set(index);
            past.or(ancestors.get(index));
        }
        return RoomEvent.sign(author, roomId(), past.cardinality(), parents, hlc, change);
    }

    public RoomId roomId() {
        return events.getFirst().roomId();
    }

    public RoomState state() {
        return state;
    }

    /** Every event, each after its parents. */
    public List<RoomEvent> events() {
        return events;
    }

    public int size() {
        return events.size();
    }

    public boolean holds(byte[] hash) {
        return index(hash) != null;
    }

    public Optional<RoomEvent> get(byte[] hash) {
        Integer index = index(hash);
        return index == null ? Optional.empty() : Optional.of(events.get(index));
    }

    /**
     * The events a holder of {@code heads} lacks, each after its parents: all that neither is one of those heads we
     * hold nor precedes one. Heads we do not hold are passed over (their holder has events we lack).
     */
    public List<RoomEvent> missingFrom(Collection<byte[]> heads) {
        BitSet known = new BitSet();
        for (byte[] head : heads) {
            Integer index = index(head);
            if (index != null) {
                known.set(index);
                known.or(ancestors.get(index));
            }
        }
        List<RoomEvent> missing = new ArrayList<>();
        for (int i = known.nextClearBit(0); i < events.size(); i = known.nextClearBit(i + 1)) {
            missing.add(events.get(i));
        }
        return missing;
    }

    /** Whether {@code later} follows {@code earlier}, directly or through others. */
    public boolean follows(RoomEvent later, RoomEvent earlier) {
        return ancestors.get(index(later.hash())).get(index(earlier.hash()));
    }

    private Integer index(byte[] hash) {
        return indexes.get(key(hash), events.size());
    }

    private List<byte[]> hashes(BitSet which) {
        return which.stream().mapToObj(index -> events.get(index).hash()).sorted(RoomEvent.HASH_ORDER).toList();
    }

    private static String key(byte[] hash) {
        return RoomState.key(hash);
    }

    @Override
    public String toString() {
        return "RoomLog[" + roomId() + ", " + events.size() + " events, " + state + "]";
    }
}
