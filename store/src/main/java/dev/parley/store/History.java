package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The history as a whole, for export and import: the conversations in a scope with what a profile needs to go on
 * with them, their messages streamed oldest first, and an import that stores a whole file in one write.
 */
public final class History {
    private static final String MESSAGE_COLUMNS = "m.seq, m.id, m.conversation_id, m.sender, m.hlc, m.sent_at,"
            + " m.received_at, m.direction, m.kind, m.body, m.state";
    /**
     * In (hlc, id, sender) order: the conversation index gives (hlc, id), and SQLite orders the messages that share
     * both by sender as they come. A message's receipts follow it on as many rows (the receipts' primary key finds
     * them), so the walk holds one message at a time.
     */
    private static final String MESSAGES_WITH_RECEIPTS = "SELECT " + MESSAGE_COLUMNS
            + ", r.peer_id AS receipt_peer, r.kind AS receipt_kind, r.at AS receipt_at"
            + " FROM messages m LEFT JOIN receipts r ON r.message_seq = m.seq"
            + " WHERE m.conversation_id = ? AND m.sent_at >= ? AND m.sent_at < ? AND (? OR m.kind <> 'NOTICE')"
            + " ORDER BY m.hlc, m.id, m.sender";
    private static final String COUNT = "SELECT count(*) FROM messages m WHERE m.conversation_id = ?"
            + " AND m.sent_at >= ? AND m.sent_at < ? AND (? OR m.kind <> 'NOTICE')";

    private final Database database;

    History(Database database) {
        this.database = database;
    }

    /**
     * The conversations in {@code scope}, oldest first, each with its contact entry or room. A scope limited in time
     * leaves out conversations with no message in it.
     *
     * @throws NotFoundException when the scope names a conversation the store does not hold
     */
    public List<HistoryConversation> conversations(HistoryScope scope) {
        return database.read(session -> {
            List<HistoryConversation> conversations = new ArrayList<>();
            for (Conversation conversation : inScope(session, scope)) {
                conversations.add(withWhatGoesOn(session, conversation));
            }
            return conversations;
        });
    }

    /** How many messages {@code scope} holds. */
    public long count(HistoryScope scope) {
        return database.read(session -> {
            long total = 0;
            for (Conversation conversation : inScope(session, scope)) {
                total += count(session, conversation.id(), scope);
            }
            return total;
        });
    }

    /**
     * Hands the conversation's messages in {@code scope} to {@code each}, oldest first (hybrid logical clock, then
     * id, then sender), reading them in one snapshot and holding one at a time. An unchecked exception from
     * {@code each} stops the walk and comes out of this method as it was thrown.
     */
    public void forEachMessage(String conversationId, HistoryScope scope, Consumer<HistoryMessage> each) {
        database.read(session -> {
            MessageGatherer gatherer = new MessageGatherer(each);
            session.forEach(MESSAGES_WITH_RECEIPTS, gatherer::row, conversationId, scope.fromMillis(),
                    scope.untilMillis(), scope.systemLines() ? 1 : 0);
            gatherer.finish();
            return null;
        });
    }

    /** The name the profile knows a peer by: its contact entry's, else one an import brought. */
    public Optional<String> knownName(String peerId) {
        return database.read(session -> session.first("SELECT display_name FROM contacts WHERE peer_id = ?"
                        + " UNION ALL SELECT name FROM peer_names WHERE peer_id = ? LIMIT 1",
                row -> row.getString(1), peerId, peerId));
    }

    /** Feeds what a history file holds to the store, in the file's order. */
    public interface ImportSource {
        /** Hands every conversation and then its messages to {@code sink}; fails with a {@link StoreException}. */
        void feed(ImportSink sink);
    }

    /** Takes what an {@link ImportSource} reads. */
    public interface ImportSink {
        /** A conversation; the messages that follow, up to the next conversation, belong to it. */
        void conversation(HistoryConversation conversation);

        void message(HistoryMessage message);

        /** Names the file gives people, by PeerId; kept for those the profile has no name for. */
        void names(Map<String, String> names);
    }

    /**
     * Stores everything {@code source} feeds in one write, so a file that turns out damaged halfway changes
     * nothing. Conversations the profile has (the same peer or room) take the file's messages in; contacts and rooms
     * it has are left as they are; messages it holds (the same conversation, sender and id) are skipped, so importing
     * twice adds nothing, and a file's message never stands in for another sender's of the same id. Names the
     * file gives people the profile has no name for are kept for later exports.
     */
    public ImportCounts importAll(ImportSource source) {
        return importAll(source, (fileKey, storedKey) -> { });
    }

    /**
     * As {@link #importAll(ImportSource)}, telling {@code added} of each message stored now — by its key in the file
     * and its key here, which differ when the file's conversation went into one the profile had — and of none it held
     * already: what the file says of a message beyond its text may be put only on a message the file brought.
     */
    public ImportCounts importAll(ImportSource source, BiConsumer<MessageKey, MessageKey> added) {
        return database.write(session -> {
            StoringSink sink = new StoringSink(session, added);
            source.feed(sink);
            sink.flush();
            return sink.counts();
        });
    }

    private static List<Conversation> inScope(SqliteSession session, HistoryScope scope) throws SQLException {
        List<Conversation> chosen = new ArrayList<>();
        if (scope.conversationId().isPresent()) {
            String id = scope.conversationId().get();
            chosen.add(Conversations.find(session, id)
                    .orElseThrow(() -> new NotFoundException(NotFoundException.Entity.CONVERSATION, id)));
        } else {
            chosen.addAll(session.list("SELECT " + Conversations.COLUMNS + " FROM conversations"
                    + " ORDER BY created_at, id", Conversations::read));
        }
        if (scope.limitedInTime()) {
            List<Conversation> withMessages = new ArrayList<>();
            for (Conversation conversation : chosen) {
                if (count(session, conversation.id(), scope) > 0) {
                    withMessages.add(conversation);
                }
            }
            return withMessages;
        }
        return chosen;
    }

    private static long count(SqliteSession session, String conversationId, HistoryScope scope) throws SQLException {
        return session.number(COUNT, conversationId, scope.fromMillis(), scope.untilMillis(),
                scope.systemLines() ? 1 : 0);
    }

    private static HistoryConversation withWhatGoesOn(SqliteSession session, Conversation conversation)
            throws SQLException {
        if (conversation.kind() == ConversationKind.DIRECT) {
            return new HistoryConversation(conversation, Contacts.find(session, conversation.peerId()),
                    Optional.empty());
        }
        String roomId = conversation.roomId();
        List<MembershipEvent> log = Rooms.log(session, roomId);
        List<RoomMember> members = Rooms.members(session, roomId);
        HistoryConversation.Room room = session.first("SELECT status, invited_by FROM room_status WHERE room_id = ?",
                        row -> new HistoryConversation.Room(SqliteSession.enumValue(row, "status", RoomStatus.class),
                                row.getString("invited_by"), log, members), roomId)
                .orElseGet(() -> new HistoryConversation.Room(RoomStatus.JOINED, null, log, members));
        return new HistoryConversation(conversation, Optional.empty(), Optional.of(room));
    }

    /** Turns the rows of {@link #MESSAGES_WITH_RECEIPTS} back into messages with their receipts. */
    private static final class MessageGatherer {
        private final Consumer<HistoryMessage> each;
        private StoredMessage current;
        private long currentSeq;
        private final List<Receipt> receipts = new ArrayList<>();

        MessageGatherer(Consumer<HistoryMessage> each) {
            this.each = each;
        }

        void row(ResultSet row) throws SQLException {
            long seq = row.getLong("seq");
            if (current == null || currentSeq != seq) {
                finish();
                current = Messages.read(row);
                currentSeq = seq;
            }
            String peer = row.getString("receipt_peer");
            if (peer != null) {
                receipts.add(new Receipt(peer, SqliteSession.enumValue(row, "receipt_kind", ReceiptKind.class),
                        SqliteSession.instant(row, "receipt_at")));
            }
        }

        void finish() {
            if (current != null) {
                receipts.sort(Comparator.comparing(Receipt::at).thenComparing(Receipt::peerId)
                        .thenComparing(Receipt::kind));
                each.accept(new HistoryMessage(current, receipts));
                current = null;
                receipts.clear();
            }
        }
    }

    /** Stores an import within one write: conversations as they come, messages a statement's worth at a time. */
    private static final class StoringSink implements ImportSink {
        private final SqliteSession session;
        private final List<HistoryMessage> pending = new ArrayList<>(Messages.ROWS_PER_STATEMENT);
        private String fileConversation;
        private String localConversation;
        private int conversationsAdded;
        private int conversationsMerged;
        private long messagesAdded;
        private long messagesHeld;
        private final BiConsumer<MessageKey, MessageKey> added;

        StoringSink(SqliteSession session, BiConsumer<MessageKey, MessageKey> added) {
            this.session = session;
            this.added = added;
        }

        @Override
        public void conversation(HistoryConversation conversation) {
            try {
                flush();
                fileConversation = conversation.conversation().id();
                Optional<Conversation> held = held(conversation.conversation());
                if (held.isPresent()) {
                    localConversation = held.get().id();
                    conversationsMerged++;
                } else {
                    create(conversation);
                    localConversation = fileConversation;
                    conversationsAdded++;
                }
            } catch (SQLException e) {
                throw new StoreException("storing conversation " + conversation.conversation().id() + " failed: "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void names(Map<String, String> names) {
            try {
                for (Map.Entry<String, String> name : names.entrySet()) {
                    session.update("INSERT INTO peer_names (peer_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            Check.id("peer id", name.getKey()), Check.present("name", name.getValue()));
                }
            } catch (SQLException e) {
                throw new StoreException("storing names failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void message(HistoryMessage message) {
            if (fileConversation == null || !fileConversation.equals(message.message().conversationId())) {
                throw new InvalidInputException("message " + message.message().id() + " of conversation "
                        + message.message().conversationId() + " does not follow its conversation");
            }
            Messages.checkBody(message.message().id(), message.message().body());
            pending.add(localConversation.equals(fileConversation) ? message : message.withConversation(
                    localConversation));
            if (pending.size() == Messages.ROWS_PER_STATEMENT) {
                try {
                    flush();
                } catch (SQLException e) {
                    throw new StoreException("storing messages failed: " + e.getMessage(), e);
                }
            }
        }

        void flush() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            List<StoredMessage> messages = pending.stream().map(HistoryMessage::message).toList();
            List<InsertOutcome> outcomes = Messages.insertAll(session, messages);
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) == InsertOutcome.INSERTED) {
                    messagesAdded++;
                    StoredMessage stored = messages.get(i);
                    added.accept(new MessageKey(fileConversation, stored.sender(), stored.id()), stored.key());
                } else {
                    messagesHeld++;
                }
            }
            for (HistoryMessage message : pending) {
                for (Receipt receipt : message.receipts()) {
                    Receipts.insertRow(session, message.message().key(), receipt);
                }
            }
            pending.clear();
        }

        ImportCounts counts() {
            return new ImportCounts(conversationsAdded, conversationsMerged, messagesAdded, messagesHeld);
        }

        /** The profile's own conversation for the same peer or room, or with the same id. */
        private Optional<Conversation> held(Conversation conversation) throws SQLException {
            Optional<Conversation> same = conversation.kind() == ConversationKind.DIRECT
                    ? Conversations.direct(session, conversation.peerId())
                    : Conversations.forRoom(session, conversation.roomId());
            if (same.isPresent()) {
                return same;
            }
            Optional<Conversation> sameId = Conversations.find(session, conversation.id());
            if (sameId.isPresent()) {
                throw new InvalidInputException("conversation " + conversation.id() + " in the file is "
                        + describe(conversation) + ", but this profile's conversation of that id is "
                        + describe(sameId.get()));
            }
            return Optional.empty();
        }

        private void create(HistoryConversation imported) throws SQLException {
            Conversation conversation = imported.conversation();
            if (conversation.kind() == ConversationKind.DIRECT) {
                Contact contact = imported.contact().orElseThrow();
                session.update("INSERT INTO contacts (" + Contacts.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (peer_id) DO NOTHING", contact.peerId(), contact.displayName(),
                        contact.hpkePublicKey(), contact.card(), contact.state(), contact.addedAt(), null);
                Conversations.create(session, conversation);
            } else {
                HistoryConversation.Room room = imported.room().orElseThrow();
                Rooms.create(session, conversation, room.status(), room.invitedBy(), room.log(), room.members());
            }
        }

        private static String describe(Conversation conversation) {
            return conversation.kind() == ConversationKind.DIRECT ? "with " + conversation.peerId()
                    : "room " + conversation.roomId();
        }
    }
}
