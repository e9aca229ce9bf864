package dev.parley.store.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.parley.store.Attachment;
import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.Conversation;
import dev.parley.store.ConversationKind;
import dev.parley.store.Direction;
import dev.parley.store.History;
import dev.parley.store.HistoryConversation;
import dev.parley.store.HistoryMessage;
import dev.parley.store.ImportCounts;
import dev.parley.store.MembershipEvent;
import dev.parley.store.MessageActions;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Receipt;
import dev.parley.store.ReceiptKind;
import dev.parley.store.RoomMember;
import dev.parley.store.RoomRole;
import dev.parley.store.RoomStatus;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a JSON export (format {@value JsonHistoryWriter#FORMAT}, version {@value JsonHistoryWriter#VERSION})
 * into a profile: read as a stream, stored in one write, so a file that is damaged, cut short or of another version
 * changes nothing. Importing the same file twice adds nothing the second time; see {@link History#importAll}.
 *
 * <p>A message whose id or sender is not spelt as the profile spells them ({@link IdSpelling}) is skipped with a
 * warning naming it, and the rest of the file is imported: such an entry is either no message Parley wrote (the
 * conversation would not load with it) or a held message re-spelt (which must not come back as a second copy).
 *
 * <p>The file a message offers (version 3) comes back with the message, if the import brought the message: whole,
 * when the files folder beside the export ({@code chat_files/} for {@code chat.json}) has a copy named by the content's
 * hash and its bytes are that content and the offer's file ({@link ExportFiles#keep}); else offered, to fetch again. A
 * copy whose bytes are not what the export says is left out with a warning. Names in the export or the folder are
 * never used as paths: a copy is found by the hash its name starts with, and kept in the profile under that hash.
 */
public final class HistoryImporter {
    private static final Logger log = LoggerFactory.getLogger(HistoryImporter.class);
    private static final int PROGRESS_EVERY = 512;

    private final SqliteStore store;
    private final IdSpelling spelling;
    private final ExportFiles files;

    /**
     * An importer that knows only what the store can tell of ids ({@link IdSpelling#HEX_IN_LOWERCASE}) and passes over
     * files ({@link ExportFiles#NONE}).
     */
    public HistoryImporter(SqliteStore store) {
        this(store, IdSpelling.HEX_IN_LOWERCASE, ExportFiles.NONE);
    }

    public HistoryImporter(SqliteStore store, IdSpelling spelling, ExportFiles files) {
        this.store = store;
        this.spelling = spelling;
        this.files = files;
    }

    /**
     * Imports {@code file}.
     *
     * @throws HistoryFileException     with a message for the user: the file is missing, unreadable, not JSON, not a
     *                                  Parley export, of an unknown version, damaged or cut short; nothing changed
     * @throws ExportCancelledException when {@code progress} asked to stop; nothing changed
     */
    public ImportCounts importFrom(Path file, ExportProgress progress) {
        if (Files.isDirectory(file)) {
            throw new HistoryFileException(file + " is a folder, not an export file");
        }
        if (!Files.isRegularFile(file)) {
            throw new HistoryFileException(file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new HistoryFileException("cannot read " + file + ": permission denied");
        }
        try {
            Map<String, Path> copies = files == ExportFiles.NONE ? Map.of() : copies(file);
            // The work is the file's bytes, read, and then the copies' bytes, read again as each is checked.
            long copiesBytes = sizeOf(copies.values());
            Reader reader = new Reader(file, progress, spelling, files, copiesBytes);
            List<Restored> brought = new ArrayList<>();
            List<OfferedFile> offered = new ArrayList<>();
            ImportCounts counts = store.history().importAll(reader::feed, (fileKey, storedKey) -> {
                Restored described = reader.described.remove(fileKey);
                if (described != null) {
                    brought.add(described.at(storedKey));
                }
                OfferedFile offer = reader.offered.remove(fileKey);
                if (offer != null) {
                    offered.add(offer.at(storedKey));
                }
            });
            // The messages are stored: what version 2 says of them goes on those the file brought, never on one held
            // already, whose edits and reactions came from their authors (a file can say anything).
            for (Restored restored : brought) {
                store.actions().restore(restored.message(), restored.extras(), restored.versions(), restored.at());
            }
            // A deletion (or edit) that arrived before its message waited for it; the file may have brought it now.
            store.actions().applyPendingToHeld();
            return restoreFiles(counts, file, copies, offered, reader.size, copiesBytes, progress);
        } catch (HistoryFileException e) {
            throw e;
        } catch (StoreException e) {
            throw new HistoryFileException(file + " cannot be imported: " + e.getMessage()
                    + "; nothing was imported", e);
        }
    }

    /**
     * Puts the files the stored messages offer on them, each copy beside the export checked and kept whole if it is
     * right, and counts them into {@code counts}. Not cancelled half way: the messages are in, and a file not kept is
     * offered, to fetch again.
     */
    private ImportCounts restoreFiles(ImportCounts counts, Path file, Map<String, Path> copies,
                                      List<OfferedFile> offered, long fileBytes, long copiesBytes,
                                      ExportProgress progress) {
        long total = fileBytes + copiesBytes;
        long before = 0;
        int brought = 0;
        int toFetch = 0;
        for (OfferedFile offer : offered) {
            long readBefore = before;
            Optional<ExportFiles.Kept> kept = offer.content().flatMap(content -> kept(file, copies, content, offer,
                    read -> progress.progressed(Math.min(fileBytes + readBefore + read, total), total)));
            before += offer.content().map(copies::get).map(HistoryImporter::sizeOf).orElse(0L);
            Optional<Attachment> restored = files.restore(offer.message(), offer.file(), kept);
            restored.ifPresent(store.attachments()::offer);
            brought += restored.isPresent() && kept.isPresent() ? 1 : 0;
            toFetch += restored.isPresent() && kept.isEmpty() ? 1 : 0;
        }
        progress.progressed(total, total);
        return counts.withFiles(brought, toFetch);
    }

    private static long sizeOf(Collection<Path> copies) {
        return copies.stream().mapToLong(HistoryImporter::sizeOf).sum();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // Read when its turn comes, which then says what is wrong with it.
        }
    }

    /** The copies in the files folder beside {@code file}, by content. */
    private static Map<String, Path> copies(Path file) {
        try {
            return FilesFolder.byContent(file);
        } catch (IOException e) {
            throw new HistoryFileException("cannot read the files folder " + FilesFolder.besides(file) + ": "
                    + e.getMessage() + "; nothing was imported", e);
        }
    }

    /** The file of {@code offer}, copied into the profile if the files folder has it and its bytes are right. */
    private Optional<ExportFiles.Kept> kept(Path file, Map<String, Path> copies, String content, OfferedFile offer,
                                            LongConsumer read) {
        Path copy = copies.get(content);
        if (copy == null) {
            log.warn("{}: the file of message {} ({}) is not in {}; it is imported as offered, to fetch again", file,
                    offer.message().id(), content, FilesFolder.besides(file));
            return Optional.empty();
        }
        try {
            return files.keep(copy, content, offer.file(), read);
        } catch (IOException e) {
            log.warn("{}: the file of message {} could not be copied from {}: {}; it is imported as offered", file,
                    offer.message().id(), copy, e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads a field's value that is an object or a list; false leaves it to be skipped. */
    @FunctionalInterface
    private interface NestedValue {
        boolean read(String field, JsonToken value, Map<String, String> scalarsSoFar) throws IOException;
    }

    private static final NestedValue NO_NESTED_VALUES = (field, value, scalarsSoFar) -> false;

    /** What a version 2 file says of a message besides its text, put back once the messages are stored. */
    private record Restored(MessageKey message, MessageActions.Extras extras, List<MessageActions.TextVersion> versions,
                            Instant at) {
        Restored at(MessageKey stored) {
            return new Restored(stored, extras, versions, at);
        }
    }

    /** The file a version 3 file says a message offers, put on the message once it is stored. */
    private record OfferedFile(MessageKey message, ExportedFile file, Optional<String> content) {
        OfferedFile at(MessageKey stored) {
            return new OfferedFile(stored, file, content);
        }
    }

    /** One pass over the file, feeding what it reads to the store as it goes. */
    private static final class Reader {
        private static final Pattern CONTENT = Pattern.compile("[0-9a-f]{64}");
        private static final Pattern ROOT = Pattern.compile("[0-9a-fA-F]{64}");

        /** What the file says of its messages beyond their text, by their key in the file, until they are stored. */
        private final Map<MessageKey, Restored> described = new HashMap<>();
        /** The files its messages offer, by their key in the file, until they are stored. */
        private final Map<MessageKey, OfferedFile> offered = new HashMap<>();
        /** What the app makes of the files messages offer; {@link ExportFiles#NONE} when they are passed over. */
        private final ExportFiles files;
        private final Path file;
        private final ExportProgress progress;
        private final IdSpelling spelling;
        private final long size;
        /** The whole import's work: {@link #size} and the bytes of the copies beside the file, read after it. */
        private final long total;
        private JsonParser json;
        private boolean readAnything;
        private long messages;

        Reader(Path file, ExportProgress progress, IdSpelling spelling, ExportFiles files, long copiesBytes) {
            this.file = file;
            this.files = files;
            this.progress = progress;
            this.spelling = spelling;
            this.size = sizeOf(file);
            this.total = size + copiesBytes;
        }

        void feed(History.ImportSink sink) {
            try (InputStream in = Files.newInputStream(file);
                 JsonParser parser = new JsonFactory().createParser(in)) {
                json = parser;
                progress.progressed(0, total);
                top(sink);
                progress.progressed(size, total);
            } catch (JsonEOFException e) {
                throw failure("ends early, at line " + e.getLocation().getLineNr()
                        + ": the file was cut short or damaged", e);
            } catch (JsonParseException e) {
                if (!readAnything) {
                    throw new HistoryFileException(file + " is not a Parley export: it is not JSON", e);
                }
                throw failure("is not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage().lines().findFirst()
                        .orElse("") + ")", e);
            } catch (IOException e) {
                throw new HistoryFileException("cannot read " + file + ": " + e.getMessage()
                        + "; nothing was imported", e);
            }
        }

        private void top(History.ImportSink sink) throws IOException {
            if (next() != JsonToken.START_OBJECT) {
                throw notAnExport();
            }
            String format = null;
            Integer version = null;
            boolean sawConversations = false;
            while (next() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = next();
                switch (field) {
                    case "format" -> {
                        format = value == JsonToken.VALUE_STRING ? json.getText() : "";
                        if (!JsonHistoryWriter.FORMAT.equals(format)) {
                            throw notAnExport();
                        }
                    }
                    case "version" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw failure("has a version that is not a whole number", null);
                        }
                        version = json.getIntValue();
                        if (version < JsonHistoryWriter.FIRST_VERSION || version > JsonHistoryWriter.VERSION) {
                            throw new HistoryFileException(file + " is a Parley export of version " + version
                                    + ", and this Parley reads versions " + JsonHistoryWriter.FIRST_VERSION + " to "
                                    + JsonHistoryWriter.VERSION + " only; a newer Parley may import it."
                                    + " Nothing was imported");
                        }
                    }
                    case "conversations" -> {
                        if (format == null) {
                            throw notAnExport();
                        }
                        if (version == null) {
                            throw failure("lists its conversations before its version", null);
                        }
                        expect(value, JsonToken.START_ARRAY, "conversations");
                        while (next() == JsonToken.START_OBJECT) {
                            conversation(sink);
                        }
                        expectCurrent(JsonToken.END_ARRAY, "conversations");
                        sawConversations = true;
                    }
                    default -> json.skipChildren();
                }
            }
            if (format == null) {
                throw notAnExport();
            }
            if (!sawConversations) {
                throw failure("has no conversations list", null);
            }
            if (next() != null) {
                throw failure("goes on after its end, at line " + json.currentLocation().getLineNr(), null);
            }
        }

        private void conversation(History.ImportSink sink) throws IOException {
            int line = json.currentLocation().getLineNr();
            Map<String, String> names = new HashMap<>();
            List<Map<String, String>> members = new ArrayList<>();
            List<Map<String, String>> events = new ArrayList<>();
            List<Map<String, String>> contact = new ArrayList<>();
            List<Map<String, String>> room = new ArrayList<>();
            fields("conversation", (field, value, fields) -> switch (field) {
                case "members" -> objects(value, "members", members);
                case "contact" -> {
                    expect(value, JsonToken.START_OBJECT, "contact");
                    contact.add(fields("contact", NO_NESTED_VALUES));
                    yield true;
                }
                case "room" -> {
                    expect(value, JsonToken.START_OBJECT, "room");
                    room.add(fields("room", (roomField, roomValue, roomFields) ->
                            roomField.equals("events") && objects(roomValue, "events", events)));
                    yield true;
                }
                case "messages" -> {
                    expect(value, JsonToken.START_ARRAY, "messages");
                    HistoryConversation conversation = build(line, fields, members,
                            contact.isEmpty() ? null : contact.getFirst(), room.isEmpty() ? null : room.getFirst(),
                            events, names);
                    sink.conversation(conversation);
                    sink.names(names);
                    messages(sink, conversation.conversation().id(), names.keySet());
                    yield true;
                }
                default -> false;
            });
        }

        private HistoryConversation build(int line, Map<String, String> fields, List<Map<String, String>> members,
                                          Map<String, String> contact, Map<String, String> room,
                                          List<Map<String, String>> events, Map<String, String> names) {
            String where = "the conversation at line " + line;
            try {
                String id = required(fields, "id", where);
                where = "conversation " + id;
                ConversationKind kind = enumOf(ConversationKind.class, required(fields, "kind", where), "kind", where);
                String title = required(fields, "title", where);
                Instant createdAt = time(required(fields, "createdAt", where), "createdAt", where);
                for (Map<String, String> member : members) {
                    names.put(required(member, "peerId", where), required(member, "name", where));
                }
                if (kind == ConversationKind.DIRECT) {
                    if (contact == null) {
                        throw problem(where + " is direct but has no contact", null);
                    }
                    String peer = required(contact, "peerId", where);
                    names.put(peer, required(contact, "name", where));
                    Contact entry = new Contact(peer, required(contact, "name", where),
                            bytes(contact.get("hpkePublicKey"), "hpkePublicKey", where),
                            bytes(contact.get("card"), "card", where),
                            enumOf(ContactState.class, required(contact, "state", where), "state", where),
                            time(required(contact, "addedAt", where), "addedAt", where), null);
                    return new HistoryConversation(Conversation.direct(id, peer, title, createdAt),
                            Optional.of(entry), Optional.empty());
                }
                if (room == null) {
                    throw problem(where + " is a room but has no room", null);
                }
                String roomId = required(room, "id", where);
                List<MembershipEvent> log = new ArrayList<>();
                HexFormat hex = HexFormat.of();
                for (Map<String, String> event : events) {
                    String author = required(event, "author", where);
                    if (event.get("authorName") != null) {
                        names.putIfAbsent(author, event.get("authorName"));
                    }
                    log.add(new MembershipEvent(roomId, number(required(event, "epoch", where), "epoch", where),
                            hex.parseHex(required(event, "hash", where)), author,
                            bytes(required(event, "signed", where), "signed", where)));
                }
                List<RoomMember> roomMembers = new ArrayList<>();
                for (Map<String, String> member : members) {
                    roomMembers.add(new RoomMember(roomId, required(member, "peerId", where),
                            enumOf(RoomRole.class, required(member, "role", where), "role", where),
                            number(required(member, "joinedEpoch", where), "joinedEpoch", where)));
                }
                HistoryConversation.Room held = new HistoryConversation.Room(
                        enumOf(RoomStatus.class, required(room, "status", where), "status", where),
                        room.get("invitedBy"), log, roomMembers);
                return new HistoryConversation(Conversation.room(id, roomId, title, createdAt), Optional.empty(),
                        Optional.of(held));
            } catch (HistoryFileException e) {
                throw e;
            } catch (StoreException | IllegalArgumentException e) {
                throw problem(where + ": " + e.getMessage(), e);
            }
        }

        private void messages(History.ImportSink sink, String conversationId, Set<String> named) throws IOException {
            Set<String> known = new HashSet<>(named);
            while (next() == JsonToken.START_OBJECT) {
                int line = json.currentLocation().getLineNr();
                List<Receipt> receipts = new ArrayList<>();
                List<Map<String, String>> receiptFields = new ArrayList<>();
                List<Map<String, String>> reactionFields = new ArrayList<>();
                List<Map<String, String>> versionFields = new ArrayList<>();
                List<Map<String, String>> fileFields = new ArrayList<>();
                Map<String, String> fields = fields("message", (field, value, soFar) ->
                        field.equals("receipts") && objects(value, "receipts", receiptFields)
                                || field.equals("reactions") && objects(value, "reactions", reactionFields)
                                || field.equals("versions") && objects(value, "versions", versionFields)
                                || field.equals("file") && files != ExportFiles.NONE && object(value, "file", fileFields));
                String where = "the message at line " + line;
                HistoryMessage message;
                try {
                    String id = required(fields, "id", where);
                    String sender = required(fields, "sender", where);
                    if (!spelling.isMessageId(id) || !spelling.isPeer(sender)) {
                        log.warn("{}: skipped the message at line {}, id '{}' from '{}': {}", file, line, id, sender,
                                spelling.isMessageId(id) ? "its sender is not a person's id as Parley writes them"
                                        : "its id is not a message id as Parley writes them");
                        counted();
                        continue;
                    }
                    where = "message " + id;
                    for (Map<String, String> receipt : receiptFields) {
                        String peer = required(receipt, "peerId", where);
                        Receipt read = new Receipt(peer,
                                enumOf(ReceiptKind.class, required(receipt, "kind", where), "receipt kind", where),
                                time(required(receipt, "at", where), "receipt time", where));
                        if (spelling.isPeer(peer)) {
                            receipts.add(read);
                        }
                    }
                    message = new HistoryMessage(new StoredMessage(id, conversationId, sender,
                            number(required(fields, "hlc", where), "hlc", where),
                            time(required(fields, "sentAt", where), "sentAt", where),
                            time(required(fields, "receivedAt", where), "receivedAt", where),
                            enumOf(Direction.class, required(fields, "direction", where), "direction", where),
                            enumOf(MessageKind.class, required(fields, "kind", where), "kind", where),
                            required(fields, "text", where),
                            enumOf(MessageState.class, required(fields, "state", where), "state", where)), receipts);
                    if (fields.get("senderName") != null && known.add(sender)) {
                        sink.names(Map.of(sender, fields.get("senderName")));
                    }
                    // Described first: the sink may store the message (and report it added) at once.
                    restore(message.message(), fields, reactionFields, versionFields, where);
                    // A message deleted for everyone keeps no file, whatever the file says of one.
                    if (!fileFields.isEmpty() && !"true".equals(fields.get("deleted"))) {
                        offered(message.message().key(), fileFields.getFirst(), where)
                                .ifPresent(offer -> offered.put(message.message().key(), offer));
                    }
                    sink.message(message);
                } catch (HistoryFileException e) {
                    throw e;
                } catch (StoreException | IllegalArgumentException e) {
                    throw problem(where + ": " + e.getMessage(), e);
                }
                counted();
            }
            expectCurrent(JsonToken.END_ARRAY, "messages");
        }

        private void counted() {
            if (++messages % PROGRESS_EVERY == 0) {
                if (progress.cancelled()) {
                    throw new ExportCancelledException("the import was cancelled; nothing was imported");
                }
                progress.progressed(Math.min(json.currentLocation().getByteOffset(), size), total);
            }
        }

        /** Keeps what version 2 says of a stored message besides its text, if anything. */
        private void restore(StoredMessage message, Map<String, String> fields, List<Map<String, String>> reactions,
                             List<Map<String, String>> versions, String where) {
            String replyId = fields.get("replyToId");
            boolean forwarded = "true".equals(fields.get("forwarded"));
            boolean deleted = "true".equals(fields.get("deleted"));
            boolean hidden = "true".equals(fields.get("hidden"));
            if (replyId == null && !forwarded && !deleted && !hidden && reactions.isEmpty() && versions.isEmpty()) {
                return;
            }
            Optional<MessageKey> replyTo = replyId == null ? Optional.empty() : Optional.of(new MessageKey(
                    message.conversationId(), required(fields, "replyToSender", where), replyId));
            // A link to an id not spelt as ours would name no message, or a held one under a second spelling.
            replyTo = replyTo.filter(quoted -> spelling.isMessageId(quoted.id()) && spelling.isPeer(quoted.sender()));
            List<MessageActions.Reaction> reacted = new ArrayList<>();
            for (Map<String, String> reaction : reactions) {
                String reactor = required(reaction, "peerId", where);
                String emoji = required(reaction, "emoji", where);
                if (spelling.isPeer(reactor)) {
                    reacted.add(new MessageActions.Reaction(reactor, emoji));
                }
            }
            List<MessageActions.TextVersion> texts = new ArrayList<>();
            for (Map<String, String> version : versions) {
                texts.add(new MessageActions.TextVersion(required(version, "text", where),
                        number(required(version, "hlc", where), "hlc", where),
                        time(required(version, "at", where), "version time", where)));
            }
            described.put(message.key(), new Restored(message.key(), new MessageActions.Extras(replyTo, forwarded, texts.size() > 1,
                    deleted, hidden, reacted), texts, message.receivedAt()));
        }

        /**
         * The file a message offers, as version 3 writes it; empty when its fields make no offer the app accepts (the message is then kept as
         * text), found as it is read so that only offers within the app's limits wait for the messages to be stored.
         */
        private Optional<OfferedFile> offered(MessageKey message, Map<String, String> fields, String where) {
            String what = where + "'s file";
            String root = required(fields, "root", what);
            if (!ROOT.matcher(root).matches()) {
                throw problem(what + " has a root that is not 32 bytes in hex", null);
            }
            Optional<String> content = Optional.ofNullable(fields.get("content"));
            if (content.isPresent() && !CONTENT.matcher(content.get()).matches()) {
                throw problem(what + " has content '" + content.get() + "', which is not a SHA-256 in lowercase hex",
                        null);
            }
            Optional<byte[]> thumbnail = Optional.ofNullable(bytes(fields.get("thumbnail"), "thumbnail", what));
            ExportedFile file = new ExportedFile(required(fields, "name", what),
                    number(required(fields, "size", what), "size", what), required(fields, "mediaType", what),
                    HexFormat.of().parseHex(root), bytes(required(fields, "key", what), "key", what),
                    (int) Math.min(Integer.MAX_VALUE, number(required(fields, "chunkSize", what), "chunkSize", what)),
                    thumbnail, thumbnail.isPresent() ? required(fields, "thumbnailType", what) : "",
                    dimension(fields.get("width"), "width", what), dimension(fields.get("height"), "height", what));
            if (!files.accepts(file)) {
                return Optional.empty();
            }
            return Optional.of(new OfferedFile(message, file, content));
        }

        private int dimension(String value, String name, String where) {
            return value == null ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, number(value, name, where)));
        }

        /** Reads an object of scalar fields into {@code into}; true, as {@link NestedValue} answers. */
        private boolean object(JsonToken value, String what, List<Map<String, String>> into) throws IOException {
            expect(value, JsonToken.START_OBJECT, what);
            into.add(fields(what, NO_NESTED_VALUES));
            return true;
        }

        /**
         * Reads the fields of the object just opened: scalars into the map returned (as text; null for JSON null),
         * other values to {@code nested}, which reads them or answers false to have them skipped.
         */
        private Map<String, String> fields(String what, NestedValue nested) throws IOException {
            Map<String, String> fields = new HashMap<>();
            while (next() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = next();
                if (value.isScalarValue()) {
                    fields.put(field, value == JsonToken.VALUE_NULL ? null : json.getText());
                } else if (!nested.read(field, value, fields)) {
                    json.skipChildren();
                }
            }
            expectCurrent(JsonToken.END_OBJECT, what);
            return fields;
        }

        /** Reads a list of objects of scalar fields into {@code into}; true, as {@link NestedValue} answers. */
        private boolean objects(JsonToken value, String what, List<Map<String, String>> into) throws IOException {
            expect(value, JsonToken.START_ARRAY, what);
            while (next() == JsonToken.START_OBJECT) {
                into.add(fields(what, NO_NESTED_VALUES));
            }
            expectCurrent(JsonToken.END_ARRAY, what);
            return true;
        }

        private JsonToken next() throws IOException {
            JsonToken token = json.nextToken();
            readAnything |= token != null;
            return token;
        }

        private void expect(JsonToken value, JsonToken wanted, String what) {
            if (value != wanted) {
                throw failure("has " + what + " that is not " + (wanted == JsonToken.START_ARRAY ? "a list"
                        : "an object") + ", at line " + json.currentLocation().getLineNr(), null);
            }
        }

        private void expectCurrent(JsonToken wanted, String what) {
            if (json.currentToken() != wanted) {
                throw failure("has something unexpected in " + what + " at line "
                        + json.currentLocation().getLineNr(), null);
            }
        }

        private String required(Map<String, String> fields, String name, String where) {
            String value = fields.get(name);
            if (value == null) {
                throw problem(where + " has no " + name, null);
            }
            return value;
        }

        private <E extends Enum<E>> E enumOf(Class<E> type, String value, String name, String where) {
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw problem(where + " has " + name + " '" + value + "', which is none of "
                        + java.util.Arrays.stream(type.getEnumConstants())
                        .map(JsonHistoryWriter::lower).toList(), e);
            }
        }

        private Instant time(String value, String name, String where) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw problem(where + " has " + name + " '" + value + "', which is not an ISO-8601 time with offset",
                        e);
            }
        }

        private long number(String value, String name, String where) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw problem(where + " has " + name + " '" + value + "', which is not a whole number", e);
            }
        }

        private byte[] bytes(String value, String name, String where) {
            if (value == null) {
                return null;
            }
            try {
                return Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw problem(where + " has " + name + " that is not base64", e);
            }
        }

        private HistoryFileException notAnExport() {
            return new HistoryFileException(file + " is not a Parley export: it has no \"format\": \""
                    + JsonHistoryWriter.FORMAT + "\"; nothing was imported");
        }

        /** Something wrong with one conversation or message: {@code what} names it. */
        private HistoryFileException problem(String what, Throwable cause) {
            return new HistoryFileException(file + ": " + what + "; nothing was imported", cause);
        }

        /** Something wrong with the file as a whole: {@code what} goes on from its name. */
        private HistoryFileException failure(String what, Throwable cause) {
            return new HistoryFileException(file + " " + what + "; nothing was imported", cause);
        }
    }
}
