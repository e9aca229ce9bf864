package dev.parley.app.engine;

import dev.parley.app.engine.room.InvalidRoomEventException;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.app.engine.room.RoomState;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.RoomId;
import dev.parley.store.Conversation;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MembershipEvent;
import dev.parley.store.RoomMember;
import dev.parley.store.RoomRole;
import dev.parley.store.RoomStatus;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this user is in, was invited to or left: each one's verified membership log and the state it comes
 * to, kept in the store and mirrored in memory, since every room envelope asks who may send it. A log only grows
 * by events that extend its head and that {@link RoomState#apply} accepts; anything else is refused whole.
 */
final class RoomBook {
    /** How many events back a fork is still settled; members cannot change the room faster than this at once. */
    static final int MAX_FORK_DEPTH = 16;
    private static final Logger log = LoggerFactory.getLogger(RoomBook.class);

    /** A room as this user holds it; {@code log} is every event from the creating one, verified. */
    record Room(RoomState state, RoomStatus status, List<RoomEvent> log) {
        RoomId id() {
            return state.roomId();
        }

        String conversationId() {
            return ConversationId.of(state.roomId()).toString();
        }

        /** The state as it was at {@code epoch}. */
        RoomState stateAt(long epoch) throws InvalidRoomEventException {
            return RoomState.replay(log.subList(0, (int) epoch + 1));
        }
    }

    /**
     * What came of offering events to a room's log.
     *
     * @param base       the state the applied events apply to: the head before, or where a rolled-back branch began
     * @param rolledBack the events of a branch that lost to an offered one, undone, oldest first
     * @param applied    the events that extended it, in order
     * @param behind     an event lay beyond the head: the events between are missing, and a sync fetches them
     * @param refusal    why the first event that was neither applied, held already nor beyond the head was refused
     */
    record Extension(Room room, RoomState base, List<RoomEvent> rolledBack, List<RoomEvent> applied, boolean behind,
                     Optional<String> refusal) {
    }

    private final SqliteStore store;
    private final Map<RoomId, Room> rooms = new ConcurrentHashMap<>();
    private final Map<RoomId, ReentrantLock> locks = new ConcurrentHashMap<>();

    private RoomBook(SqliteStore store) {
        this.store = store;
    }

    /** Reads every room from the store, verifying its log again; a log that no longer verifies is left out. */
    static RoomBook load(SqliteStore store) {
        RoomBook book = new RoomBook(store);
        for (Map.Entry<String, RoomStatus> stored : store.rooms().statuses().entrySet()) {
            List<RoomEvent> events = new ArrayList<>();
            try {
                for (MembershipEvent event : store.rooms().log(stored.getKey())) {
                    events.add(RoomEvent.decode(event.event()));
                }
                RoomState state = RoomState.replay(events);
                book.rooms.put(state.roomId(), new Room(state, stored.getValue(), List.copyOf(events)));
            } catch (InvalidRoomEventException | RuntimeException e) {
                log.warn("room {} is left out: its stored log does not verify ({})", stored.getKey(), e.getMessage());
            }
        }
        return book;
    }

    Optional<Room> get(RoomId room) {
        return Optional.ofNullable(rooms.get(room));
    }

    List<Room> all() {
        return List.copyOf(rooms.values());
    }

    /** Rooms with this status. */
    List<Room> withStatus(RoomStatus status) {
        return rooms.values().stream().filter(room -> room.status() == status).toList();
    }

    /** Holds the room's lock while {@code work} runs: changes of one room happen one at a time. */
    <T, E extends Exception> T locked(RoomId room, LockedWork<T, E> work) throws E {
        ReentrantLock lock = locks.computeIfAbsent(room, id -> new ReentrantLock());
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
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
    Room add(List<RoomEvent> events, RoomStatus status, PeerId invitedBy) throws InvalidRoomEventException {
        RoomState state = RoomState.replay(events);
        return locked(state.roomId(), () -> {
            Room held = rooms.get(state.roomId());
            if (held != null) {
                return held;
            }
            Room room = new Room(state, status, List.copyOf(events));
            Conversation conversation = Conversation.room(room.conversationId(), state.roomId().toString(),
                    state.name(), Instant.now());
            InsertOutcome outcome = store.rooms().create(conversation, status,
                    invitedBy == null ? null : invitedBy.toBase58(),
                    events.stream().map(RoomBook::stored).toList(), members(state));
            if (outcome == InsertOutcome.DUPLICATE) {
                throw new IllegalStateException("room " + state.roomId() + " is in the store but was not loaded");
            }
            rooms.put(state.roomId(), room);
            return room;
        });
    }

    /**
     * Offers events to a room's log, oldest first: those it holds are skipped, the next ones are verified and
     * appended one by one, and the first that does not fit stops the rest. Call with the room's lock held.
     *
     * <p>Two members who change the room at once make two events at one epoch: a fork. Every member settles it
     * alike, whatever order the events reach it in: the event with the lower hash wins. A winning event that is
     * valid where it stands rolls back the branch it beats; the authors of the events rolled back make their
     * changes again on top, if they still can.
     */
    Extension extend(RoomId id, List<RoomEvent> offered) {
        Room room = rooms.get(id);
        if (room == null) {
            throw new IllegalArgumentException("room " + id + " is not held");
        }
        String nameBefore = room.state().name();
        RoomState base = room.state();
        List<RoomEvent> rolledBack = new ArrayList<>();
        List<RoomEvent> applied = new ArrayList<>();
        Optional<String> refusal = Optional.empty();
        boolean behind = false;
        for (RoomEvent event : offered) {
            long head = room.state().epoch();
            int at = (int) event.epoch();
            if (event.epoch() <= head) {
                RoomEvent held = room.log().get(at);
                if (Arrays.equals(held.hash(), event.hash())) {
                    continue;
                }
                if (at == 0 || Arrays.compareUnsigned(event.hash(), held.hash()) > 0) {
                    refusal = Optional.of(event + " forks the log and loses: epoch " + event.epoch() + " is " + held
                            + " here, whose hash is lower");
                    break;
                }
                Optional<String> unfit = forkProblem(room.state(), event);
                if (unfit.isPresent()) {
                    refusal = unfit;
                    break;
                }
                RoomState forkPoint;
                try {
                    forkPoint = room.stateAt(at - 1);
                    forkPoint.apply(event);
                } catch (InvalidRoomEventException e) {
                    refusal = Optional.of(e.getMessage());
                    break;
                }
                // Undone events this call applied were never followed up; only those from before are rolled back.
                for (RoomEvent undone : room.log().subList(at, room.log().size())) {
                    if (!applied.remove(undone)) {
                        rolledBack.add(undone);
                    }
                }
                if (base.epoch() >= at) {
                    base = forkPoint;
                }
                store.rooms().rollBack(id.toString(), at, members(forkPoint));
                room = new Room(forkPoint, room.status(), List.copyOf(room.log().subList(0, at)));
                rooms.put(id, room);
            } else if (event.epoch() > head + 1) {
                behind = true;
                break;
            }
            RoomState next;
            try {
                next = room.state().apply(event);
            } catch (InvalidRoomEventException e) {
                refusal = Optional.of(e.getMessage());
                break;
            }
            store.rooms().append(stored(event), members(next));
            List<RoomEvent> log = new ArrayList<>(room.log());
            log.add(event);
            room = new Room(next, room.status(), List.copyOf(log));
            rooms.put(id, room);
            applied.add(event);
        }
        if (!room.state().name().equals(nameBefore)) {
            store.conversations().rename(room.conversationId(), room.state().name());
        }
        return new Extension(room, base, rolledBack, applied, behind, refusal);
    }

    /**
     * Why a competing event may not roll the log back, if it may not. Its author must still hold, at the head, the
     * right the change needs (a member leaving, else an admin), so that a member who was removed since, or an
     * admin demoted, cannot undo what followed by signing an old change; and the fork must be recent, so that no
     * one can undo the room's history wholesale.
     */
    private static Optional<String> forkProblem(RoomState head, RoomEvent event) {
        boolean leaving = event.change() instanceof RoomChange.Leave;
        if (!(leaving ? head.isMember(event.author()) : head.isAdmin(event.author()))) {
            return Optional.of(event + " forks the log at an old epoch, and its author " + event.author()
                    + " no longer has the right to make that change");
        }
        if (head.epoch() - event.epoch() >= MAX_FORK_DEPTH) {
            return Optional.of(event + " forks the log " + (head.epoch() - event.epoch() + 1)
                    + " events back; forks deeper than " + MAX_FORK_DEPTH + " are not settled");
        }
        return Optional.empty();
    }

    /** Changes this user's status in a room; call with the room's lock held. */
    Room setStatus(RoomId id, RoomStatus status) {
        Room room = rooms.get(id);
        store.rooms().setStatus(id.toString(), status);
        Room changed = new Room(room.state(), status, room.log());
        rooms.put(id, changed);
        return changed;
    }

    private static MembershipEvent stored(RoomEvent event) {
        return new MembershipEvent(event.roomId().toString(), event.epoch(), event.hash(), event.prevHash(),
                event.author().toBase58(), event.encode());
    }

    private static List<RoomMember> members(RoomState state) {
        return state.members().entrySet().stream().map(member -> new RoomMember(state.roomId().toString(),
                member.getKey().toBase58(), state.isAdmin(member.getKey()) ? RoomRole.ADMIN : RoomRole.MEMBER,
                member.getValue().joinedEpoch())).toList();
    }
}
