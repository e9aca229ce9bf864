package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.RoomId;
import dev.parley.store.Conversation;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MembershipEvent;
import dev.parley.store.RoomMember;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this user is in, was invited to or left: each one's verified membership log and the state it comes
 * to, kept in the store and mirrored in memory, since every room envelope asks who may send it. A log only grows,
 * by events that {@link RoomLog#add} takes; nothing is ever rolled back.
 *
 * <p>Changes of one room happen one at a time, under its lock ({@link #locked}); reads take the room as it was last
 * put, without the lock.
 */
final class RoomBook {
    private static final Logger log = LoggerFactory.getLogger(RoomBook.class);

    /** A room as this user holds it. */
    record Room(RoomLog log, RoomStatus status) {
        RoomState state() {
            return log.state();
        }

        RoomId id() {
            return log.roomId();
        }

        String conversationId() {
            return ConversationId.of(log.roomId()).toString();
        }
    }

    /**
     * What came of offering events to a room's log.
     *
     * @param before  the state before
     * @param added   the events the log took, in the order they came
     * @param took    the events that take effect now and did not before, in the order they apply
     * @param voided  the events that took effect before and no longer do: a departure of their author beats them
     * @param behind  an event followed events the log lacks: a sync fetches them
     * @param refusal why the first event that did not fit was refused
     */
    record Extension(Room room, RoomState before, List<RoomEvent> added, List<RoomEvent> took, List<RoomEvent> voided,
                     boolean behind, Optional<String> refusal) {
    }

    private final SqliteStore store;
    private final InstantSource clock;
    /** Locking: a room's entry is put under that room's lock. */
    private final Map<RoomId, Room> rooms = new ConcurrentHashMap<>();
    private final Map<RoomId, ReentrantLock> locks = new ConcurrentHashMap<>();

    private RoomBook(SqliteStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Reads every room from the store, verifying its log again; a log that no longer verifies is left out. */
    static RoomBook load(SqliteStore store, InstantSource clock) {
        RoomBook book = new RoomBook(store, clock);
        for (Map.Entry<String, dev.parley.store.RoomStatus> stored : store.rooms().statuses().entrySet()) {
            List<RoomEvent> events = new ArrayList<>();
            try {
                for (MembershipEvent event : store.rooms().log(stored.getKey())) {
                    events.add(RoomEvent.decode(event.event()));
                }
                RoomLog roomLog = RoomLog.of(events);
                book.rooms.put(roomLog.roomId(), new Room(roomLog, status(stored.getValue())));
            } catch (InvalidRoomEventException | RuntimeException e) {
                log.warn("room {} is left out: its stored log does not verify ({})", stored.getKey(), e.getMessage());
            }
        }
        return book;
    }

    Optional<Room> get(RoomId room) {
        return Optional.ofNullable(rooms.get(room));
    }

    /** The room a peer named by its id's bytes; empty if they name no room held, or no room id at all. */
    Optional<Room> get(ByteString id) {
        try {
            return get(RoomId.fromBytes(id.toByteArray()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The room, or the error the user sees for a room this node does not hold. */
    Room require(RoomId room) throws EngineException {
        return get(room).orElseThrow(() -> new EngineException("there is no room " + room + " here"));
    }

    List<Room> all() {
        return List.copyOf(rooms.values());
    }

    /** Rooms with this status. */
    List<Room> withStatus(RoomStatus status) {
        return rooms.values().stream().filter(room -> room.status() == status).toList();
    }

    /** Whether {@code peer} is a member of a room we are in, as far as we know. */
    boolean sharesJoinedRoom(PeerId peer) {
        return withStatus(RoomStatus.JOINED).stream().anyMatch(room -> room.state().isMember(peer));
    }

    /** Holds the room's lock while {@code work} runs: changes of one room happen one at a time. */
    <T, E extends Exception> T locked(RoomId room, LockedWork<T, E> work) throws E {
        ReentrantLock lock = lock(room);
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /** Whether this thread holds the room's lock: what a method that needs it asserts. */
    boolean isLockedByCurrentThread(RoomId room) {
        return lock(room).isHeldByCurrentThread();
    }

    private ReentrantLock lock(RoomId room) {
        return locks.computeIfAbsent(room, id -> new ReentrantLock());
    }

    @FunctionalInterface
    interface LockedWork<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Stores a room this user creates or is invited to, from its whole verified log. A room held already is left
     * as it is and returned.
     *
     * @param invitedBy null for the room's creator
     */
    Room add(RoomLog roomLog, RoomStatus status, PeerId invitedBy) {
        RoomState state = roomLog.state();
        return locked(state.roomId(), () -> {
            Room held = rooms.get(state.roomId());
            if (held != null) {
                return held;
            }
            Room room = new Room(roomLog, status);
            Conversation conversation = Conversation.room(room.conversationId(), state.roomId().toString(),
                    state.name(), clock.instant());
            InsertOutcome outcome = store.rooms().create(conversation, stored(status),
                    invitedBy == null ? null : invitedBy.toBase58(),
                    roomLog.events().stream().map(RoomBook::stored).toList(), members(state));
            if (outcome == InsertOutcome.DUPLICATE) {
                throw new IllegalStateException("room " + state.roomId() + " is in the store but was not loaded");
            }
            rooms.put(state.roomId(), room);
            return room;
        });
    }

    /**
     * Offers events to a room's log, each after those it follows: those it holds are skipped, the others are
     * verified and added one by one, and the first that does not fit stops the rest. The events offered together
     * vouch for those they follow ({@link RoomLog#vouchedIn}), so offer what one sync brought at once; so does a
     * member of the room who hands on another's events (its author's own word is checked). Call with the room's
     * lock held.
     *
     * @param carrier who handed the events over
     */
    Extension extend(RoomId id, List<RoomEvent> offered, PeerId carrier) {
        assert isLockedByCurrentThread(id) : "extending room " + id + " without its lock";
        Room room = rooms.get(id);
        if (room == null) {
            throw new IllegalArgumentException("room " + id + " is not held");
        }
        RoomState before = room.state();
        List<RoomEvent> added = new ArrayList<>();
        Optional<String> refusal = Optional.empty();
        boolean behind = false;
        Set<String> vouched = room.log().vouchedIn(offered);
        boolean carriedByMember = before.isMember(carrier);
        for (RoomEvent event : offered) {
            RoomLog.Added result;
            try {
                // A member in the room hands on only what it holds: what another member holds, we must hold too.
                result = room.log().add(event, vouched.contains(hex(event))
                        || carriedByMember && !event.author().equals(carrier));
            } catch (InvalidRoomEventException e) {
                refusal = Optional.of(e.getMessage());
                break;
            }
            if (result.outcome() == RoomLog.Outcome.MISSING_PARENTS) {
                behind = true;
                break;
            }
            if (result.outcome() == RoomLog.Outcome.ADDED) {
                store.rooms().append(stored(event), members(result.log().state()));
                room = new Room(result.log(), room.status());
                rooms.put(id, room);
                added.add(event);
            }
        }
        if (!room.state().name().equals(before.name())) {
            store.conversations().rename(room.conversationId(), room.state().name());
        }
        Set<String> appliedBefore = hashes(before.applied());
        Set<String> appliedAfter = hashes(room.state().applied());
        List<RoomEvent> took = room.state().applied().stream()
                .filter(event -> !appliedBefore.contains(hex(event))).toList();
        List<RoomEvent> voided = before.applied().stream()
                .filter(event -> !appliedAfter.contains(hex(event))).toList();
        return new Extension(room, before, added, took, voided, behind, refusal);
    }

    /** Changes this user's status in a room; call with the room's lock held. */
    Room setStatus(RoomId id, RoomStatus status) {
        assert isLockedByCurrentThread(id) : "changing the status in room " + id + " without its lock";
        Room room = rooms.get(id);
        store.rooms().setStatus(id.toString(), stored(status));
        Room changed = new Room(room.log(), status);
        rooms.put(id, changed);
        return changed;
    }

    private static RoomStatus status(dev.parley.store.RoomStatus stored) {
        return switch (stored) {
            case INVITED -> RoomStatus.INVITED;
            case JOINED -> RoomStatus.JOINED;
            case LEFT -> RoomStatus.LEFT;
        };
    }

    private static dev.parley.store.RoomStatus stored(RoomStatus status) {
        return switch (status) {
            case INVITED -> dev.parley.store.RoomStatus.INVITED;
            case JOINED -> dev.parley.store.RoomStatus.JOINED;
            case LEFT -> dev.parley.store.RoomStatus.LEFT;
        };
    }

    private static Set<String> hashes(List<RoomEvent> events) {
        return events.stream().map(RoomBook::hex).collect(Collectors.toSet());
    }

    private static String hex(RoomEvent event) {
        return HexFormat.of().formatHex(event.hash());
    }

    private static MembershipEvent stored(RoomEvent event) {
        return new MembershipEvent(event.roomId().toString(), event.epoch(), event.hash(), event.author().toBase58(),
                event.encode());
    }

    private static List<RoomMember> members(RoomState state) {
        return state.members().keySet().stream().map(peer -> new RoomMember(state.roomId().toString(),
                peer.toBase58(), state.isAdmin(peer) ? dev.parley.store.RoomRole.ADMIN
                        : dev.parley.store.RoomRole.MEMBER, state.members().get(peer).joinedEpoch())).toList();
    }
}
