package dev.parley.app.engine.api;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * A room as the user sees it: its name, where the user stands in it, and its members as of the newest membership
 * event this node holds.
 *
 * @param epoch   the number of that event: it goes up with every change of membership, name or roles
 * @param removal who took the user out of the room, when the user was removed rather than left
 */
public record RoomInfo(RoomId id, String name, RoomStatus status, List<Member> members, long epoch,
                       Optional<Removal> removal) {
    public RoomInfo {
        members = List.copyOf(members);
    }

    /** The admin who removed this user, named as the user knows them. */
    public record Removal(PeerId by, String byName) {
    }

    /**
     * A member, named as the user's contact book names it, or as its own card does for a member who is no contact.
     */
    public record Member(PeerId peer, String name, boolean admin, boolean online) {
    }
}
