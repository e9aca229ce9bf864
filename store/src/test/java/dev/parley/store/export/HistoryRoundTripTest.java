package dev.parley.store.export;

import static dev.parley.store.export.SampleHistory.ME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.Conversation;
import dev.parley.store.Direction;
import dev.parley.store.HistoryScope;
import dev.parley.store.ImportCounts;
import dev.parley.store.MessageActions;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Notice;
import dev.parley.store.RoomMember;
import dev.parley.store.SessionNotice;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export to JSON and import back, on real SQLite files: byte-identical round trips, merging, the schema, scopes. */
class HistoryRoundTripTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path temp;
    SqliteStore original;
    List<SqliteStore> opened = new ArrayList<>();
    int messages;

    @BeforeEach
    void fill() {
        original = open("original");
        messages = SampleHistory.fill(original);
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteStore::close);
    }

    SqliteStore open(String name) {
        SqliteStore store = SqliteStore.open(temp.resolve(name).resolve("parley.db"));
        opened.add(store);
        return store;
    }

    /** The sample room's members as the store holds them, read the way an export reads them. */
    static List<RoomMember> membersOfTheRoom(SqliteStore store) {
        return store.history().conversations(HistoryScope.everything()).stream()
                .filter(held -> SampleHistory.ROOM.equals(held.conversation().roomId())).findFirst().orElseThrow()
                .room().orElseThrow().members();
    }

    Path export(SqliteStore store, ExportFormat format, HistoryScope scope, String name) {
        Path file = temp.resolve(name);
        HistoryExporter.Summary summary = new HistoryExporter(store, ME, SampleHistory.callersNames())
                .export(format, scope, BERLIN, file, false, ExportProgress.NONE);
        assertThat(summary.file()).isEqualTo(file);
        assertThat(summary.bytes()).isEqualTo(size(file));
        return file;
    }

    @Test
    void exportImportIntoAnEmptyProfileAndExportAgainGivesTheSameBytes() throws Exception {
        Path first = export(original, ExportFormat.JSON, HistoryScope.everything(), "first.json");
        SqliteStore restored = open("restored");

        ImportCounts counts = new HistoryImporter(restored).importFrom(first, ExportProgress.NONE);

        assertThat(counts).isEqualTo(new ImportCounts(2, 0, messages, 0));
        Path second = export(restored, ExportFormat.JSON, HistoryScope.everything(), "second.json");
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        assertThat(restored.contacts().get(SampleHistory.ALICE)).get().extracting(Contact::state, Contact::card)
                .containsExactly(ContactState.ACCEPTED, new byte[] {4, 5, 6});
        assertThat(restored.rooms().log(SampleHistory.ROOM)).hasSize(3);
        assertThat(membersOfTheRoom(restored)).isEqualTo(membersOfTheRoom(original));
        assertThat(restored.search().search("naïve", 10)).hasSize(2);
    }

    @Test
    void importingTheSameFileTwiceAddsNothingTheSecondTime() throws Exception {
        Path file = export(original, ExportFormat.JSON, HistoryScope.everything(), "history.json");
        SqliteStore restored = open("restored");
        new HistoryImporter(restored).importFrom(file, ExportProgress.NONE);

        ImportCounts again = new HistoryImporter(restored).importFrom(file, ExportProgress.NONE);

        assertThat(again).isEqualTo(new ImportCounts(0, 2, 0, messages));
        Path after = export(restored, ExportFormat.JSON, HistoryScope.everything(), "after.json");
        assertThat(Files.readAllBytes(after)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void anImportMergesIntoTheConversationTheProfileHasWithThatPeerInOrder() throws Exception {
        Path file = export(original, ExportFormat.JSON, HistoryScope.everything(), "history.json");
        SqliteStore other = open("other");
        other.contacts().put(new Contact(SampleHistory.ALICE, "Alice L.", null, null, ContactState.ACCEPTED,
                SampleHistory.T0, null));
        other.conversations().create(Conversation.direct("mine", SampleHistory.ALICE, "Alice L.", SampleHistory.T0));
        StoredMessage held = original.messages().get(new MessageKey(SampleHistory.DIRECT, SampleHistory.ALICE, "d1"))
                .orElseThrow();
        other.messages().insert(new StoredMessage(held.id(), "mine", held.sender(), held.hlc(), held.sentAt(),
                held.receivedAt(), held.direction(), held.kind(), held.body(), MessageState.RECEIVED));
        Instant between = SampleHistory.T0.plusSeconds(90);
        other.messages().insert(new StoredMessage("only-here", "mine", SampleHistory.ALICE,
                (between.toEpochMilli()) << 16, between, between, Direction.INCOMING, MessageKind.TEXT,
                "a message only this profile had", MessageState.RECEIVED));

        ImportCounts counts = new HistoryImporter(other).importFrom(file, ExportProgress.NONE);

        assertThat(counts).isEqualTo(new ImportCounts(1, 1, messages - 1, 1));
        List<String> order = new ArrayList<>();
        other.history().forEachMessage("mine", HistoryScope.everything(), m -> order.add(m.message().id()));
        assertThat(order).containsExactly("d0", "d1", "only-here", "d2", "d3", "d4", "d5", "d6", "d-late");
        assertThat(other.contacts().get(SampleHistory.ALICE).orElseThrow().displayName()).isEqualTo("Alice L.");
        assertThat(other.conversations().get(SampleHistory.DIRECT)).isEmpty();
    }

    @Test
    void anImportKeepsTheFilesMessagesBesideHeldOnesOfTheSameIdFromAnotherSenderOrConversation() throws Exception {
        Path file = export(original, ExportFormat.JSON, HistoryScope.everything(), "history.json");
        SqliteStore other = open("other");
        other.contacts().put(new Contact(SampleHistory.ALICE, "Alice", null, null, ContactState.ACCEPTED,
                SampleHistory.T0, null));
        other.contacts().put(new Contact(SampleHistory.BOB, "Bob", null, null, ContactState.ACCEPTED,
                SampleHistory.T0, null));
        other.conversations().create(Conversation.direct("mine", SampleHistory.ALICE, "Alice", SampleHistory.T0));
        other.conversations().create(Conversation.direct("bob", SampleHistory.BOB, "Bob", SampleHistory.T0));
        // The file's d1 is Alice's; this profile holds a d1 of ours with her, and a d2 of Bob's in his chat.
        StoredMessage oursWithAlice = new StoredMessage("d1", "mine", ME.peerId(), 1, SampleHistory.T0,
                SampleHistory.T0, Direction.OUTGOING, MessageKind.TEXT, "our own d1", MessageState.SENT);
        StoredMessage bobs = new StoredMessage("d2", "bob", SampleHistory.BOB, 1, SampleHistory.T0,
                SampleHistory.T0, Direction.INCOMING, MessageKind.TEXT, "Bob's d2", MessageState.RECEIVED);
        other.messages().insertAll(List.of(oursWithAlice, bobs));

        ImportCounts counts = new HistoryImporter(other).importFrom(file, ExportProgress.NONE);

        assertThat(counts).isEqualTo(new ImportCounts(1, 1, messages, 0));
        StoredMessage alices = original.messages().get(new MessageKey(SampleHistory.DIRECT, SampleHistory.ALICE,
                "d1")).orElseThrow();
        assertThat(other.messages().get(new MessageKey("mine", SampleHistory.ALICE, "d1")).map(StoredMessage::body))
                .contains(alices.body());
        assertThat(other.messages().get(oursWithAlice.key())).contains(oursWithAlice);
        assertThat(other.messages().get(bobs.key())).contains(bobs);
        assertThat(other.messages().get(new MessageKey("mine", ME.peerId(), "d2"))).isPresent();

        ImportCounts again = new HistoryImporter(other).importFrom(file, ExportProgress.NONE);

        assertThat(again).isEqualTo(new ImportCounts(0, 2, 0, messages));
        assertThat(other.messages().newest("mine", 100).messages()).hasSize(messages - 3 + 1);
    }

    @Test
    void theExportIsValidAgainstTheSchemaThatShipsWithIt() throws Exception {
        Path file = export(original, ExportFormat.JSON, HistoryScope.everything(), "history.json");
        JsonSchema schema;
        try (InputStream in = HistoryExporter.class.getResourceAsStream("parley-export.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode export = mapper.readTree(file.toFile());

        Set<ValidationMessage> problems = schema.validate(export);

        assertThat(problems).isEmpty();
        assertThat(export.at("/conversations/0/messages")).hasSize(messages - 3);
        JsonNode room = export.at("/conversations/1");
        assertThat(room.at("/room/events")).hasSize(3);
        assertThat(room.at("/messages/1/senderName").asText()).isEqualTo("Dave");
        assertThat(export.at("/conversations/0/messages/0/sentAt").asText()).isEqualTo("2026-11-21T14:03:00.250+01:00");
        // The schema is not a check that cannot fail: the same file with a wrong version and a message without
        // text is refused.
        ((com.fasterxml.jackson.databind.node.ObjectNode) export).put("version", 4);
        ((com.fasterxml.jackson.databind.node.ObjectNode) export.at("/conversations/0/messages/0")).remove("text");
        assertThat(schema.validate(export)).hasSize(2);
    }

    @Test
    void messageActionsSurviveARoundTripAsVersion2AndAVersion1FileStillImports() throws Exception {
        String chat = original.history().conversations(HistoryScope.everything()).getFirst().conversation().id();
        List<StoredMessage> held = original.messages().newest(chat, 10).messages().stream()
                .filter(message -> message.kind() == MessageKind.TEXT).toList();
        StoredMessage question = held.get(0);
        StoredMessage answer = held.get(1);
        StoredMessage withdrawn = held.get(2);
        StoredMessage hidden = held.get(3);
        // Before any action, the file is what version 1 wrote but for its version number: it still imports.
        Path versionOne = temp.resolve("v1.json");
        String plain = Files.readString(export(original, ExportFormat.JSON, HistoryScope.everything(), "plain.json"));
        assertThat(plain).contains("\"version\": 3");
        Files.writeString(versionOne, plain.replace("\"version\": 3", "\"version\": 1"));
        assertThat(new HistoryImporter(open("from-v1")).importFrom(versionOne, ExportProgress.NONE).messagesAdded())
                .isEqualTo(messages);

        original.actions().describeAsync(answer.key(), Optional.of(question.key()), true).join();
        original.actions().react(question.key(), SampleHistory.ALICE, "👍", true, 1);
        original.actions().edit(question.key(), question.sender(), "e1", question.hlc() + 1, "the corrected text",
                Instant.parse("2026-11-22T10:00:00Z"));
        original.actions().deleteForEveryone(withdrawn.key(), withdrawn.sender(), Instant.parse("2026-11-22T10:01:00Z"));
        original.actions().hide(hidden.key());

        Path first = export(original, ExportFormat.JSON, HistoryScope.everything(), "v2.json");
        JsonNode tree = new ObjectMapper().readTree(first.toFile());
        assertThat(tree.get("version").asInt()).isEqualTo(3);
        try (InputStream in = HistoryExporter.class.getResourceAsStream("parley-export.schema.json")) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in).validate(tree))
                    .isEmpty();
        }
        SqliteStore restored = open("restored-v2");
        assertThat(new HistoryImporter(restored).importFrom(first, ExportProgress.NONE).messagesAdded()).isEqualTo(messages);
        Path second = export(restored, ExportFormat.JSON, HistoryScope.everything(), "v2-again.json");
        assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
        MessageActions.Extras questionExtras = restored.actions().extras(List.of(question.key())).get(question.key());
        assertThat(questionExtras.edited()).isTrue();
        assertThat(questionExtras.reactions()).containsExactly(new MessageActions.Reaction(SampleHistory.ALICE, "👍"));
        assertThat(restored.actions().versions(question.key())).extracting(MessageActions.TextVersion::body)
                .containsExactly(question.body(), "the corrected text");
        assertThat(restored.actions().extras(List.of(answer.key())).get(answer.key()).replyTo())
                .contains(question.key());
        assertThat(restored.actions().extras(List.of(withdrawn.key())).get(withdrawn.key()).deleted()).isTrue();
        assertThat(restored.actions().extras(List.of(hidden.key())).get(hidden.key()).hidden()).isTrue();

    }

    @Test
    void hardTextsSurviveEveryFormat() throws Exception {
        Path json = export(original, ExportFormat.JSON, HistoryScope.everything(), "h.json");
        JsonNode tree = new ObjectMapper().readTree(json.toFile());
        List<String> jsonTexts = new ArrayList<>();
        tree.at("/conversations/0/messages").forEach(m -> jsonTexts.add(m.get("text").asText()));
        assertThat(jsonTexts).containsAll(SampleHistory.HARD_TEXTS);

        String text = Files.readString(export(original, ExportFormat.TEXT, HistoryScope.everything(), "h.txt"));
        assertThat(text).contains("[2026-11-21 14:03] Mia: " + SampleHistory.SCRIPT + "\n");
        assertThat(text).contains("[2026-11-21 14:04] Alice: " + SampleHistory.IMAGE + "\n");
        assertThat(text).contains("* Mia added Bob\n");
        for (String hard : SampleHistory.HARD_TEXTS) {
            assertThat(text).contains(hard.replace("\n", "\n" + TextHistoryWriter.CONTINUATION));
        }

        String markdown = Files.readString(export(original, ExportFormat.MARKDOWN, HistoryScope.everything(), "h.md"));
        String unescaped = markdown.replaceAll("\\\\(\\p{Punct})", "$1").replace("&nbsp;", " ");
        for (String hard : SampleHistory.HARD_TEXTS) {
            for (String line : hard.split("\n")) {
                assertThat(unescaped).contains(line);
            }
        }
        assertThat(markdown).contains("\\*\\*not bold\\*\\*").doesNotContain("<script>");

        String html = Files.readString(export(original, ExportFormat.HTML, HistoryScope.everything(), "h.html"));
        assertThat(html).doesNotContain(SampleHistory.SCRIPT).doesNotContain("<img")
                .contains("&lt;script&gt;document.title = &#39;pwned&#39;&lt;/script&gt;");
        String unescapedHtml = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        for (String hard : SampleHistory.HARD_TEXTS) {
            assertThat(unescapedHtml).contains(hard);
        }
        assertThat(html).contains("Saturday, 21 November 2026").contains("Sunday, 22 November 2026");
    }

    @Test
    void aStructuredNoticeShowsItsSentenceWithTheExportsNamesAndTheJsonKeepsItsBodyThroughAnImport() throws Exception {
        String body = new Notice(Notice.Event.REMOVED, ME.peerId(), Optional.of(SampleHistory.DAVE), Optional.empty())
                .encode();
        Instant removedAt = SampleHistory.T0.plusSeconds(3_700);
        original.messages().insert(new StoredMessage("r-removed", SampleHistory.ROOM_CONVERSATION, ME.peerId(),
                removedAt.toEpochMilli() << 16, removedAt, removedAt, Direction.OUTGOING, MessageKind.NOTICE, body,
                MessageState.READ));

        String text = Files.readString(export(original, ExportFormat.TEXT, HistoryScope.everything(), "n.txt"));
        assertThat(text).contains("* Mia removed Dave\n").contains("* Mia added Bob\n").doesNotContain(body);
        String markdown = Files.readString(export(original, ExportFormat.MARKDOWN, HistoryScope.everything(), "n.md"));
        assertThat(markdown).contains("*Mia removed Dave*");
        String html = Files.readString(export(original, ExportFormat.HTML, HistoryScope.everything(), "n.html"));
        assertThat(html).contains("<div class=\"notice\" dir=\"auto\">Mia removed Dave · ");

        Path json = export(original, ExportFormat.JSON, HistoryScope.everything(), "n.json");
        List<String> jsonTexts = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).at("/conversations/1/messages")
                .forEach(m -> jsonTexts.add(m.get("text").asText()));
        assertThat(jsonTexts).contains(body, "Mia added Bob");
        SqliteStore restored = open("restored");
        new HistoryImporter(restored).importFrom(json, ExportProgress.NONE);
        assertThat(restored.messages().get(new MessageKey(SampleHistory.ROOM_CONVERSATION, ME.peerId(), "r-removed")))
                .get().extracting(StoredMessage::kind, StoredMessage::body).containsExactly(MessageKind.NOTICE, body);
        Path again = export(restored, ExportFormat.JSON, HistoryScope.everything(), "again.json");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(json));
    }

    @Test
    void aRenewedSessionsNoticeInADirectConversationShowsItsSentenceAndComesBackWholeFromTheJson() throws Exception {
        String body = new SessionNotice(SampleHistory.ALICE).encode();
        Instant renewedAt = SampleHistory.T0.plusSeconds(3_800);
        original.messages().insert(new StoredMessage("d-renewed", SampleHistory.DIRECT, ME.peerId(),
                renewedAt.toEpochMilli() << 16, renewedAt, renewedAt, Direction.OUTGOING, MessageKind.NOTICE, body,
                MessageState.READ));

        String text = Files.readString(export(original, ExportFormat.TEXT, HistoryScope.everything(), "s.txt"));
        assertThat(text).contains("* Secure session renewed\n").doesNotContain(body);
        String html = Files.readString(export(original, ExportFormat.HTML, HistoryScope.everything(), "s.html"));
        assertThat(html).contains("<div class=\"notice\" dir=\"auto\">Secure session renewed · ");

        Path json = export(original, ExportFormat.JSON, HistoryScope.everything(), "s.json");
        SqliteStore restored = open("restored");
        new HistoryImporter(restored).importFrom(json, ExportProgress.NONE);
        assertThat(restored.messages().get(new MessageKey(SampleHistory.DIRECT, ME.peerId(), "d-renewed")))
                .get().extracting(StoredMessage::kind, StoredMessage::body).containsExactly(MessageKind.NOTICE, body);
        Path again = export(restored, ExportFormat.JSON, HistoryScope.everything(), "s-again.json");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(json));
    }

    @Test
    void aScopeNarrowsTheExportToOneConversationATimeRangeAndWithoutSystemLines() throws Exception {
        HistoryScope room = HistoryScope.everything().onlyConversation(SampleHistory.ROOM_CONVERSATION)
                .withSystemLines(false);
        JsonNode roomOnly = new ObjectMapper().readTree(export(original, ExportFormat.JSON, room, "room.json").toFile());
        assertThat(roomOnly.get("conversations")).hasSize(1);
        assertThat(roomOnly.at("/conversations/0/messages")).extracting(m -> m.get("id").asText())
                .containsExactly("r-dave", "r-bob");

        HistoryScope nextDay = HistoryScope.everything().between(Optional.of(SampleHistory.T0.plusSeconds(80_000)),
                Optional.empty());
        JsonNode late = new ObjectMapper().readTree(export(original, ExportFormat.JSON, nextDay, "late.json").toFile());
        assertThat(late.get("conversations")).hasSize(1);
        assertThat(late.at("/conversations/0/messages")).extracting(m -> m.get("id").asText())
                .containsExactly("d-late");

        HistoryScope firstMinutes = HistoryScope.everything().between(Optional.of(SampleHistory.T0),
                Optional.of(SampleHistory.T0.plusSeconds(120)));
        assertThat(original.history().count(firstMinutes)).isEqualTo(2);
    }

    @Test
    void progressIsReportedUpToTheTotal() throws Exception {
        List<long[]> reports = new ArrayList<>();
        new HistoryExporter(original, ME, SampleHistory.callersNames()).export(ExportFormat.HTML,
                HistoryScope.everything(), BERLIN, temp.resolve("p.html"), false,
                (done, total) -> reports.add(new long[] {done, total}));
        assertThat(reports.getFirst()).containsExactly(0, messages);
        assertThat(reports.getLast()).containsExactly(messages, messages);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
