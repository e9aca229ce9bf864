package dev.parley.store;

import java.sql.SQLException;
import java.util.List;

/**
 * The rooms' sender keys: this user's own and those members sent it, one row per (room, owner, epoch). The key
 * bytes are opaque here (crypto's encoded sender key); they open the room's envelopes, so they live with the
 * history they open, and go with the room when it is deleted. A chained key is written again in the same write as
 * each envelope it seals or opens ({@link RoomEnvelopes}); a static one, from before chains, never changes.
 */
public final class SenderKeys {
    private final Database database;

    SenderKeys(Database database) {
        this.database = database;
    }

    /**
     * Keeps a key; one already held for the same (room, owner, epoch) is left as it is.
     *
     * @throws NotFoundException when the room is not stored
     */
    public InsertOutcome add(String roomId, String owner, long epoch, byte[] key) {
        Check.id("room id", roomId);
        Check.id("owner", owner);
        Check.present("sender key", key);
        return database.write(session -> {
            Conversations.forRoom(session, roomId).orElseThrow(() ->
                    new NotFoundException(NotFoundException.Entity.ROOM, roomId));
            return session.update("INSERT INTO sender_keys (room_id, owner, epoch, key) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (room_id, owner, epoch) DO NOTHING", roomId, owner, epoch, key) == 1
                    ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
        });
    }

    /**
     * Keeps a key as it stands now, replacing the one held for the same (room, owner, epoch): a chained key that moved
     * on, or a member's key that took an earlier hand-out in.
     *
     * @throws NotFoundException when the room is not stored
     */
    public void put(SenderKeyState state) {
        database.write(session -> {
            put(session, state);
            return null;
        });
    }

    static void put(SqliteSession session, SenderKeyState state) throws SQLException {
        Conversations.forRoom(session, state.roomId()).orElseThrow(() ->
                new NotFoundException(NotFoundException.Entity.ROOM, state.roomId()));
        session.update("INSERT INTO sender_keys (room_id, owner, epoch, key) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (room_id, owner, epoch) DO UPDATE SET key = excluded.key", state.roomId(),
                state.owner(), state.epoch(), state.key());
    }

    /**
     * Records to whom this user hands its own key of {@code epoch} in the room. Called before the key goes out, so
     * that a restart in between leaves no recipient without the right to ask for it again.
     */
    public void addRecipients(String roomId, long epoch, List<String> recipients) {
        Check.id("room id", roomId);
        List<String> peers = recipients.stream().map(peer -> Check.id("recipient", peer)).toList();
        database.write(session -> {
            for (String peer : peers) {
                session.update("INSERT INTO sender_key_recipients (room_id, epoch, recipient) VALUES (?, ?, ?)"
                        + " ON CONFLICT DO NOTHING", roomId, epoch, peer);
            }
            return null;
        });
    }

    /** Whether this user handed its own key of {@code epoch} in the room to {@code peer}. */
    public boolean handedTo(String roomId, long epoch, String peer) {
        return database.read(session -> session.number("SELECT count(*) FROM sender_key_recipients"
                + " WHERE room_id = ? AND epoch = ? AND recipient = ?", roomId, epoch, peer) > 0);
    }

    /** Every key of every room. */
    public List<byte[]> all() {
        return database.read(session -> session.list("SELECT key FROM sender_keys ORDER BY room_id, owner, epoch",
                row -> row.getBytes(1)));
    }

    /** Drops the room's keys, e.g. once this user has left it; returns how many there were. */
    public int forget(String roomId) {
        return database.write(session -> {
            session.update("DELETE FROM sender_key_recipients WHERE room_id = ?", roomId);
            return session.update("DELETE FROM sender_keys WHERE room_id = ?", roomId);
        });
    }
}
