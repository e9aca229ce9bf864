package dev.parley.app.engine.room;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a room's membership log comes to: name, members and their roles, who has left, and the log's epoch and
 * heads. {@link RoomResolver} computes it from the set of events alone, so every member holding the same events
 * holds the same state, whatever order they arrived in. Immutable.
 */
public final class RoomState {
    /** Rooms hold up to 256 members (app/README.md, "Rooms"). */
    public static final int MAX_MEMBERS = 256;
    /**
     * An envelope or sender key of an epoch that this many membership changes (adds, removals, leaves) have since
     * followed is stale and refused: a member that missed them fetches the log before it writes again, and a
     * removed member cannot go on posting under an old epoch for ever.
     */
    public static final int MAX_STALE_CHANGES = 3;

    /** A member who left or was removed, as it was then, and the event that took it out. */
    public record Departure(RoomMemberInfo member, RoomEvent event) {
        public long epoch() {
            return event.epoch();
        }
    }

    private final RoomId roomId;
    private final String name;
    private final long epoch;
    private final List<byte[]> heads;
    private final Map<PeerId, RoomMemberInfo> members;
    private final Map<PeerId, Departure> departed;
    private final List<Long> membershipChanges;
    private final List<RoomEvent> applied;
    private final Map<String, String> skipped;

    RoomState(RoomId roomId, String name, long epoch, List<byte[]> heads, Map<PeerId, RoomMemberInfo> members,
              Map<PeerId, Departure> departed, List<Long> membershipChanges, List<RoomEvent> applied,
              Map<String, String> skipped) {
        this.roomId = roomId;
        this.name = name;
        this.epoch = epoch;
        this.heads = List.copyOf(heads);
        this.members = Collections.unmodifiableMap(members);
        this.departed = Collections.unmodifiableMap(departed);
        this.membershipChanges = List.copyOf(membershipChanges);
        this.applied = List.copyOf(applied);
        this.skipped = Map.copyOf(skipped);
    }

    public RoomId roomId() {
        return roomId;
    }

    public String name() {
        return name;
    }

    /** The log's epoch: how many events it holds, less one (0 for a room just created). Only ever grows. */
    public long epoch() {
        return epoch;
    }

    /** The hashes of the events nothing follows yet, ascending: what the next event names as its parents. */
    public List<byte[]> heads() {
        return heads.stream().map(byte[]::clone).toList();
    }

    /** The members, in the order they joined. */
    public Map<PeerId, RoomMemberInfo> members() {
        return members;
    }

    public Optional<RoomMemberInfo> member(PeerId peer) {
        return Optional.ofNullable(members.get(peer));
    }

    public boolean isMember(PeerId peer) {
        return members.containsKey(peer);
    }

    public boolean isAdmin(PeerId peer) {
        RoomMemberInfo member = members.get(peer);
        return member != null && member.role() == RoomRole.ADMIN;
    }

    public List<PeerId> admins() {
        return members.entrySet().stream().filter(entry -> entry.getValue().role() == RoomRole.ADMIN)
                .map(Map.Entry::getKey).toList();
    }

    /** How {@code peer} left the room, if it was a member and is no longer. */
    public Optional<Departure> departure(PeerId peer) {
        return Optional.ofNullable(departed.get(peer));
    }

    /** The events that took effect, in the order they were applied; the others changed nothing. */
    public List<RoomEvent> applied() {
        return applied;
    }

    /** Why an event of the log changed nothing, if it did not take effect. */
    public Optional<String> skipped(RoomEvent event) {
        return Optional.ofNullable(skipped.get(key(event.hash())));
    }

    static String key(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    /** How many membership changes took effect after {@code epoch}. */
    public int membershipChangesAfter(long epoch) {
        int after = 0;
        for (int i = membershipChanges.size() - 1; i >= 0 && membershipChanges.get(i) > epoch; i--) {
            after++;
        }
        return after;
    }

    /**
     * Why a room envelope or sender key of {@code sender} at {@code epoch} is not taken, if it is not: its sender
     * must be a member, since the epoch, which must not be stale ({@link #MAX_STALE_CHANGES}) nor beyond the next
     * one. A member who left or was removed writes nothing more, whatever epoch it claims.
     */
    public Optional<String> writeProblem(PeerId sender, long epoch) {
        if (epoch < 0 || epoch > this.epoch + 1) {
            return Optional.of("epoch " + Long.toUnsignedString(epoch) + " is beyond this log's " + this.epoch
                    + " and the next");
        }
        RoomMemberInfo member = members.get(sender);
        if (member == null) {
            return Optional.of(sender + (departed.containsKey(sender) ? " is no longer a member" : " is not a member"));
        }
        if (epoch < member.joinedEpoch()) {
            return Optional.of(sender + " joined at epoch " + member.joinedEpoch() + ", after epoch " + epoch);
        }
        int changes = membershipChangesAfter(epoch);
        if (changes > MAX_STALE_CHANGES) {
            return Optional.of("epoch " + epoch + " is stale: " + changes + " membership changes have followed it");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RoomState[" + roomId + " '" + name + "' epoch " + epoch + ", " + members.size() + " members]";
    }
}
