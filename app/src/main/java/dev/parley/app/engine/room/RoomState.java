package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a room's membership log comes to at its head: name, members and their roles, epoch and head hash. Immutable:
 * {@link #apply} checks that an event may extend the log and returns the state after it.
 *
 * <p>The rules: the first event creates the room and makes its author the admin. Only admins add, remove, rename
 * and promote; any member may leave, except the last admin while others remain (they promote someone first); an
 * admin does not remove itself (it leaves). Every event names the head's hash and the next epoch, so a fork, a
 * replay or a gap is told apart from a valid event.
 */
public final class RoomState {
    /** DESIGN §4: rooms of up to 256 members. */
    public static final int MAX_MEMBERS = 256;

    private final RoomId roomId;
    private final String name;
    private final long epoch;
    private final byte[] headHash;
    private final Map<PeerId, RoomMemberInfo> members;

    private RoomState(RoomId roomId, String name, long epoch, byte[] headHash, Map<PeerId, RoomMemberInfo> members) {
        this.roomId = roomId;
        this.name = name;
        this.epoch = epoch;
        this.headHash = headHash;
        this.members = Collections.unmodifiableMap(members);
    }

    /** The room as its creating event makes it. */
    public static RoomState create(RoomEvent event) throws InvalidRoomEventException {
        if (!(event.change() instanceof RoomChange.Create create)) {
            throw new InvalidRoomEventException(event + " cannot start a log: the first event creates the room");
        }
        if (event.epoch() != 0) {
            throw new InvalidRoomEventException(event + " creates the room at epoch " + event.epoch()
                    + "; the creating event is at epoch 0");
        }
        if (!create.creator().peerId().equals(event.author())) {
            throw new InvalidRoomEventException(event + " names " + create.creator().peerId()
                    + " as creator but is signed by " + event.author());
        }
        checkName(event, create.name());
        Map<PeerId, RoomMemberInfo> members = new LinkedHashMap<>();
        members.put(event.author(), new RoomMemberInfo(create.creator(), RoomRole.ADMIN, 0, create.addresses()));
        return new RoomState(event.roomId(), create.name(), 0, event.hash(), members);
    }

    /** The state a whole log comes to, checking every event on the way. */
    public static RoomState replay(List<RoomEvent> log) throws InvalidRoomEventException {
        if (log.isEmpty()) {
            throw new InvalidRoomEventException("a room's log has at least its creating event");
        }
        RoomState state = create(log.getFirst());
        for (RoomEvent event : log.subList(1, log.size())) {
            state = state.apply(event);
        }
        return state;
    }

    /**
     * The state after {@code next}, if it extends this head and its author may make the change.
     *
     * @throws InvalidRoomEventException naming the rule it breaks
     */
    public RoomState apply(RoomEvent next) throws InvalidRoomEventException {
        if (!next.roomId().equals(roomId)) {
            throw new InvalidRoomEventException(next + " belongs to another room than " + roomId);
        }
        if (next.epoch() <= epoch) {
            throw new InvalidRoomEventException(next + " is at epoch " + next.epoch() + ", which the log has already"
                    + " (its head is at " + epoch + "): a replayed or forked event");
        }
        if (next.epoch() > epoch + 1) {
            throw new InvalidRoomEventException(next + " is at epoch " + next.epoch() + " but the log's head is at "
                    + epoch + ": the events between are missing");
        }
        if (!Arrays.equals(next.prevHash(), headHash)) {
            throw new InvalidRoomEventException(next + " names previous event " + hex(next.prevHash())
                    + ", not the head " + hex(headHash) + ": it forks the log");
        }
        PeerId author = next.author();
        if (!members.containsKey(author)) {
            throw new InvalidRoomEventException(next + ": its author " + author + " is not a member");
        }
        Map<PeerId, RoomMemberInfo> after = new LinkedHashMap<>(members);
        String newName = name;
        switch (next.change()) {
            case RoomChange.Create create ->
                    throw new InvalidRoomEventException(next + " creates a room that exists already");
            case RoomChange.Add add -> {
                requireAdmin(next);
                PeerId added = add.member().peerId();
                if (members.containsKey(added)) {
                    throw new InvalidRoomEventException(next + " adds " + added + ", who is a member already");
                }
                if (members.size() >= MAX_MEMBERS) {
                    throw new InvalidRoomEventException(next + " would make " + (members.size() + 1)
                            + " members; a room holds at most " + MAX_MEMBERS);
                }
                after.put(added, new RoomMemberInfo(add.member(), RoomRole.MEMBER, next.epoch(), add.addresses()));
            }
            case RoomChange.Remove remove -> {
                requireAdmin(next);
                if (remove.member().equals(author)) {
                    throw new InvalidRoomEventException(next + ": an admin does not remove itself; it leaves");
                }
                requireMember(next, remove.member());
                after.remove(remove.member());
            }
            case RoomChange.Leave leave -> {
                boolean lastAdmin = isAdmin(author) && admins().size() == 1;
                if (lastAdmin && members.size() > 1) {
                    throw new InvalidRoomEventException(next + ": " + author + " is the last admin and others remain;"
                            + " it makes another member an admin before leaving");
                }
                after.remove(author);
            }
            case RoomChange.Rename rename -> {
                requireAdmin(next);
                checkName(next, rename.name());
                newName = rename.name();
            }
            case RoomChange.Promote promote -> {
                requireAdmin(next);
                requireMember(next, promote.member());
                if (isAdmin(promote.member())) {
                    throw new InvalidRoomEventException(next + " promotes " + promote.member()
                            + ", who is an admin already");
                }
                after.put(promote.member(), members.get(promote.member()).withRole(RoomRole.ADMIN));
            }
        }
        return new RoomState(roomId, newName, next.epoch(), next.hash(), after);
    }

    private void requireAdmin(RoomEvent event) throws InvalidRoomEventException {
        if (!isAdmin(event.author())) {
            throw new InvalidRoomEventException(event + ": its author " + event.author()
                    + " is not an admin, and only admins make this change");
        }
    }

    private void requireMember(RoomEvent event, PeerId peer) throws InvalidRoomEventException {
        if (!members.containsKey(peer)) {
            throw new InvalidRoomEventException(event + " names " + peer + ", who is not a member");
        }
    }

    private static void checkName(RoomEvent event, String name) throws InvalidRoomEventException {
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new InvalidRoomEventException(event + ": " + problem.get().replace("display name", "room name"));
        }
    }

    private static String hex(byte[] hash) {
        return hash == null ? "none" : HexFormat.of().formatHex(hash, 0, Math.min(8, hash.length)) + "…";
    }

    public RoomId roomId() {
        return roomId;
    }

    public String name() {
        return name;
    }

    /** The epoch of the log's head. */
    public long epoch() {
        return epoch;
    }

    public byte[] headHash() {
        return headHash.clone();
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

    /**
     * Whether {@code peer} is a member now and was one at {@code epoch} without a break since: whether it may
     * write under its sender key of that epoch.
     */
    public boolean wasMemberAt(PeerId peer, long epoch) {
        RoomMemberInfo member = members.get(peer);
        return member != null && member.joinedEpoch() <= epoch && epoch <= this.epoch;
    }

    @Override
    public String toString() {
        return "RoomState[" + roomId + " '" + name + "' epoch " + epoch + ", " + members.size() + " members]";
    }
}
