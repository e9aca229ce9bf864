package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A room's membership log: the set of its events, each naming the events it follows (its parents), from the one
 * that created the room. Two members who change the room at once make two events with the same parents; the next
 * event names both, and the log is whole again. The state is {@link RoomResolver}'s function of the set.
 *
 * <p>{@link #add} takes an event only if it fits: its parents are held, its epoch counts exactly its ancestors, and
 * its author is a member in the room as the event's own past resolves it, so a stranger's event is never held.
 * Immutable: {@link #add} returns a new log, sharing what does not change.
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
    private final Map<String, Integer> indexes;
    private final List<BitSet> ancestors;
    /** The events no other event names as a parent. */
    private final BitSet heads;
    private final RoomState state;

    private RoomLog(List<RoomEvent> events, Map<String, Integer> indexes, List<BitSet> ancestors, BitSet heads) {
        this.events = events;
        this.indexes = indexes;
        this.ancestors = ancestors;
        this.heads = heads;
        BitSet all = new BitSet();
        all.set(0, events.size());
        this.state = RoomResolver.resolve(events, ancestors, all, hashes(heads));
    }

    /** The log a creating event starts. */
    public static RoomLog create(RoomEvent created) throws InvalidRoomEventException {
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
        BitSet heads = new BitSet();
        heads.set(0);
        return new RoomLog(List.of(created), Map.of(key(created.hash()), 0), List.of(new BitSet()), heads);
    }

    /**
     * The log a whole set of events makes, in any order: the creating event, then every other, each after its
     * parents.
     *
     * @throws InvalidRoomEventException if an event does not fit, or one's parents are not among them
     */
    public static RoomLog of(Collection<RoomEvent> events) throws InvalidRoomEventException {
        List<RoomEvent> sorted = events.stream().sorted(Comparator.comparingLong(RoomEvent::epoch)).toList();
        if (sorted.isEmpty()) {
            throw new InvalidRoomEventException("a room's log has at least its creating event");
        }
        RoomLog log = create(sorted.getFirst());
        for (RoomEvent event : sorted.subList(1, sorted.size())) {
            // A stored or handed-over log was taken event by event before; it is taken whole again.
            Added added = log.add(event, true);
            if (added.outcome() == Outcome.MISSING_PARENTS) {
                throw new InvalidRoomEventException(event + " follows events the log does not hold");
            }
            log = added.log();
        }
        return log;
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
        if (!event.roomId().equals(roomId())) {
            throw new InvalidRoomEventException(event + " belongs to another room than " + roomId());
        }
        if (indexes.containsKey(key(event.hash()))) {
            return new Added(this, Outcome.HELD);
        }
        if (event.epoch() == 0) {
            throw new InvalidRoomEventException(event + " creates a room whose log exists already");
        }
        BitSet parents = new BitSet();
        BitSet past = new BitSet();
        for (byte[] parent : event.parents()) {
            Integer index = indexes.get(key(parent));
            if (index == null) {
                return new Added(this, Outcome.MISSING_PARENTS);
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
                throw new InvalidRoomEventException(event + ": " + badName.get().replace("display name", "room name"));
            }
        }
        if (events.size() >= MAX_HELD) {
            throw new InvalidRoomEventException(event + " would make the log hold more than " + MAX_HELD + " events");
        }
        if (!vouched) {
            Optional<String> idle = changesNothing(event);
            if (idle.isPresent()) {
                throw new InvalidRoomEventException(event + " would change nothing: " + idle.get());
            }
        }
        RoomState before = past.cardinality() == events.size() ? state
                : RoomResolver.resolve(events, ancestors, past, List.of());
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
        List<RoomEvent> moreEvents = new ArrayList<>(events);
        moreEvents.add(event);
        Map<String, Integer> moreIndexes = new HashMap<>(indexes);
        moreIndexes.put(key(event.hash()), events.size());
        List<BitSet> moreAncestors = new ArrayList<>(ancestors);
        moreAncestors.add(past);
        BitSet moreHeads = (BitSet) heads.clone();
        moreHeads.andNot(parents);
        moreHeads.set(events.size());
        return new Added(new RoomLog(List.copyOf(moreEvents), Map.copyOf(moreIndexes), List.copyOf(moreAncestors),
                moreHeads), Outcome.ADDED);
    }

    /** Why {@code event} cannot take effect on this log as it stands, judged by its author's place alone. */
    private Optional<String> changesNothing(RoomEvent event) {
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
                if (authors.size() < 2 && changesNothing(child).isEmpty()) {
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
            int index = indexes.get(key(parent));
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
        return indexes.containsKey(key(hash));
    }

    public Optional<RoomEvent> get(byte[] hash) {
        Integer index = indexes.get(key(hash));
        return index == null ? Optional.empty() : Optional.of(events.get(index));
    }

    /**
     * The events a holder of {@code heads} lacks, each after its parents: all that neither is one of those heads we
     * hold nor precedes one. Heads we do not hold are passed over (their holder has events we lack).
     */
    public List<RoomEvent> missingFrom(Collection<byte[]> heads) {
        BitSet known = new BitSet();
        for (byte[] head : heads) {
            Integer index = indexes.get(key(head));
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
        return ancestors.get(indexes.get(key(later.hash()))).get(indexes.get(key(earlier.hash())));
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
