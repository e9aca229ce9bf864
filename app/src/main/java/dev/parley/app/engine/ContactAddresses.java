package dev.parley.app.engine;

import dev.parley.store.NotFoundException;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where contacts were reachable (from invite codes, nearby discovery, identify on past connections), kept in the
 * store so that queued messages can be delivered after a restart of either side, before discovery finds the
 * contact again. The store keeps the most recently seen few per contact.
 */
final class ContactAddresses {
    private static final Logger log = LoggerFactory.getLogger(ContactAddresses.class);

    private final SqliteStore store;

    ContactAddresses(SqliteStore store) {
        this.store = store;
    }

    /** The contact's addresses, most recently seen first. */
    List<Multiaddr> of(PeerId contact) {
        return store.contacts().addresses(contact.toString()).stream().map(Multiaddr::parse).toList();
    }

    /** Records that {@code contact} was reachable at {@code learnt} now; a peer that is no contact is skipped. */
    void remember(PeerId contact, Collection<Multiaddr> learnt) {
        List<String> addresses = learnt.stream().map(Multiaddr::withoutPeerId).map(Multiaddr::toString)
                .distinct().toList();
        try {
            store.contacts().rememberAddresses(contact.toString(), addresses, Instant.now());
        } catch (NotFoundException e) {
            log.debug("not remembering addresses of {}: not a contact", contact);
        } catch (StoreException e) {
            log.warn("could not save the addresses of {}: {}", contact, e.getMessage());
        }
    }
}
