package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Direct conversations (one per peer) and room conversations (one per room). */
public final class Conversations {
    static final String COLUMNS = "id, kind, peer_id, room_id, title, created_at";

    private final Database database;

    Conversations(Database database) {
        this.database = database;
    }

    /**
     * Creates a conversation, or reports {@link InsertOutcome#DUPLICATE} when its id exists.
     *
     * @throws NotFoundException     when a direct conversation's peer is not stored as a contact
     * @throws InvalidInputException when the peer or room already has another conversation
     */
    public InsertOutcome create(Conversation conversation) {
        return database.write(session -> create(session, conversation));
    }

    static InsertOutcome create(SqliteSession session, Conversation conversation) throws SQLException {
        if (find(session, conversation.id()).isPresent()) {
            return InsertOutcome.DUPLICATE;
        }
        if (conversation.peerId() != null) {
            Contacts.require(session, conversation.peerId());
        }
        Optional<Conversation> existing = conversation.peerId() != null
                ? direct(session, conversation.peerId()) : forRoom(session, conversation.roomId());
        if (existing.isPresent()) {
            throw new InvalidInputException("cannot create conversation " + conversation.id() + ": "
                    + (conversation.peerId() != null ? "peer " + conversation.peerId() : "room "
                    + conversation.roomId()) + " already has conversation " + existing.get().id());
        }
        session.update("INSERT INTO conversations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                conversation.id(), conversation.kind(), conversation.peerId(), conversation.roomId(),
                conversation.title(), conversation.createdAt());
        return InsertOutcome.INSERTED;
    }

    public Optional<Conversation> get(String id) {
        return database.read(session -> find(session, id));
    }

    /** The direct conversation with a peer. */
    public Optional<Conversation> direct(String peerId) {
        return database.read(session -> direct(session, peerId));
    }

    /** A room's conversation. */
    public Optional<Conversation> forRoom(String roomId) {
        return database.read(session -> forRoom(session, roomId));
    }

    /** Every conversation with its newest message and unread count, most recently active first. */
    public List<ConversationSummary> list() {
        return database.read(session -> {
            List<ConversationSummary> summaries = new ArrayList<>();
            for (Conversation conversation : session.list("SELECT " + COLUMNS + " FROM conversations",
                    Conversations::read)) {
                Optional<StoredMessage> last = Messages.newest(session, conversation.id());
                Instant lastActivity = last.map(Conversations::activity).orElse(conversation.createdAt());
                summaries.add(new ConversationSummary(conversation, last,
                        Messages.unreadCount(session, conversation.id()), lastActivity));
            }
            summaries.sort(Comparator.comparing(ConversationSummary::lastActivity).reversed());
            return summaries;
        });
    }

    /** @throws NotFoundException when there is no such conversation */
    public void rename(String id, String title) {
        Check.present("title", title);
        database.write(session -> {
            require(session, id);
            return session.update("UPDATE conversations SET title = ? WHERE id = ?", title, id);
        });
    }

    static Conversation require(SqliteSession session, String id) throws SQLException {
        return find(session, id).orElseThrow(() -> new NotFoundException(NotFoundException.Entity.CONVERSATION, id));
    }

    static Optional<Conversation> forRoom(SqliteSession session, String roomId) throws SQLException {
        return session.first("SELECT " + COLUMNS + " FROM conversations WHERE room_id = ?", Conversations::read,
                roomId);
    }

    static Optional<Conversation> find(SqliteSession session, String id) throws SQLException {
        return session.first("SELECT " + COLUMNS + " FROM conversations WHERE id = ?", Conversations::read, id);
    }

    static Optional<Conversation> direct(SqliteSession session, String peerId) throws SQLException {
        return session.first("SELECT " + COLUMNS + " FROM conversations WHERE peer_id = ?", Conversations::read,
                peerId);
    }

    private static Instant activity(StoredMessage message) {
        return message.direction() == Direction.INCOMING ? message.receivedAt() : message.sentAt();
    }

    static Conversation read(ResultSet row) throws SQLException {
        return new Conversation(row.getString("id"), SqliteSession.enumValue(row, "kind", ConversationKind.class),
                row.getString("peer_id"), row.getString("room_id"), row.getString("title"),
                SqliteSession.instant(row, "created_at"));
    }
}
