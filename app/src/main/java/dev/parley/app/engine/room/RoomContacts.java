package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.PeerId;
import java.util.Optional;

/**
 * The user's contact book as the rooms ask it: only accepted contacts are invited or taken invitations from, a
 * contact is named as the user named it, and a member who is no contact says itself where it is. The engine answers
 * from its contact book.
 */
@FunctionalInterface
public interface RoomContacts {
    /** {@code peer} as the contact book holds it, in whatever state; empty for a peer it does not hold. */
    Optional<Contact> find(PeerId peer);

    /**
     * A peer in the contact book.
     *
     * @param accepted whether the user accepted it (not a request, not blocked)
     * @param card     its signed card; empty for a peer blocked before its card was known
     */
    record Contact(String name, boolean accepted, Optional<ContactCard> card) {
    }
}
