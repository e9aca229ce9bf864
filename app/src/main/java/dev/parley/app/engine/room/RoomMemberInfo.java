package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.Multiaddr;
import java.util.List;

/**
 * A member as the log has it.
 *
 * @param card        its signed card, from the event that added it: members seal 1:1 envelopes to its key
 * @param joinedEpoch the epoch of the event that added it; it can open what was sealed from then on
 * @param addresses   where it was reachable when added, a hint for dialling it
 */
public record RoomMemberInfo(ContactCard card, RoomRole role, long joinedEpoch, List<Multiaddr> addresses) {
    public RoomMemberInfo {
        addresses = List.copyOf(addresses);
    }

    RoomMemberInfo withRole(RoomRole newRole) {
        return new RoomMemberInfo(card, newRole, joinedEpoch, addresses);
    }
}
