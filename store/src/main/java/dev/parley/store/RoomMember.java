package dev.parley.store;

/** A member of a room, as of the room's current membership log head. */
public record RoomMember(String roomId, String peerId, RoomRole role, long joinedEpoch) {
    public RoomMember {
        Check.id("room id", roomId);
        Check.id("peer id", peerId);
        Check.present("room role", role);
    }
}
