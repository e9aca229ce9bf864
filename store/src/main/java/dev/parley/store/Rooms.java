package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rooms' membership logs and members. The log of a room is a chain: each event names the hash of the one before
 * and carries the next epoch. The members are the membership as of the head, stored with each event.
 */
public final class Rooms {
    private static final String LOG_COLUMNS = "room_id, epoch, hash, prev_hash, author, event";

    private final Database database;

    Rooms(Database database) {
        this.database = database;
    }

    /**
     * Appends the room's next membership event and replaces its member list with {@code members}, in one write.
     * An event whose hash is already stored is a no-op ({@link InsertOutcome#DUPLICATE}).
     *
     * @throws NotFoundException         when no conversation holds the room
     * @throws MembershipChainException  when the event does not extend the current head
     * @throws InvalidInputException     when a member belongs to another room
     */
    public InsertOutcome append(MembershipEvent event, List<RoomMember> members) {
        for (RoomMember member : members) {
            if (!member.roomId().equals(event.roomId())) {
                throw new InvalidInputException("member " + member.peerId() + " of room " + member.roomId()
                        + " listed with an event of room " + event.roomId());
            }
        }
        return database.write(session -> {
            if (session.number("SELECT count(*) FROM membership_log WHERE hash = ?", event.hash()) > 0) {
                return InsertOutcome.DUPLICATE;
            }
            if (Conversations.forRoom(session, event.roomId()).isEmpty()) {
                throw new NotFoundException(NotFoundException.Entity.ROOM, event.roomId());
            }
            checkExtendsHead(event, head(session, event.roomId()));
            session.update("INSERT INTO membership_log (" + LOG_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                    event.roomId(), event.epoch(), event.hash(), event.prevHash(), event.author(), event.event());
            session.update("DELETE FROM room_members WHERE room_id = ?", event.roomId());
            for (RoomMember member : members) {
                session.update("INSERT INTO room_members (room_id, peer_id, role, joined_epoch) VALUES (?, ?, ?, ?)",
                        member.roomId(), member.peerId(), member.role(), member.joinedEpoch());
            }
            return InsertOutcome.INSERTED;
        });
    }

    /** The room's newest membership event; empty for a room with no log yet. */
    public Optional<MembershipEvent> head(String roomId) {
        return database.read(session -> head(session, roomId));
    }

    /** The room's whole log, oldest first. */
    public List<MembershipEvent> log(String roomId) {
        return logAfter(roomId, -1);
    }

    /** The events after {@code epoch}, oldest first: what a member whose head is at {@code epoch} is missing. */
    public List<MembershipEvent> logAfter(String roomId, long epoch) {
        return database.read(session -> session.list("SELECT " + LOG_COLUMNS + " FROM membership_log"
                + " WHERE room_id = ? AND epoch > ? ORDER BY epoch", Rooms::readEvent, roomId, epoch));
    }

    /** The room's members as of its head, by peer id. */
    public List<RoomMember> members(String roomId) {
        return database.read(session -> session.list("SELECT room_id, peer_id, role, joined_epoch FROM room_members"
                        + " WHERE room_id = ? ORDER BY peer_id",
                row -> new RoomMember(row.getString("room_id"), row.getString("peer_id"),
                        SqliteSession.enumValue(row, "role", RoomRole.class), row.getLong("joined_epoch")),
                roomId));
    }

    private static void checkExtendsHead(MembershipEvent event, Optional<MembershipEvent> head) {
        long expectedEpoch = head.map(h -> h.epoch() + 1).orElse(0L);
        byte[] expectedPrevious = head.map(MembershipEvent::hash).orElse(null);
        if (event.epoch() != expectedEpoch || !Arrays.equals(event.prevHash(), expectedPrevious)) {
            HexFormat hex = HexFormat.of();
            throw new MembershipChainException("membership event at epoch " + event.epoch() + " of room "
                    + event.roomId() + " does not extend the log: expected epoch " + expectedEpoch
                    + " after " + (expectedPrevious == null ? "nothing" : hex.formatHex(expectedPrevious))
                    + ", got one after " + (event.prevHash() == null ? "nothing" : hex.formatHex(event.prevHash())));
        }
    }

    private static Optional<MembershipEvent> head(SqliteSession session, String roomId) throws SQLException {
        return session.first("SELECT " + LOG_COLUMNS + " FROM membership_log WHERE room_id = ?"
                + " ORDER BY epoch DESC LIMIT 1", Rooms::readEvent, roomId);
    }

    private static MembershipEvent readEvent(ResultSet row) throws SQLException {
        return new MembershipEvent(row.getString("room_id"), row.getLong("epoch"), row.getBytes("hash"),
                row.getBytes("prev_hash"), row.getString("author"), row.getBytes("event"));
    }
}
