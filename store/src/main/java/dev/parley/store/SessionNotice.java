package dev.parley.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The notice in a 1:1 conversation that its secure session was renewed (after a restore on a new machine, or a
 * damaged session): the body of a message of kind {@link MessageKind#NOTICE}, a {@link Notice} body of the same
 * version with an event of its own, {@code {"notice":1,"event":"session-renewed","peer":"12D3KooW…"}}. It names the
 * peer the session is with rather than anyone who did something, so it is not one of the membership notices
 * {@link Notice} decodes; {@link Notice#text} renders both.
 *
 * @param peer the PeerId, as text, of the contact the renewed session is with
 */
public record SessionNotice(String peer) {
    static final String EVENT = "session-renewed";

    public SessionNotice {
        Check.id("session notice peer", peer);
    }

    /** The body that stores this notice. */
    public String encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", EVENT);
        fields.put("peer", peer);
        return Notice.body(fields);
    }

    /** The notice a body stores; empty for any other body, membership notices included. */
    public static Optional<SessionNotice> decode(String body) {
        return Notice.fields(body).filter(fields -> fields.size() == 2 && EVENT.equals(fields.get("event"))
                && fields.containsKey("peer")).flatMap(fields -> {
                    try {
                        return Optional.of(new SessionNotice(fields.get("peer")));
                    } catch (InvalidInputException e) {
                        return Optional.empty();
                    }
                });
    }

    /** The sentence it shows where no language is chosen (the command line, the exports). */
    public String render() {
        return "Secure session renewed";
    }
}
