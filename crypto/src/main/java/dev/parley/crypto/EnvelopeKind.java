package dev.parley.crypto;

import dev.parley.crypto.wire.EnvelopeProtos;
import java.util.Optional;

/**
 * What an envelope's payload is. Wire numbers are those of {@code Kind} in envelope.proto, matched by name;
 * numbers this version does not know (a newer peer's kinds, or 0) have no constant and are rejected on open.
 */
public enum EnvelopeKind {
    /** A chat message. */
    TEXT,
    /** Receipt: the recipient has stored the message. */
    DELIVERED,
    /** Receipt: the recipient has shown the message. */
    READ,
    /** Typing notice; ephemeral, never stored or retried. */
    TYPING,
    /** A room sender key ({@link SenderKey#encode()}), sent 1:1 to each member. */
    SENDER_KEY,
    /** A room membership-log event. */
    ROOM_EVENT,
    /** An invitation into a room, sent 1:1. */
    ROOM_INVITE,
    /** An updated contact card. */
    PROFILE,
    /** A reaction to a message. */
    REACTION,
    /** A correction of an earlier message. */
    EDIT,
    /** Withdrawal of an earlier message. */
    DELETE,
    /** A session's first step, from its initiator: a signed 1:1 envelope (session.SessionHandshake). */
    SESSION_INIT,
    /** The responder's answer to a {@link #SESSION_INIT}: a signed 1:1 envelope. */
    SESSION_ACCEPT,
    /** A request for a new session from a peer that cannot open a session envelope: a signed 1:1 envelope. */
    SESSION_RENEW,
    /**
     * The initiator's first message under a new session, empty: a responder has no sending chain until it opens one
     * (crypto/README.md, "Sessions: starting one"), so this one goes at once, whatever else waits. Never signed.
     */
    SESSION_READY,
    /**
     * A capability to deposit in the sender's mailbox (the app's {@code MailboxGrant}), or word that there is none any
     * more; sent 1:1 only to peers whose card lists {@link ContactCard.Feature#MAILBOX_DEPOSITS}.
     */
    MAILBOX_GRANT;

    int wireNumber() {
        return EnvelopeProtos.Kind.valueOf(name()).getNumber();
    }

    static Optional<EnvelopeKind> fromWire(int number) {
        EnvelopeProtos.Kind kind = EnvelopeProtos.Kind.forNumber(number);
        if (kind == null || kind == EnvelopeProtos.Kind.KIND_UNSPECIFIED) {
            return Optional.empty();
        }
        return Optional.of(valueOf(kind.name()));
    }
}
