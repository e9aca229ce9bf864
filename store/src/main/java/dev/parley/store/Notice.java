package dev.parley.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a notice in a conversation says happened ("Alice added Bob"): the body of a message of kind
 * {@link MessageKind#NOTICE}, kept as the store keeps any body, and rendered into its sentence only where it is shown,
 * with the names the reader knows then ({@link #text}). The body is one JSON object, versioned by its first field:
 *
 * <pre>
 * {"notice":1,"event":"added","actor":"12D3KooW…","subject":"12D3KooW…"}     added, removed, promoted
 * {"notice":1,"event":"renamed","actor":"12D3KooW…","name":"Climbing"}       created, renamed
 * {"notice":1,"event":"left","actor":"12D3KooW…"}                            left
 * </pre>
 *
 * A 1:1 conversation's notice that its secure session was renewed is a {@link SessionNotice}, a body of the same
 * version with an event of its own, which {@link #text} renders too.
 *
 * Notices stored before this format hold their English sentence itself; a body that is not a notice of this
 * version shows as it is.
 *
 * @param actor   the PeerId of who made the change, as text
 * @param subject the PeerId of the member it was made to: present exactly for added, removed and promoted
 * @param name    the room's name it gave: present exactly for created and renamed
 */
public record Notice(Event event, String actor, Optional<String> subject, Optional<String> name) {
    /** The version the first field of a body names; a body of another version shows as it is. */
    public static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    /** What happened. */
    public enum Event {
        CREATED, ADDED, REMOVED, LEFT, RENAMED, PROMOTED;

        boolean hasSubject() {
            return this == ADDED || this == REMOVED || this == PROMOTED;
        }

        boolean hasName() {
            return this == CREATED || this == RENAMED;
        }

        String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Notice {
        Check.present("notice event", event);
        Check.id("notice actor", actor);
        Check.present("notice subject", subject).ifPresent(peer -> Check.id("notice subject", peer));
        Check.present("notice name", name);
        if (subject.isPresent() != event.hasSubject()) {
            throw new InvalidInputException("a notice of " + event.field() + (event.hasSubject() ? " needs" : " has no")
                    + " subject");
        }
        if (name.isPresent() != event.hasName()) {
            throw new InvalidInputException("a notice of " + event.field() + (event.hasName() ? " needs" : " has no")
                    + " name");
        }
    }

    /** The body that stores this notice. */
    public String encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", event.field());
        fields.put("actor", actor);
        subject.ifPresent(peer -> fields.put("subject", peer));
        name.ifPresent(given -> fields.put("name", given));
        return body(fields);
    }

    /** A notice body of this version: its version field, then {@code fields} in their order. */
    static String body(Map<String, String> fields) {
        StringWriter body = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeNumberField("notice", VERSION);
            for (Map.Entry<String, String> field : fields.entrySet()) {
                json.writeStringField(field.getKey(), field.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string does not fail", e);
        }
        return body.toString();
    }

    /**
     * The notice a body stores; empty for any other body: an older Parley's English sentence, a notice of another
     * version, or anything that is not exactly one notice object (an unknown or repeated field, something after it).
     */
    public static Optional<Notice> decode(String body) {
        Optional<Map<String, String>> parsed = fields(body);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> fields = parsed.get();
        try {
            Event event = Event.valueOf(String.valueOf(fields.remove("event")).toUpperCase(Locale.ROOT));
            Notice notice = new Notice(event, fields.remove("actor"), Optional.ofNullable(fields.remove("subject")),
                    Optional.ofNullable(fields.remove("name")));
            return fields.isEmpty() ? Optional.of(notice) : Optional.empty();
        } catch (IllegalArgumentException | InvalidInputException e) {
            return Optional.empty();
        }
    }

    /**
     * The fields of a notice body of this version, its version field taken off (all of them strings); empty for a
     * body that is not exactly one such object (an unknown type of value, a repeated field, something after it).
     * Shared with {@link SessionNotice}, whose bodies are notices of the same version.
     */
    static Optional<Map<String, String>> fields(String body) {
        if (!body.startsWith("{")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
                String field = json.currentName();
                JsonToken expected = field.equals("notice") ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_STRING;
                if (json.nextToken() != expected || fields.put(field, json.getText()) != null) {
                    return Optional.empty();
                }
            }
            if (json.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!String.valueOf(VERSION).equals(fields.remove("notice"))) {
            return Optional.empty();
        }
        return Optional.of(fields);
    }

    /** The sentence this notice shows, with the names {@code nameOf} gives PeerIds: "Alice added Bob". */
    public String render(Function<String, String> nameOf) {
        String who = nameOf.apply(actor);
        return switch (event) {
            case CREATED -> who + " created the room " + name.orElseThrow();
            case ADDED -> who + " added " + nameOf.apply(subject.orElseThrow());
            case REMOVED -> who + " removed " + nameOf.apply(subject.orElseThrow());
            case LEFT -> who + " left";
            case RENAMED -> who + " renamed the room to " + name.orElseThrow();
            case PROMOTED -> who + " made " + nameOf.apply(subject.orElseThrow()) + " an admin";
        };
    }

    /**
     * What a notice's body shows, wherever it is shown (the app, {@code parley chat}, an export): its sentence with
     * the names {@code nameOf} gives PeerIds (a {@link SessionNotice}'s sentence too), or a body that is no notice
     * of this version (an older Parley's sentence) as it is.
     */
    public static String text(String body, Function<String, String> nameOf) {
        return decode(body).map(notice -> notice.render(nameOf))
                .or(() -> SessionNotice.decode(body).map(SessionNotice::render)).orElse(body);
    }
}
