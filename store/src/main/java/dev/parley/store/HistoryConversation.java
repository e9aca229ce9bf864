package dev.parley.store;

import java.util.List;
import java.util.Optional;

/**
 * A conversation as history moves between profiles: with its peer's contact entry (a direct conversation) or its
 * room (status, log and members), so the profile it is imported into can go on with it.
 */
public record HistoryConversation(Conversation conversation, Optional<Contact> contact, Optional<Room> room) {
    public HistoryConversation {
        Check.present("conversation", conversation);
        Check.present("contact", contact);
        Check.present("room", room);
        if (conversation.kind() == ConversationKind.DIRECT
                && (contact.isEmpty() || !contact.get().peerId().equals(conversation.peerId()))) {
            throw new InvalidInputException("direct conversation " + conversation.id() + " needs the contact entry of "
                    + conversation.peerId());
        }
        if (conversation.kind() == ConversationKind.ROOM) {
            if (room.isEmpty()) {
                throw new InvalidInputException("room conversation " + conversation.id() + " needs its room");
            }
            Rooms.checkBelongs(conversation, room.get().log(), room.get().members());
        }
    }

    /**
     * A room as this user holds it.
     *
     * @param invitedBy who invited this user; null for the room's creator
     */
    public record Room(RoomStatus status, String invitedBy, List<MembershipEvent> log, List<RoomMember> members) {
        public Room {
            Check.present("room status", status);
            Check.optionalId("invited by", invitedBy);
            log = List.copyOf(log);
            members = List.copyOf(members);
        }
    }
}
