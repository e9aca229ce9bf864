package dev.parley.app.engine.room;

import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomNotice;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.node.Node;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.MessageId;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.Notice;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Rooms as the user sees them: members named as the user knows them, a room as a {@link RoomInfo}, a line of its
 * conversation as a {@link RoomMessage}, a notice rendered into its English sentence and into its parts with the names
 * known now; and the events that report them.
 */
final class RoomViews {
    private final PeerId me;
    private final Supplier<ContactCard> card;
    private final RoomContacts contacts;
    private final Node node;
    private final Consumer<EngineEvent> events;

    RoomViews(PeerId me, Supplier<ContactCard> card, RoomContacts contacts, Node node, Consumer<EngineEvent> events) {
        this.me = me;
        this.card = card;
        this.contacts = contacts;
        this.node = node;
        this.events = events;
    }

    /**
     * A member's name: ours for ourselves, the contact book's for a contact, else the card the room's log has for
     * it, also once it left; else its PeerId.
     */
    String nameOf(RoomState state, PeerId peer) {
        if (peer.equals(me)) {
            return card.get().displayName();
        }
        Optional<RoomContacts.Contact> contact = contacts.find(peer);
        if (contact.isPresent()) {
            return contact.get().name();
        }
        return state.member(peer).map(member -> member.card().displayName())
                .or(() -> state.departure(peer).map(departure -> departure.member().card().displayName()))
                .orElse(peer.toString());
    }

    RoomInfo info(Room room) {
        RoomState state = room.state();
        List<RoomInfo.Member> members = state.members().entrySet().stream()
                .map(entry -> new RoomInfo.Member(entry.getKey(), nameOf(state, entry.getKey()),
                        state.isAdmin(entry.getKey()),
                        entry.getKey().equals(me) || node.host().connection(entry.getKey()).isPresent()))
                .sorted(Comparator.comparing(RoomInfo.Member::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
        Optional<RoomInfo.Removal> removal = state.departure(me)
                .filter(departure -> departure.event().change() instanceof RoomChange.Remove)
                .map(departure -> new RoomInfo.Removal(departure.event().author(),
                        nameOf(state, departure.event().author())));
        return new RoomInfo(room.id(), state.name(), room.status(), members, state.epoch(), removal);
    }

    /** Reports that the room changed; returns it as the user sees it. */
    RoomInfo updated(Room room) {
        RoomInfo info = info(room);
        events.accept(new EngineEvent.RoomUpdated(info));
        return info;
    }

    /**
     * A stored line of the room whose state is {@code state}: a member's message, or a notice as its sentence and its
     * parts (none for a notice an older Parley stored as its sentence).
     */
    RoomMessage message(RoomState state, StoredMessage message) {
        PeerId sender = PeerId.parse(message.sender());
        boolean notice = message.kind() == MessageKind.NOTICE;
        String text = notice ? Notice.text(message.body(), peer -> nameOf(state, peer)) : message.body();
        Optional<RoomNotice> parts = notice ? Notice.decode(message.body()).map(decoded -> parts(state, decoded))
                : Optional.empty();
        return new RoomMessage(state.roomId(), MessageId.parse(message.id()), sender, nameOf(state, sender),
                message.direction() == Direction.OUTGOING, notice, text, message.hlc(), message.sentAt(),
                MessageDetails.NONE, parts);
    }

    private RoomNotice parts(RoomState state, Notice notice) {
        RoomNotice.Kind kind = switch (notice.event()) {
            case CREATED -> RoomNotice.Kind.CREATED;
            case ADDED -> RoomNotice.Kind.ADDED;
            case REMOVED -> RoomNotice.Kind.REMOVED;
            case LEFT -> RoomNotice.Kind.LEFT;
            case RENAMED -> RoomNotice.Kind.RENAMED;
            case PROMOTED -> RoomNotice.Kind.PROMOTED;
        };
        return new RoomNotice(kind, nameOf(state, notice.actor()),
                notice.subject().map(subject -> nameOf(state, subject)), notice.name());
    }

    /** Reports a line that arrived or took effect in the room whose state is {@code state}. */
    void received(RoomState state, StoredMessage message) {
        events.accept(new EngineEvent.RoomMessageReceived(message(state, message)));
    }

    /** Reports a member's message as it is once the actions that waited for it were applied. */
    void received(RoomState state, StoredMessage message, MessageActions.Arrival arrival) {
        RoomMessage line = message(state, message);
        events.accept(new EngineEvent.RoomMessageReceived(new RoomMessage(line.room(), line.id(), line.sender(),
                line.senderName(), line.outgoing(), line.notice(), arrival.text(), line.hlc(), line.sentAt(),
                arrival.details())));
    }

    /** A name for a PeerId a notice names; a notice imported from elsewhere may name something else, shown as it is. */
    private String nameOf(RoomState state, String peer) {
        try {
            return nameOf(state, PeerId.parse(peer));
        } catch (IllegalArgumentException e) {
            return peer;
        }
    }
}
