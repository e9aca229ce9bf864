package dev.parley.store.export;

import dev.parley.store.ConversationKind;
import dev.parley.store.HistoryConversation;
import dev.parley.store.RoomRole;
import java.util.List;
import java.util.Optional;

/** A conversation as the formats write it: the stored one, with its members named. */
record ExportedConversation(HistoryConversation history, List<Member> members) {
    /** A member: for a room, with its role and the epoch it joined at. */
    record Member(Person person, Optional<RoomRole> role, long joinedEpoch) {
    }

    String id() {
        return history.conversation().id();
    }

    String title() {
        return history.conversation().title();
    }

    boolean isRoom() {
        return history.conversation().kind() == ConversationKind.ROOM;
    }
}
