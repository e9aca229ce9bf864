package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Every room envelope a member holds, numbered per sender, and for each sender the highest number up to which
 * none is missing (its <em>contiguous</em> number): what a member tells another so that it hands over the rest.
 * An envelope is kept with the message it opened to, or unopened until its sender's key arrives.
 */
public final class RoomEnvelopes {
    private static final String COLUMNS = "room_id, sender, sender_seq, epoch, message_id, envelope";

    private final Database database;

    RoomEnvelopes(Database database) {
        this.database = database;
    }

    /**
     * Keeps an envelope, with the message it opened to if it could be opened, in one write, and moves the sender's
     * contiguous number on. An envelope whose (room, sender, number) is held already changes nothing
     * ({@link InsertOutcome#DUPLICATE}); so does a message whose key (room, sender, id) is stored.
     *
     * @throws NotFoundException    when the room is not stored
     * @throws BodyTooLongException when the message's body is too long (nothing is stored)
     */
    public CompletableFuture<InsertOutcome> addAsync(RoomEnvelope envelope, Optional<StoredMessage> opened) {
        return addAsync(envelope, opened, Optional.empty());
    }

    /**
     * As {@link #addAsync(RoomEnvelope, Optional)}, and keeps {@code key}, the sender key as sealing or opening the
     * envelope left it, in the same write: after a crash the key is never behind the envelopes sealed under it nor
     * ahead of the messages opened with it. An envelope held unopened already takes the message now: its key was
     * used to open it, and will not open it again.
     */
    public CompletableFuture<InsertOutcome> addAsync(RoomEnvelope envelope, Optional<StoredMessage> opened,
                                                     Optional<SenderKeyState> key) {
        return addAllAsync(List.of(new Addition(envelope, opened, key))).thenApply(List::getFirst);
    }

    /**
     * An envelope to keep with what opening it came to ({@link #addAsync(RoomEnvelope, Optional, Optional)}).
     *
     * @param opened its message, if it opened to one
     * @param key    the sender key as opening it left it, if it is chained
     */
    public record Addition(RoomEnvelope envelope, Optional<StoredMessage> opened, Optional<SenderKeyState> key) {
    }

    /**
     * Keeps envelopes as {@link #addAsync(RoomEnvelope, Optional, Optional)} keeps each, in the order given, in one
     * write: a member's catch-up takes thousands, and each room is checked, each sender key written and each
     * sender's contiguous number moved on once for all of them instead of once each. All are kept or, when the write
     * fails, none. The future holds each one's outcome, in the same order.
     *
     * @throws NotFoundException    (in the future) when a room is not stored
     * @throws BodyTooLongException when a message's body is too long (nothing is stored)
     */
    public CompletableFuture<List<InsertOutcome>> addAllAsync(List<Addition> additions) {
        additions.forEach(addition -> addition.opened()
                .ifPresent(message -> Messages.checkBody(message.id(), message.body())));
        List<Addition> kept = List.copyOf(additions);
        return database.writeAsync(session -> {
            Set<String> rooms = new HashSet<>();
            // The newest state of each key: they were taken in this order, and all are written in this transaction.
            Map<List<Object>, SenderKeyState> keys = new LinkedHashMap<>();
            Set<List<String>> senders = new LinkedHashSet<>();
            List<InsertOutcome> outcomes = new ArrayList<>(kept.size());
            for (Addition addition : kept) {
                RoomEnvelope envelope = addition.envelope();
                if (rooms.add(envelope.roomId())) {
                    Conversations.forRoom(session, envelope.roomId()).orElseThrow(() ->
                            new NotFoundException(NotFoundException.Entity.ROOM, envelope.roomId()));
                }
                addition.key().ifPresent(key -> keys.put(List.of(key.roomId(), key.owner(), key.epoch()), key));
                InsertOutcome outcome = add(session, envelope, addition.opened());
                if (outcome == InsertOutcome.INSERTED) {
                    senders.add(List.of(envelope.roomId(), envelope.sender()));
                }
                outcomes.add(outcome);
            }
            for (SenderKeyState key : keys.values()) {
                SenderKeys.put(session, key);
            }
            for (List<String> sender : senders) {
                advanceContiguous(session, sender.get(0), sender.get(1));
            }
            return outcomes;
        });
    }

    /**
     * Keeps one envelope; the caller moves the sender's contiguous number on after an INSERTED (which moving it on
     * after a message taken in the place of a deletion does not change).
     */
    private static InsertOutcome add(SqliteSession session, RoomEnvelope envelope, Optional<StoredMessage> opened)
            throws SQLException {
        int inserted = session.update("INSERT INTO room_envelopes (" + COLUMNS + ", opened)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, sender, sender_seq) DO NOTHING",
                envelope.roomId(), envelope.sender(), envelope.senderSeq(), envelope.epoch(),
                envelope.messageId(), envelope.envelope(), opened.isPresent() ? 1 : 0);
        if (inserted == 0) {
            // Its number may be held by the deletion that stands in for it (standIn): the message is still taken
            // (and its waiting deletion wipes it as it is applied), the envelope's sealed text is not.
            boolean standsIn = session.number("SELECT count(*) FROM room_envelopes WHERE room_id = ? AND sender = ?"
                    + " AND sender_seq = ? AND message_id = ?", envelope.roomId(), envelope.sender(),
                    envelope.senderSeq(), envelope.messageId()) > 0;
            if (!standsIn || opened.isEmpty()) {
                return InsertOutcome.DUPLICATE;
            }
            // Held unopened (its key came since), it counts as opened now: its message key is used up.
            session.update("UPDATE room_envelopes SET opened = 1 WHERE room_id = ? AND sender = ? AND sender_seq = ?",
                    envelope.roomId(), envelope.sender(), envelope.senderSeq());
            return Messages.insert(session, opened.get());
        }
        if (opened.isPresent() && Messages.insert(session, opened.get()) == InsertOutcome.DUPLICATE
                && deletedForEveryone(session, opened.get().key())) {
            // Its message was deleted for everyone before this envelope came (from a member that had not applied
            // the deletion yet): the number is held, the sealed text is not.
            session.update("UPDATE room_envelopes SET envelope = X'' WHERE room_id = ? AND sender = ?"
                    + " AND sender_seq = ?", envelope.roomId(), envelope.sender(), envelope.senderSeq());
        }
        return InsertOutcome.INSERTED;
    }

    /**
     * An unopened envelope was dealt with: it is marked opened, with the message it opened to, or with none when it
     * turned out not to open (it stays, to be handed on: it is genuine, as its signature showed). Returns whether
     * the message was stored now; it may have been, by another thread that opened the same envelope.
     */
    public InsertOutcome opened(RoomEnvelope envelope, Optional<StoredMessage> message) {
        return opened(envelope, message, Optional.empty());
    }

    /** As {@link #opened(RoomEnvelope, Optional)}, keeping {@code key} as opening left it, in the same write. */
    public InsertOutcome opened(RoomEnvelope envelope, Optional<StoredMessage> message, Optional<SenderKeyState> key) {
        message.ifPresent(m -> Messages.checkBody(m.id(), m.body()));
        return database.write(session -> {
            if (key.isPresent()) {
                SenderKeys.put(session, key.get());
            }
            session.update("UPDATE room_envelopes SET opened = 1 WHERE room_id = ? AND sender = ? AND sender_seq = ?",
                    envelope.roomId(), envelope.sender(), envelope.senderSeq());
            return message.isPresent() ? Messages.insert(session, message.get()) : InsertOutcome.DUPLICATE;
        });
    }

    /**
     * Puts {@code deletion}, its author's deletion for everyone of its message {@code messageId}, in the place of the
     * author's envelope numbered {@code number}: that message's own envelope (its text sealed under the room key) is
     * overwritten, or, when nothing is held under that number, the deletion is kept there, so that the number counts
     * as held (room sync compares the numbers each member holds, and would ask for it for ever) and a member that
     * lacks it is handed the deletion instead. Nothing when that number holds another message: the deletion named it
     * wrongly.
     *
     * @throws InvalidInputException when {@code number} is not below the deletion's own: an author numbers its
     *                               envelopes one after another, so whatever a deletion withdraws came before it, and a
     *                               number beyond would hold a place its author has not used yet
     */
    public void standIn(RoomEnvelope deletion, long number, String messageId) {
        standIn(deletion, number, messageId, messageId);
    }

    /**
     * As {@link #standIn(RoomEnvelope, long, String)}, and the envelope held under {@code number} is overwritten too
     * when it is {@code replaceable}'s (an edit of the message, as the caller found by opening it) or was wiped
     * already (empty: a deletion took its text, and a member that lacks it is better handed a deletion than
     * nothing).
     */
    public void standIn(RoomEnvelope deletion, long number, String messageId, String replaceable) {
        if (number <= 0 || number >= deletion.senderSeq()) {
            throw new InvalidInputException("deletion " + deletion.messageId() + " is number "
                    + deletion.senderSeq() + " of its author and cannot stand in for number " + number);
        }
        database.write(session -> {
            record Held(String messageId, boolean wiped) {
            }
            Optional<Held> held = session.first("SELECT message_id, length(envelope) = 0 FROM room_envelopes"
                    + " WHERE room_id = ? AND sender = ? AND sender_seq = ?",
                    row -> new Held(row.getString(1), row.getBoolean(2)), deletion.roomId(), deletion.sender(),
                    number);
            if (held.isEmpty()) {
                session.update("INSERT INTO room_envelopes (" + COLUMNS + ", opened) VALUES (?, ?, ?, ?, ?, ?, 1)",
                        deletion.roomId(), deletion.sender(), number, deletion.epoch(), messageId,
                        deletion.envelope());
                advanceContiguous(session, deletion.roomId(), deletion.sender());
            } else if (held.get().messageId().equals(messageId) || held.get().messageId().equals(replaceable)
                    || held.get().wiped()) {
                session.update("UPDATE room_envelopes SET envelope = ?, opened = 1 WHERE room_id = ? AND sender = ?"
                        + " AND sender_seq = ?", deletion.envelope(), deletion.roomId(), deletion.sender(), number);
            }
            return null;
        });
    }

    /** Records that this user's own edit envelope numbered {@code number} in the room changed {@code targetId}. */
    public void noteOwnEdit(String roomId, long number, String targetId) {
        Check.id("room id", roomId);
        Check.id("target id", targetId);
        database.write(session -> session.update("INSERT INTO room_own_edits (room_id, sender_seq, target_id)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING", roomId, number, targetId));
    }

    /** The numbers of this user's own edit envelopes in the room that changed {@code targetId} ({@link #noteOwnEdit}). */
    public List<Long> ownEdits(String roomId, String targetId) {
        return database.read(session -> session.list("SELECT sender_seq FROM room_own_edits WHERE room_id = ?"
                + " AND target_id = ? ORDER BY sender_seq", row -> row.getLong(1), roomId, targetId));
    }

    /** The envelope of {@code sender} held under {@code number}, unless there is none or it was wiped. */
    public Optional<RoomEnvelope> held(String roomId, String sender, long number) {
        return database.read(session -> session.first("SELECT " + COLUMNS + " FROM room_envelopes"
                + " WHERE room_id = ? AND sender = ? AND sender_seq = ? AND length(envelope) > 0",
                RoomEnvelopes::read, roomId, sender, number));
    }

    /** The envelopes of {@code sender} sealed under its key of {@code epoch} that wait for that key, by number. */
    public List<RoomEnvelope> unopened(String roomId, String sender, long epoch) {
        return database.read(session -> session.list("SELECT " + COLUMNS + " FROM room_envelopes"
                + " WHERE room_id = ? AND sender = ? AND epoch = ? AND opened = 0 ORDER BY sender_seq",
                RoomEnvelopes::read, roomId, sender, epoch));
    }

    /**
     * The numbers of {@code sender}'s envelopes in the room that carried the messages {@code messageIds}, by message
     * id; ids with no envelope of that sender are left out. What tells which of a sender's messages a member holds,
     * from the contiguous number it reports.
     */
    public Map<String, Long> senderNumbers(String roomId, String sender, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Map.of();
        }
        Check.limit(messageIds.size());
        String marks = String.join(", ", Collections.nCopies(messageIds.size(), "?"));
        List<Object> parameters = new ArrayList<>(List.of(roomId, sender));
        parameters.addAll(messageIds);
        return database.read(session -> {
            Map<String, Long> numbers = new LinkedHashMap<>();
            session.forEach("SELECT message_id, sender_seq FROM room_envelopes WHERE room_id = ? AND sender = ?"
                    + " AND message_id IN (" + marks + ")",
                    row -> numbers.put(row.getString(1), row.getLong(2)), parameters.toArray());
            return numbers;
        });
    }

    /** The (sender, epoch) keys that envelopes of the room wait for, as pairs of sender and epoch. */
    public List<Map.Entry<String, Long>> awaitedKeys(String roomId) {
        return database.read(session -> session.list("SELECT DISTINCT sender, epoch FROM room_envelopes"
                + " WHERE room_id = ? AND opened = 0 ORDER BY sender, epoch",
                row -> Map.entry(row.getString(1), row.getLong(2)), roomId));
    }

    /** Each sender of the room with its contiguous number. */
    public Map<String, Long> contiguous(String roomId) {
        return database.read(session -> {
            Map<String, Long> numbers = new LinkedHashMap<>();
            for (Object[] row : session.list("SELECT sender, contiguous FROM room_senders WHERE room_id = ?"
                    + " ORDER BY sender", row -> new Object[] {row.getString(1), row.getLong(2)}, roomId)) {
                numbers.put((String) row[0], (Long) row[1]);
            }
            return numbers;
        });
    }

    /** The highest number held of {@code sender}'s envelopes in the room; 0 for none. */
    public long highest(String roomId, String sender) {
        return database.read(session -> session.number("SELECT coalesce(max(sender_seq), 0) FROM room_envelopes"
                + " WHERE room_id = ? AND sender = ?", roomId, sender));
    }

    /**
     * Up to {@code limit} of {@code sender}'s envelopes numbered above {@code afterSeq} and sealed in
     * {@code minEpoch} or later, by number: what a member that holds up to {@code afterSeq} lacks (from the epoch it
     * joined in; it could not open older ones).
     */
    public List<RoomEnvelope> after(String roomId, String sender, long afterSeq, long minEpoch, int limit) {
        return after(roomId, sender, afterSeq, minEpoch, limit, Long.MAX_VALUE);
    }

    /**
     * As {@link #after(String, String, long, long, int)}, and only as many as fit in {@code maxBytes} of envelopes,
     * but at least one: a page whose size is known before it is read. The rows beyond are stepped over without
     * reading their envelopes.
     */
    public List<RoomEnvelope> after(String roomId, String sender, long afterSeq, long minEpoch, int limit,
                                    long maxBytes) {
        Check.limit(limit);
        return database.read(session -> {
            List<RoomEnvelope> page = new ArrayList<>();
            long[] bytes = {0};
            boolean[] full = {false};
            session.forEach("SELECT " + COLUMNS + ", length(envelope) AS size FROM room_envelopes"
                    + " WHERE room_id = ? AND sender = ? AND sender_seq > ? AND epoch >= ? AND length(envelope) > 0"
                    + " ORDER BY sender_seq LIMIT ?",
                    row -> {
                        long size = row.getLong("size");
                        full[0] |= !page.isEmpty() && bytes[0] + size > maxBytes;
                        if (!full[0]) {
                            bytes[0] += size;
                            page.add(read(row));
                        }
                    }, roomId, sender, afterSeq, minEpoch, limit);
            return page;
        });
    }

    private static boolean deletedForEveryone(SqliteSession session, MessageKey message) throws SQLException {
        return session.number("SELECT count(*) FROM messages m JOIN message_extras x ON x.message_seq = m.seq"
                + " WHERE m.id = ? AND m.conversation_id = ? AND m.sender = ? AND x.deleted_at IS NOT NULL",
                message.id(), message.conversationId(), message.sender()) > 0;
    }

    /** Moves the sender's contiguous number past every envelope now held right after it. */
    private static void advanceContiguous(SqliteSession session, String roomId, String sender) throws SQLException {
        session.update("INSERT INTO room_senders (room_id, sender, contiguous) VALUES (?, ?, 0)"
                + " ON CONFLICT (room_id, sender) DO NOTHING", roomId, sender);
        long contiguous = session.number("SELECT contiguous FROM room_senders WHERE room_id = ? AND sender = ?",
                roomId, sender);
        long reached = contiguous;
        while (session.number("SELECT count(*) FROM room_envelopes WHERE room_id = ? AND sender = ?"
                + " AND sender_seq = ?", roomId, sender, reached + 1) > 0) {
            reached++;
        }
        if (reached != contiguous) {
            session.update("UPDATE room_senders SET contiguous = ? WHERE room_id = ? AND sender = ?", reached, roomId,
                    sender);
        }
    }

    private static RoomEnvelope read(ResultSet row) throws SQLException {
        return new RoomEnvelope(row.getString("room_id"), row.getString("sender"), row.getLong("sender_seq"),
                row.getLong("epoch"), row.getString("message_id"), row.getBytes("envelope"));
    }
}
