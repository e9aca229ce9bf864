package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Extension;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.SyncProtos.RoomUpdate;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.transport.multiformats.PeerId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Changes of a room's membership and what follows from them, under the room's lock ({@link RoomBook#locked}): our
 * own changes signed into the log, then for every event the log takes, ours or a member's, the notices of what took
 * effect (and away with those a departure voided), our events sent to the members, our leaving a room that no
 * longer has us, and a new sender key of ours whenever the members changed: a removed member gets none of the new
 * keys, a new member none of the old ones.
 */
final class RoomMembership {
    private final Identity me;
    private final RoomBook book;
    private final RoomKeys keys;
    private final SenderNumbers numbers;
    private final RoomNotices notices;
    private final RoomViews views;
    private final RoomReach reach;
    private final RoomOutbox outbox;
    private final HybridClock clock;

    RoomMembership(Identity me, RoomBook book, RoomKeys keys, SenderNumbers numbers, RoomNotices notices,
                   RoomViews views, RoomReach reach, RoomOutbox outbox, HybridClock clock) {
        this.me = me;
        this.book = book;
        this.keys = keys;
        this.numbers = numbers;
        this.notices = notices;
        this.views = views;
        this.reach = reach;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A room we just created: our first key, at epoch 0, and the notice of its creation. */
    void created(Room room, RoomEvent creation) {
        assert book.isLockedByCurrentThread(room.id()) : "creating room " + room.id() + " without its lock";
        keys.rotate(room.state(), numbers.highestHeld(room.id(), me.peerId()) + 1);
        notices.took(room.state(), creation);
    }

    /**
     * Signs a change, adds it to the room's log, runs {@code appended} with the room as it is then, and does what
     * follows from the change. A change that would not take effect is refused with the reason, and never signed
     * into the log.
     *
     * @param action what the user tried, for the refusal: "cannot " + action + " " + the room's name
     */
    Room change(RoomId id, String action, RoomChange change, Consumer<Room> appended) throws EngineException {
        return book.locked(id, () -> {
            Room room = book.require(id);
            if (room.status() == RoomStatus.LEFT) {
                throw new EngineException(Problem.NOT_IN_ROOM,
                        "cannot " + action + " " + room.state().name() + ": you are no longer in it", room.state().name());
            }
            RoomEvent event = room.log().next(me, clock.now(), change);
            Optional<String> problem;
            try {
                RoomState tried = room.log().add(event).log().state();
                problem = tried.skipped(event);
            } catch (InvalidRoomEventException e) {
                problem = Optional.of(e.getMessage());
            }
            if (problem.isPresent()) {
                throw new EngineException(Problem.ROOM_CHANGE_REFUSED,
                        "cannot " + action + " " + room.state().name() + ": " + problem.get(), room.state().name());
            }
            Extension extension = book.extend(id, List.of(event), me.peerId());
            appended.accept(extension.room());
            return followUp(extension);
        });
    }

    /**
     * What follows from events added to a room's log: notices of what took effect (and away with those of what a
     * departure has since voided), sending our own events to the members, leaving the room if it no longer has us,
     * else a new sender key if its members changed; and the room reported as it is now.
     */
    Room followUp(Extension extension) {
        Room room = extension.room();
        assert book.isLockedByCurrentThread(room.id()) : "following up room " + room.id() + " without its lock";
        RoomState before = extension.before();
        RoomState after = room.state();
        for (RoomEvent voided : extension.voided()) {
            notices.voided(room.conversationId(), voided);
        }
        for (RoomEvent took : extension.took()) {
            notices.took(after, took);
        }
        for (RoomEvent event : extension.added()) {
            if (event.author().equals(me.peerId())) {
                sendEvent(event, before, after);
            }
        }
        if (!after.isMember(me.peerId())) {
            if (room.status() != RoomStatus.LEFT) {
                room = book.setStatus(room.id(), RoomStatus.LEFT);
                keys.forget(room.id());
            }
        } else if (room.status() == RoomStatus.JOINED && !after.members().keySet().equals(before.members().keySet())) {
            rotateKey(after);
        }
        views.updated(room);
        return room;
    }

    /** Our key for the room as it is now: the current one if we may still write under it, else a new one. */
    SenderKey currentKey(RoomState state) {
        assert book.isLockedByCurrentThread(state.roomId()) : "keys of room " + state.roomId() + " without its lock";
        Optional<SenderKey> current = keys.current(state.roomId());
        if (current.isPresent() && state.writeProblem(me.peerId(), current.get().epoch()).isEmpty()) {
            return current.get();
        }
        return rotateKey(state);
    }

    /** Makes our key at the log's epoch, unless we made one there already, and sends it 1:1 to every other member. */
    private SenderKey rotateKey(RoomState state) {
        assert book.isLockedByCurrentThread(state.roomId()) : "new key in room " + state.roomId() + " without its lock";
        Optional<SenderKey> current = keys.current(state.roomId());
        if (current.isPresent() && current.get().epoch() >= state.epoch()) {
            return current.get();
        }
        // A chained key starts at our next number: whoever gets it reads from our next message on, nothing before.
        SenderKey key = keys.rotate(state, numbers.highestHeld(state.roomId(), me.peerId()) + 1);
        List<PeerId> recipients = state.members().keySet().stream().filter(peer -> !peer.equals(me.peerId())).toList();
        keys.handOut(state.roomId(), key.epoch(), recipients);
        outbox.queueToEach(recipients.stream().map(peer -> state.members().get(peer).card()).toList(),
                EnvelopeKind.SENDER_KEY, key.encodeForMembers());
        return key;
    }

    /**
     * Our event goes 1:1 to every member before and after it: a member it removes learns it so. Nobody else gets
     * it, not even a member who left before. A member it adds comes with where we know it to be reached.
     */
    private void sendEvent(RoomEvent event, RoomState before, RoomState after) {
        Map<PeerId, ContactCard> recipients = new HashMap<>();
        before.members().forEach((peer, member) -> recipients.put(peer, member.card()));
        after.members().forEach((peer, member) -> recipients.put(peer, member.card()));
        recipients.remove(me.peerId());
        RoomUpdate.Builder update = RoomUpdate.newBuilder().setEvent(ByteString.copyFrom(event.encode()));
        if (event.change() instanceof RoomChange.Add add) {
            reach.hint(add.member().peerId()).ifPresent(update::addHints);
        }
        outbox.queueToEach(List.copyOf(recipients.values()), EnvelopeKind.ROOM_EVENT, update.build().toByteArray());
    }
}
