package dev.parley.app.engine.api;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/**
 * A room as the user sees it: its name, where the user stands in it, and its members as of the newest membership
 * event this node holds.
 *
 * @param epoch the number of that event: it goes up with every change of membership, name or roles
 */
public record RoomInfo(RoomId id, String name, RoomStatus status, List<Member> members, long epoch) {
    public RoomInfo {
        members = List.copyOf(members);
    }

    /**
     * A member, named as the user's contact book names it, or as its own card does for a member who is no contact.
     */
    public record Member(PeerId peer, String name, boolean admin, boolean online) {
    }
}
