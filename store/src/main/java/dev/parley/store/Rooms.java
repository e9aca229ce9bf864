package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rooms' membership logs and members. The log of a room is the set of its signed events, unique by hash; the
 * members are the membership the log comes to, stored with each event.
 */
public final class Rooms {
    private static final String LOG_COLUMNS = "room_id, epoch, hash, author, event";

    private final Database database;

    Rooms(Database database) {
        this.database = database;
    }

    /**
     * Stores a room this user joins or is invited to: its conversation, this user's status in it, its log as far as
     * it is known, and its members as of that log's head, in one write. A room whose conversation is stored already
     * changes nothing ({@link InsertOutcome#DUPLICATE}).
     *
     * @param invitedBy who invited this user; null for the room's creator
     * @throws InvalidInputException when an event or member belongs to another room
     */
    public InsertOutcome create(Conversation room, RoomStatus status, String invitedBy, List<MembershipEvent> log,
                                List<RoomMember> members) {
        Check.present("room status", status);
        Check.optionalId("invited by", invitedBy);
        checkBelongs(room, log, members);
        return database.write(session -> create(session, room, status, invitedBy, log, members));
    }

    /** {@link #create} within a write already under way; the caller has checked the arguments. */
    static InsertOutcome create(SqliteSession session, Conversation room, RoomStatus status, String invitedBy,
                                List<MembershipEvent> log, List<RoomMember> members) throws SQLException {
        if (Conversations.create(session, room) == InsertOutcome.DUPLICATE) {
            return InsertOutcome.DUPLICATE;
        }
        session.update("INSERT INTO room_status (room_id, status, invited_by) VALUES (?, ?, ?)", room.roomId(),
                status, invitedBy);
        for (MembershipEvent event : log) {
            insertEvent(session, event);
        }
        replaceMembers(session, room.roomId(), members);
        return InsertOutcome.INSERTED;
    }

    /** Checks that every event and member of a room to be stored belongs to it. */
    static void checkBelongs(Conversation room, List<MembershipEvent> log, List<RoomMember> members) {
        if (room.roomId() == null) {
            throw new InvalidInputException("conversation " + room.id() + " is not a room's");
        }
        for (MembershipEvent event : log) {
            checkSameRoom(room.roomId(), "membership event at epoch " + event.epoch(), event.roomId());
        }
        members.forEach(member -> checkSameRoom(room.roomId(), "member " + member.peerId(), member.roomId()));
    }

    /** @throws NotFoundException when the store does not hold the room */
    public void setStatus(String roomId, RoomStatus status) {
        Check.present("room status", status);
        database.write(session -> {
            if (session.update("UPDATE room_status SET status = ? WHERE room_id = ?", status, roomId) == 0) {
                throw new NotFoundException(NotFoundException.Entity.ROOM, roomId);
            }
            return null;
        });
    }

    /** Every room the store holds, with this user's status in it. */
    public Map<String, RoomStatus> statuses() {
        return database.read(session -> {
            Map<String, RoomStatus> statuses = new LinkedHashMap<>();
            for (Object[] row : session.list("SELECT room_id, status FROM room_status ORDER BY room_id",
                    row -> new Object[] {row.getString("room_id"),
                            SqliteSession.enumValue(row, "status", RoomStatus.class)})) {
                statuses.put((String) row[0], (RoomStatus) row[1]);
            }
            return statuses;
        });
    }

    /**
     * Adds a membership event to the room's log and replaces its member list with {@code members}, in one write.
     * An event whose hash is already stored is a no-op ({@link InsertOutcome#DUPLICATE}).
     *
     * @throws NotFoundException     when no conversation holds the room
     * @throws InvalidInputException when a member belongs to another room
     */
    public InsertOutcome append(MembershipEvent event, List<RoomMember> members) {
        members.forEach(member -> checkSameRoom(event.roomId(), "member " + member.peerId(), member.roomId()));
        return database.write(session -> {
            if (session.number("SELECT count(*) FROM membership_log WHERE hash = ?", event.hash()) > 0) {
                return InsertOutcome.DUPLICATE;
            }
            if (Conversations.forRoom(session, event.roomId()).isEmpty()) {
                throw new NotFoundException(NotFoundException.Entity.ROOM, event.roomId());
            }
            insertEvent(session, event);
            replaceMembers(session, event.roomId(), members);
            return InsertOutcome.INSERTED;
        });
    }

    private static void checkSameRoom(String roomId, String what, String itsRoom) {
        if (!itsRoom.equals(roomId)) {
            throw new InvalidInputException(what + " of room " + itsRoom + " listed with room " + roomId);
        }
    }

    private static void insertEvent(SqliteSession session, MembershipEvent event) throws SQLException {
        session.update("INSERT INTO membership_log (" + LOG_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                event.roomId(), event.epoch(), event.hash(), event.author(), event.event());
    }

    private static void replaceMembers(SqliteSession session, String roomId, List<RoomMember> members)
            throws SQLException {
        session.update("DELETE FROM room_members WHERE room_id = ?", roomId);
        for (RoomMember member : members) {
            session.update("INSERT INTO room_members (room_id, peer_id, role, joined_epoch) VALUES (?, ?, ?, ?)",
                    member.roomId(), member.peerId(), member.role(), member.joinedEpoch());
        }
    }

    /**
     * Records where a fellow room member who is no contact was reachable at {@code seen}: an invitation's hints, or
     * (with {@code itsOwnWord}) what the member said itself, which then replaces whatever was held. Beyond
     * {@link StoreLimits#MAX_ADDRESSES_PER_PEER}, the least recently seen are forgotten.
     */
    public void rememberMemberAddresses(String peerId, List<String> multiaddrs, Instant seen, boolean itsOwnWord) {
        Check.id("member", peerId);
        Instant time = Check.time("address seen time", seen);
        List<String> addresses = multiaddrs.stream().map(address -> Check.id("multiaddr", address)).toList();
        database.write(session -> {
            if (itsOwnWord) {
                session.update("DELETE FROM member_addresses WHERE peer_id = ?", peerId);
            }
            for (String address : addresses) {
                session.update("INSERT INTO member_addresses (peer_id, multiaddr, last_seen) VALUES (?, ?, ?)"
                        + " ON CONFLICT (peer_id, multiaddr) DO UPDATE SET last_seen = max(last_seen,"
                        + " excluded.last_seen)", peerId, address, time);
            }
            session.update("DELETE FROM member_addresses WHERE peer_id = ? AND multiaddr NOT IN (SELECT multiaddr"
                    + " FROM member_addresses WHERE peer_id = ? ORDER BY last_seen DESC, multiaddr LIMIT ?)",
                    peerId, peerId, StoreLimits.MAX_ADDRESSES_PER_PEER);
            return null;
        });
    }

    /** Where a fellow room member was last reachable, most recently seen first. */
    public List<String> memberAddresses(String peerId) {
        return database.read(session -> session.list("SELECT multiaddr FROM member_addresses WHERE peer_id = ?"
                + " ORDER BY last_seen DESC, multiaddr", row -> row.getString(1), peerId));
    }

    /** The room's whole log by epoch, then hash: every event after those it follows. */
    public List<MembershipEvent> log(String roomId) {
        return database.read(session -> log(session, roomId));
    }

    static List<MembershipEvent> log(SqliteSession session, String roomId) throws SQLException {
        return session.list("SELECT " + LOG_COLUMNS + " FROM membership_log WHERE room_id = ? ORDER BY epoch, hash",
                Rooms::readEvent, roomId);
    }

    /** The room's members as of its head, by peer id. */
    static List<RoomMember> members(SqliteSession session, String roomId) throws SQLException {
        return session.list("SELECT room_id, peer_id, role, joined_epoch FROM room_members WHERE room_id = ?"
                        + " ORDER BY peer_id",
                row -> new RoomMember(row.getString("room_id"), row.getString("peer_id"),
                        SqliteSession.enumValue(row, "role", RoomRole.class), row.getLong("joined_epoch")),
                roomId);
    }

    private static MembershipEvent readEvent(ResultSet row) throws SQLException {
        return new MembershipEvent(row.getString("room_id"), row.getLong("epoch"), row.getBytes("hash"),
                row.getString("author"), row.getBytes("event"));
    }
}
