package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.EnvelopeKind;
import java.util.List;

/**
 * How the rooms send 1:1 (membership events, invitations, sender keys): through the engine's outbox, sealed to each
 * recipient's card, who need not be a contact, and delivered at least once like a message.
 */
@FunctionalInterface
public interface RoomOutbox {
    /** Seals {@code payload} to each of {@code recipients} and keeps the envelopes; returns once all are durable. */
    void queueToEach(List<ContactCard> recipients, EnvelopeKind kind, byte[] payload);
}
