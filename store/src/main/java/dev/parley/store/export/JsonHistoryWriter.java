package dev.parley.store.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.parley.store.Contact;
import dev.parley.store.HistoryConversation;
import dev.parley.store.MembershipEvent;
import dev.parley.store.MessageActions;
import dev.parley.store.Receipt;
import dev.parley.store.StoredMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The JSON export, format {@value #FORMAT} version {@value #VERSION}, as {@code parley-export.schema.json} in
 * this package describes it. Written as it goes, one message at a time, indented two spaces with LF line ends, so
 * the same history always gives the same bytes (the import round trip compares them).
 */
final class JsonHistoryWriter implements HistoryWriter {
    static final String FORMAT = "parley-export";
    static final int VERSION = 3;
    /** Version 1 has no message actions, version 2 no files; the importer reads them too. */
    static final int FIRST_VERSION = 1;

    private final JsonGenerator json;
    private final ExportTimes times;
    private final Names names;

    JsonHistoryWriter(OutputStream out, ExportTimes times, Names names) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter);
        pretty.indentArraysWith(indenter);
        this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                .setPrettyPrinter(pretty);
        this.times = times;
        this.names = names;
    }

    @Override
    public void begin(Person owner, List<ExportedConversation> conversations) throws IOException {
        json.writeStartObject();
        json.writeStringField("format", FORMAT);
        json.writeNumberField("version", VERSION);
        json.writeFieldName("exportedBy");
        person(owner);
        json.writeArrayFieldStart("conversations");
    }

    @Override
    public void conversation(ExportedConversation conversation) throws IOException {
        HistoryConversation history = conversation.history();
        json.writeStartObject();
        json.writeStringField("id", conversation.id());
        json.writeStringField("kind", lower(history.conversation().kind()));
        json.writeStringField("title", conversation.title());
        json.writeStringField("createdAt", times.iso(history.conversation().createdAt()));
        json.writeArrayFieldStart("members");
        for (ExportedConversation.Member member : conversation.members()) {
            json.writeStartObject();
            json.writeStringField("peerId", member.person().peerId());
            json.writeStringField("name", member.person().name());
            if (member.role().isPresent()) {
                json.writeStringField("role", lower(member.role().get()));
                json.writeNumberField("joinedEpoch", member.joinedEpoch());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        if (history.contact().isPresent()) {
            contact(history.contact().get());
        }
        if (history.room().isPresent()) {
            room(history.conversation().roomId(), history.room().get());
        }
        json.writeArrayFieldStart("messages");
    }

    @Override
    public void message(ExportedMessage message) throws IOException {
        StoredMessage stored = message.stored();
        json.writeStartObject();
        json.writeStringField("id", stored.id());
        json.writeStringField("sender", stored.sender());
        json.writeStringField("senderName", message.senderName());
        json.writeStringField("sentAt", times.iso(stored.sentAt()));
        json.writeStringField("receivedAt", times.iso(stored.receivedAt()));
        // A decimal string: hybrid logical clock values pass 2^53, where JavaScript numbers lose digits.
        json.writeStringField("hlc", Long.toString(stored.hlc()));
        json.writeStringField("direction", lower(stored.direction()));
        json.writeStringField("kind", lower(stored.kind()));
        json.writeStringField("text", stored.body());
        json.writeStringField("state", lower(stored.state()));
        json.writeArrayFieldStart("receipts");
        for (Receipt receipt : message.history().receipts()) {
            json.writeStartObject();
            json.writeStringField("peerId", receipt.peerId());
            json.writeStringField("kind", lower(receipt.kind()));
            json.writeStringField("at", times.iso(receipt.at()));
            json.writeEndObject();
        }
        json.writeEndArray();
        actions(message);
        if (message.file().isPresent()) {
            file(message.file().get());
        }
        json.writeEndObject();
    }

    /**
     * What version 3 adds: the file a message offers, its offer's fields, and its content's SHA-256 when the profile
     * had it whole. The copy in the files folder is named after that hash, not written here, so the same history
     * gives the same bytes wherever it is exported to.
     */
    private void file(ExportedAttachment attachment) throws IOException {
        ExportedFile file = attachment.file();
        json.writeObjectFieldStart("file");
        json.writeStringField("name", file.name());
        json.writeNumberField("size", file.size());
        json.writeStringField("mediaType", file.mediaType());
        json.writeStringField("root", HexFormat.of().formatHex(file.root()));
        bytes("key", file.key());
        json.writeNumberField("chunkSize", file.chunkSize());
        if (file.thumbnail().isPresent()) {
            bytes("thumbnail", file.thumbnail().get());
            json.writeStringField("thumbnailType", file.thumbnailType());
        }
        if (file.width() > 0 || file.height() > 0) {
            json.writeNumberField("width", file.width());
            json.writeNumberField("height", file.height());
        }
        if (attachment.content().isPresent()) {
            json.writeStringField("content", attachment.content().get());
        }
        json.writeEndObject();
    }

    /** What version 2 adds to a message: only what it has. */
    private void actions(ExportedMessage message) throws IOException {
        MessageActions.Extras extras = message.extras();
        if (extras.replyTo().isPresent()) {
            json.writeStringField("replyToSender", extras.replyTo().get().sender());
            json.writeStringField("replyToId", extras.replyTo().get().id());
        }
        if (extras.forwarded()) {
            json.writeBooleanField("forwarded", true);
        }
        if (extras.deleted()) {
            json.writeBooleanField("deleted", true);
        }
        if (extras.hidden()) {
            json.writeBooleanField("hidden", true);
        }
        if (!extras.reactions().isEmpty()) {
            json.writeArrayFieldStart("reactions");
            for (MessageActions.Reaction reaction : extras.reactions()) {
                json.writeStartObject();
                json.writeStringField("peerId", reaction.reactor());
                json.writeStringField("emoji", reaction.emoji());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        if (!message.versions().isEmpty()) {
            json.writeArrayFieldStart("versions");
            for (MessageActions.TextVersion version : message.versions()) {
                json.writeStartObject();
                json.writeStringField("text", version.body());
                json.writeStringField("hlc", Long.toString(version.hlc()));
                json.writeStringField("at", times.iso(version.at()));
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    @Override
    public void endConversation() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
    }

    @Override
    public void end() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
    }

    private void person(Person person) throws IOException {
        json.writeStartObject();
        json.writeStringField("peerId", person.peerId());
        json.writeStringField("name", person.name());
        json.writeEndObject();
    }

    private void contact(Contact contact) throws IOException {
        json.writeObjectFieldStart("contact");
        json.writeStringField("peerId", contact.peerId());
        json.writeStringField("name", contact.displayName());
        json.writeStringField("state", lower(contact.state()));
        json.writeStringField("addedAt", times.iso(contact.addedAt()));
        bytes("hpkePublicKey", contact.hpkePublicKey());
        bytes("card", contact.card());
        json.writeEndObject();
    }

    private void room(String roomId, HistoryConversation.Room room) throws IOException {
        HexFormat hex = HexFormat.of();
        json.writeObjectFieldStart("room");
        json.writeStringField("id", roomId);
        json.writeStringField("status", lower(room.status()));
        if (room.invitedBy() == null) {
            json.writeNullField("invitedBy");
        } else {
            json.writeStringField("invitedBy", room.invitedBy());
        }
        json.writeArrayFieldStart("events");
        for (MembershipEvent event : room.log()) {
            json.writeStartObject();
            json.writeNumberField("epoch", event.epoch());
            json.writeStringField("hash", hex.formatHex(event.hash()));
            json.writeStringField("author", event.author());
            json.writeStringField("authorName", names.of(event.author()));
            json.writeStringField("signed", Base64.getEncoder().encodeToString(event.event()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void bytes(String field, byte[] value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, Base64.getEncoder().encodeToString(value));
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
