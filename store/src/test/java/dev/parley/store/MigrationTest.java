package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made at each older schema version, holding the rows that version could hold, opened by the current code:
 * the rows survive and the later versions' features work on them.
 */
class MigrationTest {
    private static final String BOB = "12D3KooWBob";

    @TempDir
    Path folder;

    /** Writes a file at {@code version}, then runs {@code statements} on it as plain SQL of that version. */
    private Path fileAtVersion(int version, String... statements) throws Exception {
        Path file = folder.resolve("v" + version + ".db");
        SchemaFiles.migrate(file, Schema.MIGRATIONS.subList(0, version));
        SchemaFiles.execute(file, statements);
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(version);
        return file;
    }

    private static final String[] VERSION_1_ROWS = {
        "INSERT INTO contacts VALUES ('" + ALICE + "', 'Alice', x'0102', NULL, 'ACCEPTED', 1000, NULL)",
        "INSERT INTO conversations VALUES ('chat', 'DIRECT', '" + ALICE + "', NULL, 'Alice', 1000)",
        "INSERT INTO conversations VALUES ('room-chat', 'ROOM', NULL, 'room-1', 'Climbing', 1000)",
        "INSERT INTO messages (id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body, state)"
            + " VALUES ('old-in', 'chat', '" + ALICE + "', 5, 2000, 2001, 'INCOMING', 'TEXT',"
            + " 'the glacier route looks good', 'RECEIVED')",
        "INSERT INTO messages (id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body, state)"
            + " VALUES ('old-out', 'chat', 'me', 6, 3000, 3000, 'OUTGOING', 'TEXT', 'bring the rope', 'SENT')",
        "INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES ('old-out', '" + ALICE
            + "', x'ee', 3000)",
    };

    /** Our message in the version 1 rows: sent by "me" in "chat". */
    private static final MessageKey OLD_OUT = new MessageKey("chat", "me", "old-out");

    @Test
    void aMissingFileAndAnEmptyFileGetTheCurrentSchema() throws Exception {
        Path missing = folder.resolve("new/profile.db");
        SqliteStore.open(missing).close();
        Path empty = Files.createFile(folder.resolve("empty.db"));
        SqliteStore.open(empty).close();
        for (Path file : List.of(missing, empty)) {
            assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
            assertThat(SchemaFiles.tables(file)).contains("contacts", "conversations", "messages", "outbox",
                    "receipts", "messages_fts", "room_members", "membership_log", "peer_addresses", "room_status",
                    "room_envelopes", "room_senders", "sender_keys", "sessions", "session_opened");
        }
    }

    @Test
    void fromVersion1MessagesBecomeSearchableAndGetReceiptsAndRoomsWork() throws Exception {
        Path file = fileAtVersion(1, VERSION_1_ROWS);
        assertThat(SchemaFiles.tables(file)).doesNotContain("receipts", "messages_fts", "room_members");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.messages().newest("chat", 10).messages()).extracting(StoredMessage::id)
                    .containsExactly("old-out", "old-in");
            assertThat(store.contacts().get(ALICE).orElseThrow().hpkePublicKey()).containsExactly(1, 2);
            assertThat(store.outbox().pending(ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("old-out");
            assertThat(store.conversations().list()).filteredOn(summary -> summary.conversation().id().equals("chat"))
                    .extracting(ConversationSummary::unread).containsExactly(1);

            assertThat(store.search().search("glacier", 10)).extracting(SearchHit::messageId)
                    .containsExactly("old-in");
            store.receipts().record(OLD_OUT, new Receipt(ALICE, ReceiptKind.READ, T0));
            assertThat(store.messages().get(OLD_OUT).orElseThrow().state()).isEqualTo(MessageState.READ);
            store.rooms().append(new MembershipEvent("room-1", 0, new byte[] {1}, "me", new byte[] {2}),
                    List.of(new RoomMember("room-1", "me", RoomRole.ADMIN, 0)));
            assertThat(TestData.room(store, "room-1").members()).hasSize(1);
            assertThat(store.rooms().statuses()).containsEntry("room-1", RoomStatus.JOINED);
        }
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void fromVersion2ReceiptsAndTheSearchIndexSurviveAndRoomsWork() throws Exception {
        String[] rows = List.of(VERSION_1_ROWS).toArray(new String[VERSION_1_ROWS.length + 2]);
        rows[VERSION_1_ROWS.length] = "INSERT INTO receipts VALUES ('old-out', '" + ALICE + "', 'DELIVERED', 4000)";
        rows[VERSION_1_ROWS.length + 1] = "UPDATE messages SET body = 'bring the orange rope' WHERE id = 'old-out'";
        Path file = fileAtVersion(2, rows);
        assertThat(SchemaFiles.tables(file)).contains("receipts", "messages_fts").doesNotContain("room_members");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(TestData.receipts(store, OLD_OUT))
                    .containsExactly(new Receipt(ALICE, ReceiptKind.DELIVERED, Instant.ofEpochMilli(4000)));
            assertThat(store.search().search("orange rope", 10)).extracting(SearchHit::messageId)
                    .containsExactly("old-out");
            assertThat(store.search().search("glacier", 10)).extracting(SearchHit::messageId)
                    .containsExactly("old-in");
            store.rooms().append(new MembershipEvent("room-1", 0, new byte[] {1}, "me", new byte[] {2}),
                    List.of(new RoomMember("room-1", "me", RoomRole.ADMIN, 0)));
            assertThat(store.rooms().log("room-1")).hasSize(1);
        }
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void fromVersion3RoomsSurviveAndContactsGetAddresses() throws Exception {
        String[] rows = List.of(VERSION_1_ROWS).toArray(new String[VERSION_1_ROWS.length + 2]);
        rows[VERSION_1_ROWS.length] = "INSERT INTO room_members VALUES ('room-1', 'me', 'ADMIN', 0)";
        rows[VERSION_1_ROWS.length + 1] = "INSERT INTO membership_log VALUES (x'01', 'room-1', 0, NULL, 'me', x'02')";
        Path file = fileAtVersion(3, rows);
        assertThat(SchemaFiles.tables(file)).contains("room_members").doesNotContain("peer_addresses");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(TestData.room(store, "room-1").members()).extracting(RoomMember::peerId)
                    .containsExactly("me");
            assertThat(store.rooms().log("room-1")).extracting(MembershipEvent::author).containsExactly("me");
            store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);
            assertThat(store.contacts().addresses(ALICE)).containsExactly("/ip4/10.200.0.2/tcp/4001");
        }
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    /** The addresses a version-6 file holds cannot be told apart; they become hints the contact confirms or not. */
    @Test
    void fromVersion6AddressesBecomeHints() throws Exception {
        String[] rows = List.of(VERSION_1_ROWS).toArray(new String[VERSION_1_ROWS.length + 1]);
        rows[VERSION_1_ROWS.length] = "INSERT INTO peer_addresses VALUES ('" + ALICE + "', '/ip4/10.200.0.2/tcp/4001',"
                + " 1000), ('" + ALICE + "', '/ip4/203.0.113.9/tcp/4001', 1000)";
        Path file = fileAtVersion(6, rows);

        try (SqliteStore store = SqliteStore.open(file)) {
            store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);
            assertThat(store.contacts().forgetHints(ALICE)).containsExactly("/ip4/203.0.113.9/tcp/4001");
            assertThat(store.contacts().addresses(ALICE)).containsExactly("/ip4/10.200.0.2/tcp/4001");
        }
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void fromVersion6MessagesKeepTheirReceiptsSearchAndOutboxAndIdsBecomePerConversationAndSender()
            throws Exception {
        List<String> rows = new ArrayList<>(List.of(VERSION_1_ROWS));
        rows.addAll(List.of(
                "INSERT INTO receipts VALUES ('old-out', '" + ALICE + "', 'DELIVERED', 4000)",
                "INSERT INTO receipts VALUES ('old-out', '" + ALICE + "', 'READ', 4500)",
                "INSERT INTO room_status VALUES ('room-1', 'JOINED', NULL)",
                "INSERT INTO messages (id, conversation_id, sender, hlc, sent_at, received_at, direction, kind, body,"
                    + " state) VALUES ('in-room', 'room-chat', '" + BOB + "', 7, 5000, 5001, 'INCOMING', 'TEXT',"
                    + " 'the crag is dry', 'RECEIVED')",
                "INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES ('a-read-receipt', '"
                    + ALICE + "', x'ff', 3500)",
                "INSERT INTO peer_names VALUES ('" + BOB + "', 'Bob')"));
        Path file = fileAtVersion(6, rows.toArray(String[]::new));
        MessageKey oldIn = new MessageKey("chat", ALICE, "old-in");
        MessageKey inRoom = new MessageKey("room-chat", BOB, "in-room");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.messages().newest("chat", 10).messages()).extracting(StoredMessage::key)
                    .containsExactly(OLD_OUT, oldIn);
            assertThat(store.messages().get(inRoom).map(StoredMessage::body)).contains("the crag is dry");
            assertThat(TestData.receipts(store, OLD_OUT)).containsExactly(
                    new Receipt(ALICE, ReceiptKind.DELIVERED, Instant.ofEpochMilli(4000)),
                    new Receipt(ALICE, ReceiptKind.READ, Instant.ofEpochMilli(4500)));
            assertThat(store.search().search("glacier", 10)).extracting(SearchHit::sender, SearchHit::messageId)
                    .containsExactly(tuple(ALICE, "old-in"));

            // The same ids from another sender, and in another conversation, are other messages.
            assertThat(store.messages().insert(new StoredMessage("old-in", "chat", "me", 8, T0, T0,
                    Direction.OUTGOING, MessageKind.TEXT, "crampons too", MessageState.SENDING)))
                    .isEqualTo(InsertOutcome.INSERTED);
            assertThat(store.messages().insert(new StoredMessage("old-out", "room-chat", BOB, 9, T0, T0,
                    Direction.INCOMING, MessageKind.TEXT, "see you there", MessageState.RECEIVED)))
                    .isEqualTo(InsertOutcome.INSERTED);
            assertThat(store.messages().insert(new StoredMessage("old-in", "chat", ALICE, 5, T0, T0,
                    Direction.INCOMING, MessageKind.TEXT, "a replay", MessageState.RECEIVED)))
                    .isEqualTo(InsertOutcome.DUPLICATE);

            // The outbox entry of the old message still delivers it; the receipt's entry delivers nothing.
            assertThat(store.outbox().acknowledgeAsync("a-read-receipt", ALICE, T0).join()).isFalse();
            assertThat(store.outbox().acknowledgeAsync("old-out", ALICE, T0).join()).isTrue();
            assertThat(store.messages().get(OLD_OUT).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);

            // The search triggers were made again with the table: edits and deletes reach the index.
            SchemaFiles.execute(file, "UPDATE messages SET body = 'the ridge route looks good'"
                    + " WHERE conversation_id = 'chat' AND sender = '" + ALICE + "' AND id = 'old-in'");
            store.messages().delete(inRoom);
            assertThat(store.search().search("glacier", 10)).isEmpty();
            assertThat(store.search().search("crag", 10)).isEmpty();
            assertThat(store.search().search("ridge", 10)).extracting(SearchHit::messageId).containsExactly("old-in");
        }
        // Foreign keys hold on the new tables: a conversation takes its messages' receipts with it.
        SchemaFiles.deleteConversation(file, "chat");
        assertThat(SchemaFiles.query(file, "SELECT count(*) FROM receipts")).containsExactly("0");
        assertThat(SchemaFiles.query(file, "PRAGMA foreign_key_check")).isEmpty();
        assertThat(SchemaFiles.query(file, "SELECT name FROM sqlite_master WHERE tbl_name = 'messages'"
                + " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")).containsExactly(
                "messages_by_conversation", "messages_search_delete", "messages_search_update", "messages_unread");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    /** Version 13 drops the outbox's attempt counts, which nothing wrote; every queued envelope stays, in order. */
    @Test
    void fromVersion12TheOutboxKeepsItsEntriesWithoutTheAttemptColumns() throws Exception {
        // Version 1's rows but its contact (the contacts table has grown a column since) and its outbox entry.
        List<String> rows = new ArrayList<>(List.of("INSERT INTO contacts (peer_id, display_name, hpke_public_key,"
                + " card, state, added_at) VALUES ('" + ALICE + "', 'Alice', x'0102', NULL, 'ACCEPTED', 1000)"));
        rows.addAll(List.of(VERSION_1_ROWS).subList(1, VERSION_1_ROWS.length - 1));
        rows.addAll(List.of(
                "INSERT INTO outbox (message_id, recipient, envelope, created_at, attempts, last_attempt_at,"
                    + " message_seq) VALUES ('old-out', '" + ALICE + "', x'ee', 3000, 3, 3500,"
                    + " (SELECT seq FROM messages WHERE id = 'old-out'))",
                "INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES ('a-read-receipt', '"
                    + ALICE + "', x'ff', 3600)"));
        Path file = fileAtVersion(12, rows.toArray(String[]::new));
        assertThat(SchemaFiles.query(file, "SELECT name FROM pragma_table_info('outbox')"))
                .contains("attempts", "last_attempt_at");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.outbox().pending(ALICE, 10)).extracting(OutboxEntry::messageId, OutboxEntry::createdAt)
                    .containsExactly(tuple("old-out", Instant.ofEpochMilli(3000)),
                            tuple("a-read-receipt", Instant.ofEpochMilli(3600)));
            assertThat(store.outbox().pending(ALICE, 10).getFirst().envelope()).containsExactly(0xee);
            // The entry still names the message it carries: its ack delivers that message.
            assertThat(store.outbox().acknowledgeAsync("old-out", ALICE, T0).join()).isTrue();
            assertThat(store.messages().get(OLD_OUT).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
            assertThat(store.outbox().pending(ALICE, 10)).extracting(OutboxEntry::messageId)
                    .containsExactly("a-read-receipt");
        }
        assertThat(SchemaFiles.query(file, "SELECT name FROM pragma_table_info('outbox') ORDER BY cid"))
                .containsExactly("seq", "message_id", "recipient", "envelope", "created_at", "message_seq", "recipe",
                        "held_by", "held_at");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void aRebuildThatLosesRowsOthersReferToIsRolledBack() throws Exception {
        String[] rows = List.of(VERSION_1_ROWS).toArray(new String[VERSION_1_ROWS.length + 1]);
        rows[VERSION_1_ROWS.length] = "INSERT INTO receipts VALUES ('old-out', '" + ALICE + "', 'DELIVERED', 4000)";
        Path file = fileAtVersion(6, rows);
        Migration careless = new Migration() {
            @Override
            public int version() {
                return 7;
            }

            @Override
            public boolean rebuildsTables() {
                return true;
            }

            @Override
            public void apply(SqliteSession session) throws SQLException {
                session.execute("CREATE TABLE messages_new (seq INTEGER PRIMARY KEY, id TEXT UNIQUE)");
                session.execute("DROP TABLE messages");
                session.execute("ALTER TABLE messages_new RENAME TO messages");
            }
        };
        List<Migration> steps = new ArrayList<>(Schema.MIGRATIONS.subList(0, 6));
        steps.add(careless);

        assertThatThrownBy(() -> SchemaFiles.migrate(file, steps)).isInstanceOf(StoreException.class)
                .hasMessageContaining("to schema version 7")
                .hasMessageContaining("receipts has a row that refers to a missing row of messages");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(6);
        assertThat(SchemaFiles.query(file, "SELECT count(*) FROM messages")).containsExactly("2");
        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(TestData.receipts(store, OLD_OUT)).hasSize(1);
        }
    }

    /** Version 14 makes the search index again with prefixes: every message of version 13 is found by a prefix. */
    @Test
    void fromVersion13EveryMessageIsFoundByThePrefixOfAWord() throws Exception {
        // Version 1's rows but its contact (the contacts table has grown a column since) and its outbox entry.
        List<String> rows = new ArrayList<>(List.of("INSERT INTO contacts (peer_id, display_name, hpke_public_key,"
                + " card, state, added_at) VALUES ('" + ALICE + "', 'Alice', x'0102', NULL, 'ACCEPTED', 1000)"));
        rows.addAll(List.of(VERSION_1_ROWS).subList(1, VERSION_1_ROWS.length - 1));
        Path file = fileAtVersion(13, rows.toArray(String[]::new));
        // Indexed as the store of version 13 would have at its next open.
        SchemaFiles.execute(file, "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
                "UPDATE search_state SET indexed_seq = (SELECT max(seq) FROM messages)");
        assertThat(SchemaFiles.query(file, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'glacier'"))
                .hasSize(1);
        assertThat(SchemaFiles.query(file, "SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").getFirst())
                .doesNotContain("prefix");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.search().search("glac", 10)).extracting(SearchHit::messageId).containsExactly("old-in");
            assertThat(store.search().search("ro", 10)).extracting(SearchHit::messageId)
                    .containsExactly("old-out", "old-in");
            store.messages().insert(TestData.incoming("chat", "later", 7, "a glacier walk"));
            assertThat(store.search().search("gl", 10)).extracting(SearchHit::messageId)
                    .containsExactly("later", "old-in");
        }
        assertThat(SchemaFiles.query(file, "SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").getFirst())
                .contains("prefix = '2 3'");
        assertThat(SchemaFiles.query(file, "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
                .contains("messages_search_delete", "messages_search_update");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void reopeningACurrentFileKeepsEverything() throws Exception {
        Path file = folder.resolve("profile.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            TestData.addAliceChat(store);
            store.messages().insert(TestData.incoming(TestData.CHAT, "m", 1, "persistent words"));
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.messages().get(TestData.fromAlice("m"))).isPresent();
            assertThat(store.search().search("persistent", 10)).hasSize(1);
        }
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
    }

    @Test
    void fromVersion16TheOutboxKeepsItsEntriesTheirNumbersAndMessagesAndMayWaitForASession() throws Exception {
        List<String> rows = new ArrayList<>(List.of("INSERT INTO contacts (peer_id, display_name, hpke_public_key,"
                + " card, state, added_at) VALUES ('" + ALICE + "', 'Alice', x'0102', NULL, 'ACCEPTED', 1000)"));
        rows.addAll(List.of(VERSION_1_ROWS).subList(1, VERSION_1_ROWS.length - 1));
        rows.addAll(List.of(
                // Numbers with gaps (acknowledged entries left them): the copy keeps them as they are.
                "INSERT INTO outbox (seq, message_id, recipient, envelope, created_at) VALUES (5, 'a-read-receipt', '"
                    + ALICE + "', x'ff', 3600)",
                "INSERT INTO outbox (seq, message_id, recipient, envelope, created_at, message_seq) VALUES (9,"
                    + " 'old-out', '" + ALICE + "', x'ee', 3000, (SELECT seq FROM messages WHERE id = 'old-out'))"));
        Path file = fileAtVersion(16, rows.toArray(String[]::new));
        String entries = "SELECT seq || ':' || message_id || ':' || hex(envelope) || ':' || ifnull(message_seq, '-')"
                + " FROM outbox ORDER BY seq";
        List<String> before = SchemaFiles.query(file, entries);
        assertThat(before).hasSize(2).last().asString().doesNotEndWith(":-");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(SchemaFiles.query(file, entries)).isEqualTo(before);
            assertThat(store.outbox().pending(ALICE, 10)).extracting(OutboxEntry::messageId)
                    .containsExactly("a-read-receipt", "old-out");
            assertThat(store.outbox().waiting(ALICE)).isEmpty();
            // A new entry waits for a session, numbered after the old ones.
            store.outbox().addAsync("new", ALICE, null, new byte[] {1}, T0).join();
            assertThat(store.outbox().waiting(ALICE)).extracting(WaitingEntry::messageId).containsExactly("new");
            assertThat(SchemaFiles.query(file, "SELECT seq FROM outbox WHERE message_id = 'new'"))
                    .containsExactly("10");
            // The old entry still names its message: the ack delivers it.
            assertThat(store.outbox().acknowledgeAsync("old-out", ALICE, T0).join()).isTrue();
            assertThat(store.messages().get(OLD_OUT).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
        }
        assertThat(SchemaFiles.query(file, "SELECT name || ':' || ifnull(sql, '') FROM sqlite_master"
                + " WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name"))
                .containsExactly("outbox_by_message:CREATE INDEX outbox_by_message ON outbox (message_seq)"
                                + " WHERE message_seq IS NOT NULL",
                        "outbox_by_recipient:CREATE INDEX outbox_by_recipient ON outbox (recipient, seq)");
        assertThat(SchemaFiles.tables(file)).contains("sessions", "session_opened").doesNotContain("outbox_v17");
        assertThatThrownBy(() -> SchemaFiles.execute(file, "INSERT INTO outbox (message_id, recipient, created_at)"
                + " VALUES ('neither', 'bob', 0)")).hasMessageContaining("CHECK constraint failed");
        // A deleted message still leaves its entries queued, no longer naming it (the foreign key came along).
        SchemaFiles.execute(file, "PRAGMA foreign_keys = ON", "INSERT INTO outbox (message_id, recipient, envelope,"
                + " created_at, message_seq) VALUES ('old-in', 'bob', x'01', 0, (SELECT seq FROM messages"
                + " WHERE id = 'old-in'))", "DELETE FROM messages WHERE id = 'old-in'");
        assertThat(SchemaFiles.query(file, "SELECT ifnull(message_seq, '-') FROM outbox WHERE message_id = 'old-in'"))
                .containsExactly("-");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void fromVersion17QueuedEntriesAreHeldNowhereAndStillGoOut() throws Exception {
        List<String> rows = new ArrayList<>(List.of("INSERT INTO contacts (peer_id, display_name, hpke_public_key,"
                + " card, state, added_at) VALUES ('" + ALICE + "', 'Alice', x'0102', NULL, 'ACCEPTED', 1000)"));
        rows.addAll(List.of(VERSION_1_ROWS).subList(1, VERSION_1_ROWS.length));
        rows.add("INSERT INTO outbox (message_id, recipient, envelope, created_at) VALUES ('a-read-receipt', '"
                + ALICE + "', x'ff', 3600)");
        Path file = fileAtVersion(17, rows.toArray(String[]::new));

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.outbox().unheld(ALICE, 10)).extracting(OutboxEntry::messageId)
                    .containsExactly("old-out", "a-read-receipt");
            assertThat(store.mailboxes().own()).isEmpty();
            assertThat(store.mailboxes().held(ALICE)).isEmpty();
        }
        assertThat(SchemaFiles.tables(file)).contains("own_mailbox", "mailbox_grants_given", "mailbox_grants_held");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(SchemaFiles.integrityCheck(file)).containsExactly("ok");
    }

    @Test
    void aStepThatFailsLeavesTheFileAtThePreviousVersion() throws Exception {
        Path file = fileAtVersion(1, VERSION_1_ROWS);
        Migration broken = new Migration() {
            @Override
            public int version() {
                return 2;
            }

            @Override
            public void apply(SqliteSession session) throws SQLException {
                session.execute("CREATE TABLE half_done (x)");
                session.execute("INSERT INTO no_such_table VALUES (1)");
            }
        };
        assertThatThrownBy(() -> SchemaFiles.migrate(file, List.of(new V1ContactsAndMessages(), broken)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot migrate " + file.toAbsolutePath() + " to schema version 2")
                .hasMessageContaining("no_such_table");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(1);
        assertThat(SchemaFiles.tables(file)).doesNotContain("half_done");

        try (SqliteStore store = SqliteStore.open(file)) {
            assertThat(store.search().search("rope", 10)).extracting(SearchHit::messageId).containsExactly("old-out");
        }
    }

    @Test
    void aFileFromANewerParleyIsRefusedNotDowngraded() throws Exception {
        Path file = folder.resolve("future.db");
        SqliteStore.open(file).close();
        SchemaFiles.execute(file, "PRAGMA user_version = " + (Schema.CURRENT_VERSION + 1));
        assertThatThrownBy(() -> SqliteStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessage(file.toAbsolutePath() + " has schema version " + (Schema.CURRENT_VERSION + 1)
                        + ", newer than this Parley knows (" + Schema.CURRENT_VERSION
                        + "); open it with the newer Parley that wrote it");
        assertThat(SchemaFiles.userVersion(file)).isEqualTo(Schema.CURRENT_VERSION + 1);
    }
}
