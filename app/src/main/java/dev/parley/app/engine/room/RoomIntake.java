package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Extension;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.RoomInvite;
import dev.parley.app.engine.wire.SyncProtos.RoomUpdate;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.Opened;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership events and invitations as they arrive: a member's event 1:1 (ROOM_EVENT), the events a sync brings,
 * an invitation with a room's whole log (ROOM_INVITE). Each is decoded and verified, offered to the room's log under
 * its lock ({@link RoomBook#extend}: what the log takes, what took effect), and followed up
 * ({@link RoomMembership#followUp}). Events that show the log lacks some make us sync with who sent them.
 */
final class RoomIntake {
    private static final Logger log = LoggerFactory.getLogger(RoomIntake.class);

    private final PeerId me;
    private final TinkEnvelopeSealer sealer;
    private final RoomBook book;
    private final RoomContacts contacts;
    private final RoomMembership membership;
    private final RoomNotices notices;
    private final RoomViews views;
    private final RoomReach reach;
    private final RoomInbox inbox;
    private final RoomSync sync;

    RoomIntake(PeerId me, TinkEnvelopeSealer sealer, RoomBook book, RoomContacts contacts, RoomMembership membership,
               RoomNotices notices, RoomViews views, RoomReach reach, RoomInbox inbox, RoomSync sync) {
        this.me = me;
        this.sealer = sealer;
        this.book = book;
        this.contacts = contacts;
        this.membership = membership;
        this.notices = notices;
        this.views = views;
        this.reach = reach;
        this.inbox = inbox;
        this.sync = sync;
    }

    /** A SENDER_KEY, ROOM_EVENT or ROOM_INVITE envelope a peer sent us; returns the event to report, if any. */
    Optional<EngineEvent> received(Opened opened) {
        EnvelopeHeader header = opened.header();
        PeerId from = header.sender();
        try {
            switch (header.kind()) {
                case SENDER_KEY -> inbox.keyReceived(from, sealer.openSenderKey(opened));
                case ROOM_EVENT -> {
                    RoomUpdate update = RoomUpdate.parseFrom(opened.plaintext());
                    RoomEvent event = RoomEvent.decode(update.getEvent().toByteArray());
                    if (book.get(event.roomId()).isPresent()) {
                        Extension extension = offer(event.roomId(), List.of(event), from);
                        reach.learnHints(extension.room().state(), update.getHintsList());
                        if (extension.behind()) {
                            sync.syncWith(from);
                        }
                    }
                }
                case ROOM_INVITE -> {
                    return invited(from, RoomInvite.parseFrom(opened.plaintext()));
                }
                default -> throw new IllegalArgumentException("not a room envelope: " + header.kind());
            }
        } catch (EnvelopeException | InvalidRoomEventException | InvalidProtocolBufferException e) {
            log.info("dropped {} {} from {}: {}", header.kind(), header.messageId(), from, e.getMessage());
        } catch (RuntimeException e) {
            // Whatever else a hostile envelope trips over must not end the stream that carries everyone's messages.
            log.warn("dropped {} {} from {}, which this node failed on", header.kind(), header.messageId(), from, e);
        }
        return Optional.empty();
    }

    /**
     * Takes the membership events one sync stream from {@code from} carried, all at once (they vouch for those they
     * follow); returns whether they show that we lack something {@code from} may have.
     */
    boolean takeEvents(PeerId from, List<RoomEvents> frames) {
        Map<RoomId, List<RoomEvent>> offered = new LinkedHashMap<>();
        for (RoomEvents frame : frames) {
            Optional<Room> room = book.get(frame.getRoomId());
            if (room.isEmpty()) {
                continue;
            }
            for (ByteString event : frame.getEventsList()) {
                try {
                    offered.computeIfAbsent(room.get().id(), id -> new ArrayList<>())
                            .add(RoomEvent.decode(event.toByteArray()));
                } catch (InvalidRoomEventException e) {
                    log.info("dropped a membership event of room {} from {}: {}", room.get().id(), from,
                            e.getMessage());
                }
            }
        }
        boolean behind = false;
        for (Map.Entry<RoomId, List<RoomEvent>> room : offered.entrySet()) {
            try {
                behind |= offer(room.getKey(), room.getValue(), from).behind();
            } catch (RuntimeException e) {
                log.warn("dropped membership events of room {} from {}, which this node failed on", room.getKey(),
                        from, e);
            }
        }
        return behind;
    }

    /** Offers events {@code carrier} handed over to the room's log and does what follows from those it takes. */
    private Extension offer(RoomId id, List<RoomEvent> offered, PeerId carrier) {
        Extension taken = book.locked(id, () -> {
            Extension extension = book.extend(id, offered, carrier);
            extension.refusal().ifPresent(reason -> log.info("refused a membership event of room {}: {}", id, reason));
            if (!extension.added().isEmpty()) {
                membership.followUp(extension);
            }
            return extension;
        });
        if (!taken.added().isEmpty()) {
            inbox.logExtended(id);
        }
        return taken;
    }

    private Optional<EngineEvent> invited(PeerId from, RoomInvite invite) throws InvalidRoomEventException {
        Optional<RoomContacts.Contact> inviter = contacts.find(from).filter(RoomContacts.Contact::accepted);
        if (inviter.isEmpty()) {
            log.info("dropped an invitation from {}, who is not an accepted contact", from);
            return Optional.empty();
        }
        List<RoomEvent> events = new ArrayList<>();
        for (ByteString event : invite.getEventsList()) {
            events.add(RoomEvent.decode(event.toByteArray()));
        }
        RoomLog roomLog = RoomLog.of(events);
        RoomState state = roomLog.state();
        if (!state.isMember(me) || !state.isMember(from)) {
            log.info("dropped an invitation from {} into room {}, of which we or they are not a member", from,
                    state.roomId());
            return Optional.empty();
        }
        reach.learnHints(state, invite.getHintsList());
        Optional<Room> held = book.get(state.roomId());
        if (held.isPresent()) {
            Extension extension = offer(state.roomId(), roomLog.events(), from);
            if (held.get().status() != RoomStatus.LEFT || !extension.room().state().isMember(me)) {
                return Optional.empty();
            }
            Room again = book.locked(state.roomId(), () -> book.setStatus(state.roomId(), RoomStatus.INVITED));
            inbox.logExtended(state.roomId());
            return Optional.of(new EngineEvent.RoomInvitation(views.info(again), from, inviter.get().name()));
        }
        Room room = book.add(roomLog, RoomStatus.INVITED, from);
        inbox.logExtended(room.id());
        // The inviter's log is as fresh as when the invitation was sealed, which may be long ago: before our first
        // message we sync with the members we reach, as after any start.
        for (RoomEvent event : state.applied()) {
            notices.took(room.state(), event);
        }
        return Optional.of(new EngineEvent.RoomInvitation(views.info(room), from, inviter.get().name()));
    }
}
