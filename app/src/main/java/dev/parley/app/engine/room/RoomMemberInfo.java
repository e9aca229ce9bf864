package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import java.util.Optional;

/**
 * A member as the log has it.
 *
 * @param card        its signed card, from the event that added it: members seal 1:1 envelopes to its key
 * @param joinedEpoch the epoch of the event that added it; it can open what was sealed from then on
 * @param adminSince  for an admin, the event that made it one: its seniority
 */
public record RoomMemberInfo(ContactCard card, long joinedEpoch, Optional<Seniority> adminSince) {
    public RoomRole role() {
        return adminSince.isPresent() ? RoomRole.ADMIN : RoomRole.MEMBER;
    }

    RoomMemberInfo joinedAt(long epoch) {
        return new RoomMemberInfo(card, epoch, adminSince);
    }

    RoomMemberInfo promoted(Seniority since) {
        return new RoomMemberInfo(card, joinedEpoch, Optional.of(since));
    }
}
