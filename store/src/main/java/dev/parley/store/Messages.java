package dev.parley.store;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The messages of all conversations. A message is identified by its {@link MessageKey} (conversation, sender,
 * id): inserts are idempotent on it (envelopes arrive at least once; each is shown once), and every lookup names
 * it whole, since senders choose ids and one sender's id must not reach another's message. Pages run newest first
 * along (hybrid logical clock, id, sender).
 */
public final class Messages {
    static final String COLUMNS =
            "id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body, state";
    private static final int COLUMN_COUNT = 10;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The conflict target is the table's one unique key: (id, conversation_id, sender). */
    private static final String ON_DUPLICATE = " ON CONFLICT (id, conversation_id, sender) DO NOTHING";
    private static final String INSERT = "INSERT INTO messages (" + COLUMNS + ") VALUES " + ROW + ON_DUPLICATE;
    /**
     * Rows per multi-row insert: a statement per message costs more than the row itself (storing 300,000 messages
     * in 10,000-message transactions took 4.9 s one row per statement and 2.3 s a hundred rows per statement).
     */
    static final int ROWS_PER_STATEMENT = 100;
    private static final String INSERT_ROWS = "INSERT INTO messages (" + COLUMNS + ") VALUES "
            + String.join(", ", Collections.nCopies(ROWS_PER_STATEMENT, ROW)) + ON_DUPLICATE;
    /** Finds a message by its key. */
    static final String BY_KEY = " WHERE id = ? AND conversation_id = ? AND sender = ?";
    private static final String NEWEST = "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ?"
            + " ORDER BY hlc DESC, id DESC, sender DESC LIMIT ?";
    private static final String BEFORE = "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ?"
            + " AND (hlc, id, sender) < (?, ?, ?) ORDER BY hlc DESC, id DESC, sender DESC LIMIT ?";
    private static final String AFTER = "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ?"
            + " AND (hlc, id, sender) > (?, ?, ?) ORDER BY hlc, id, sender LIMIT ?";

    private final Database database;

    Messages(Database database) {
        this.database = database;
    }

    /**
     * Stores a message, or reports {@link InsertOutcome#DUPLICATE} and changes nothing when a message with its key
     * (conversation, sender, id) is stored. Returns once the message is durable.
     *
     * @throws BodyTooLongException when the body exceeds {@link StoreLimits#MAX_BODY_BYTES}
     * @throws NotFoundException    when the conversation does not exist
     */
    public InsertOutcome insert(StoredMessage message) {
        return Database.await(insertAsync(message));
    }

    /**
     * Like {@link #insert}, without waiting: the future completes once the message is durable (acknowledge the
     * envelope then). Messages inserted this way from one thread share commits, so a burst costs few fsyncs.
     */
    public CompletableFuture<InsertOutcome> insertAsync(StoredMessage message) {
        checkBody(message.id(), message.body());
        return database.writeAsync(session -> insert(session, message));
    }

    /**
     * Like {@link #insertAsync}, and records the session envelope that carried the message as opened in the same
     * write: a copy of the envelope sent again (its ack lost) is then known for one exactly when the message is
     * durable, at the cost of no write of its own. A duplicate message records the envelope all the same.
     */
    public CompletableFuture<InsertOutcome> insertOpenedAsync(StoredMessage message, OpenedEnvelope carrier) {
        checkBody(message.id(), message.body());
        return database.writeAsync(session -> {
            InsertOutcome outcome = insert(session, message);
            Sessions.recordOpened(session, carrier);
            return outcome;
        });
    }

    /**
     * Stores a message of ours and queues its envelope for each recipient in one write, so a crash leaves both or
     * neither: a message that is SENDING always has its envelopes in the outbox. The future completes once both are
     * durable. Each entry refers to the message, so that the recipient's acknowledgement marks this message
     * DELIVERED. A duplicate (the same key) changes nothing and queues nothing.
     *
     * @throws BodyTooLongException when the body exceeds {@link StoreLimits#MAX_BODY_BYTES}
     */
    public CompletableFuture<InsertOutcome> insertAndQueueAsync(StoredMessage message, List<String> recipients,
                                                                byte[] envelope) {
        return insertAndQueueAsync(message, recipients, Check.present("envelope", envelope), null);
    }

    /**
     * As {@link #insertAndQueueAsync(StoredMessage, List, byte[])}, each entry with the envelope, the recipe (the
     * app's plaintext to seal it under the recipient's session), or both; entries without an envelope wait for
     * {@link Outbox#sealAsync}.
     *
     * @throws InvalidInputException when both are missing
     */
    public CompletableFuture<InsertOutcome> insertAndQueueAsync(StoredMessage message, List<String> recipients,
                                                                byte[] envelope, byte[] recipe) {
        checkBody(message.id(), message.body());
        Outbox.checkEntry(message.id(), recipients, envelope, recipe);
        return database.writeAsync(session -> {
            InsertOutcome outcome = insert(session, message);
            if (outcome == InsertOutcome.INSERTED) {
                Outbox.queue(session, message.id(), recipients, envelope, recipe, message.receivedAt(),
                        seq(session, message.key()));
            }
            return outcome;
        });
    }

    /**
     * Stores many messages in one write: all or none. Returns each message's outcome, in order.
     *
     * @throws BodyTooLongException when any body is too long (nothing is stored)
     * @throws NotFoundException    when any message names a missing conversation (nothing is stored)
     */
    public List<InsertOutcome> insertAll(List<StoredMessage> messages) {
        messages.forEach(message -> checkBody(message.id(), message.body()));
        return database.write(session -> insertAll(session, messages));
    }

    /** {@link #insertAll} within a write already under way; the caller has checked the bodies. */
    static List<InsertOutcome> insertAll(SqliteSession session, List<StoredMessage> messages) throws SQLException {
        List<InsertOutcome> outcomes = new ArrayList<>(messages.size());
        int whole = messages.size() - messages.size() % ROWS_PER_STATEMENT;
        for (int from = 0; from < whole; from += ROWS_PER_STATEMENT) {
            outcomes.addAll(insertRows(session, messages.subList(from, from + ROWS_PER_STATEMENT)));
        }
        for (StoredMessage message : messages.subList(whole, messages.size())) {
            outcomes.add(insert(session, message));
        }
        return outcomes;
    }

    public Optional<StoredMessage> get(MessageKey key) {
        return database.read(session -> find(session, key));
    }

    /** Deletes a message and its receipts; returns whether there was one. */
    public boolean delete(MessageKey key) {
        return database.write(session -> session.update("DELETE FROM messages" + BY_KEY, key.id(),
                key.conversationId(), key.sender()) > 0);
    }

    /** The newest {@code limit} messages of a conversation, newest first. */
    public Page newest(String conversationId, int limit) {
        Check.limit(limit);
        return database.read(session -> page(session.list(NEWEST, Messages::read, conversationId, limit + 1), limit));
    }

    /** The {@code limit} messages just older than {@code cursor}, newest first. */
    public Page before(String conversationId, MessageCursor cursor, int limit) {
        Check.limit(limit);
        return database.read(session -> page(session.list(BEFORE, Messages::read,
                conversationId, cursor.hlc(), cursor.messageId(), cursor.sender(), limit + 1), limit));
    }

    /**
     * The {@code limit} messages just newer than {@code cursor}, <em>oldest</em> first: paging forward, e.g. from
     * a search hit towards the present. The page's {@code next} is where the following (newer) page starts.
     */
    public Page after(String conversationId, MessageCursor cursor, int limit) {
        Check.limit(limit);
        return database.read(session -> page(session.list(AFTER, Messages::read,
                conversationId, cursor.hlc(), cursor.messageId(), cursor.sender(), limit + 1), limit));
    }

    /**
     * Marks every unread incoming message up to and including {@code upTo} as read. Returns the messages that
     * became read, in conversation order: those to send read receipts for (to each one's sender).
     *
     * @throws NotFoundException when the conversation does not exist
     */
    public List<MessageKey> markRead(String conversationId, MessageCursor upTo) {
        return database.write(session -> {
            Conversations.require(session, conversationId);
            List<MessageKey> read = session.list("""
                    SELECT id, sender FROM messages
                    WHERE conversation_id = ? AND state = 'RECEIVED' AND (hlc, id, sender) <= (?, ?, ?)
                    ORDER BY hlc, id, sender""", row -> new MessageKey(conversationId, row.getString("sender"),
                    row.getString("id")), conversationId, upTo.hlc(), upTo.messageId(), upTo.sender());
            session.update("""
                    UPDATE messages SET state = 'READ'
                    WHERE conversation_id = ? AND state = 'RECEIVED' AND (hlc, id, sender) <= (?, ?, ?)""",
                    conversationId, upTo.hlc(), upTo.messageId(), upTo.sender());
            return read;
        });
    }

    /**
     * How many messages {@code sender} has in the conversation and how much text it makes us keep: their bodies, the
     * earlier versions of those it edited and its edits that wait for their message. What a first-contact request
     * holds, which the app keeps within a quota (also across restarts, so every text counts).
     */
    public KeptMessages kept(String conversationId, String sender) {
        return database.read(session -> {
            long[] count = {0};
            long[] bytes = {0};
            session.forEach("SELECT count(*), coalesce(sum(length(CAST(body AS BLOB))), 0) FROM messages"
                    + " WHERE conversation_id = ? AND sender = ?", row -> {
                        count[0] = row.getLong(1);
                        bytes[0] = row.getLong(2);
                    }, conversationId, sender);
            bytes[0] += session.number("SELECT coalesce(sum(length(CAST(e.body AS BLOB))), 0) FROM message_edits e"
                    + " JOIN messages m ON m.seq = e.message_seq WHERE m.conversation_id = ? AND m.sender = ?",
                    conversationId, sender);
            bytes[0] += session.number("SELECT coalesce(sum(length(CAST(detail AS BLOB))), 0) FROM pending_actions"
                    + " WHERE conversation_id = ? AND actor = ? AND kind = 'EDIT'", conversationId, sender);
            return new KeptMessages(count[0], bytes[0]);
        });
    }

    /** Incoming messages of the conversation the user has not read. */
    static int unreadCount(SqliteSession session, String conversationId) throws SQLException {
        return (int) session.number("SELECT count(*) FROM messages WHERE conversation_id = ? AND state = 'RECEIVED'",
                conversationId);
    }

    static Optional<StoredMessage> newest(SqliteSession session, String conversationId) throws SQLException {
        return session.first(NEWEST, Messages::read, conversationId, 1);
    }

    static Optional<StoredMessage> find(SqliteSession session, MessageKey key) throws SQLException {
        return session.first("SELECT " + COLUMNS + " FROM messages" + BY_KEY, Messages::read, key.id(),
                key.conversationId(), key.sender());
    }

    static StoredMessage require(SqliteSession session, MessageKey key) throws SQLException {
        return find(session, key).orElseThrow(() -> new NotFoundException(key));
    }

    /** The row number of a stored message, which receipts and outbox entries refer to it by. */
    static long seq(SqliteSession session, MessageKey key) throws SQLException {
        return session.first("SELECT seq FROM messages" + BY_KEY, row -> row.getLong(1), key.id(),
                key.conversationId(), key.sender()).orElseThrow(() -> new NotFoundException(key));
    }

    /**
     * Moves {@code message} forward to {@code state} if that is progress (receipts and acks may arrive late or
     * twice); returns whether it moved.
     *
     * @throws InvalidInputException when the state does not fit the message's direction
     */
    static boolean advance(SqliteSession session, StoredMessage message, MessageState state) throws SQLException {
        if (!state.allowedFor(message.direction())) {
            throw new InvalidInputException("message " + message.key() + " is " + message.direction()
                    + " and cannot become " + state);
        }
        if (state.compareTo(message.state()) <= 0) {
            return false;
        }
        MessageKey key = message.key();
        session.update("UPDATE messages SET state = ?" + BY_KEY, state, key.id(), key.conversationId(), key.sender());
        return true;
    }

    static InsertOutcome insert(SqliteSession session, StoredMessage message) throws SQLException {
        try {
            return session.update(INSERT, columnValues(message)) == 1 ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE;
        } catch (SQLException e) {
            Conversations.require(session, message.conversationId());
            throw e;
        }
    }

    /**
     * Inserts {@link #ROWS_PER_STATEMENT} messages with one statement. New rows get rowids above the highest one
     * before, so when some were duplicates, the rows above it are the ones this statement stored (asking for them
     * only then is cheaper than RETURNING, which SQLite buffers row by row).
     */
    private static List<InsertOutcome> insertRows(SqliteSession session, List<StoredMessage> rows)
            throws SQLException {
        Object[] values = new Object[rows.size() * COLUMN_COUNT];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(columnValues(rows.get(i)), 0, values, i * COLUMN_COUNT, COLUMN_COUNT);
        }
        long highestBefore = session.number("SELECT coalesce(max(seq), 0) FROM messages");
        int inserted;
        try {
            inserted = session.update(INSERT_ROWS, values);
        } catch (SQLException e) {
            for (StoredMessage message : rows) {
                Conversations.require(session, message.conversationId());
            }
            throw e;
        }
        if (inserted == rows.size()) {
            return Collections.nCopies(rows.size(), InsertOutcome.INSERTED);
        }
        Set<MessageKey> stored = new HashSet<>(session.list("SELECT id, conversation_id, sender FROM messages"
                + " WHERE seq > ?", row -> new MessageKey(row.getString("conversation_id"), row.getString("sender"),
                row.getString("id")), highestBefore));
        List<InsertOutcome> outcomes = new ArrayList<>(rows.size());
        for (StoredMessage message : rows) {
            // A key twice in the list is stored once: the first is INSERTED, the second a DUPLICATE.
            outcomes.add(stored.remove(message.key()) ? InsertOutcome.INSERTED : InsertOutcome.DUPLICATE);
        }
        return outcomes;
    }

    private static Object[] columnValues(StoredMessage message) {
        return new Object[] {message.id(), message.conversationId(), message.sender(), message.hlc(),
                message.sentAt(), message.receivedAt(), message.direction(), message.kind(), message.body(),
                message.state()};
    }

    static void checkBody(String id, String body) {
        // Only bodies that might be over the limit are encoded to count their bytes.
        if (body.length() * 3L > StoreLimits.MAX_BODY_BYTES) {
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > StoreLimits.MAX_BODY_BYTES) {
                throw new BodyTooLongException(id, bytes);
            }
        }
    }

    private static Page page(List<StoredMessage> fetched, int limit) {
        if (fetched.size() <= limit) {
            return new Page(fetched, Optional.empty());
        }
        List<StoredMessage> messages = fetched.subList(0, limit);
        return new Page(messages, Optional.of(messages.getLast().cursor()));
    }

    static StoredMessage read(ResultSet row) throws SQLException {
        return new StoredMessage(row.getString("id"), row.getString("conversation_id"), row.getString("sender"),
                row.getLong("hlc"), SqliteSession.instant(row, "sent_at"), SqliteSession.instant(row, "received_at"),
                SqliteSession.enumValue(row, "direction", Direction.class),
                SqliteSession.enumValue(row, "kind", MessageKind.class), row.getString("body"),
                SqliteSession.enumValue(row, "state", MessageState.class));
    }
}
