package dev.parley.app.engine;

import dev.parley.store.NotFoundException;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where contacts were reachable (from invite codes, nearby discovery, identify on past connections), kept in the
 * store so that queued messages can be delivered after a restart of either side, before discovery finds the
 * contact again. The store keeps the most recently seen few per contact.
 *
 * <p>An invite code's addresses are claims by whoever handed the code over, not by the contact: an altered code
 * could have us dial, again and again, a host that learns from it when we are online and from where. They are
 * kept as hints, tried until the contact says where it listens (identify) and then dropped, or dropped after
 * {@link #HINT_LIFETIME} if it never does.
 */
final class ContactAddresses {
    /**
     * How long a hint the contact never confirmed is tried: an invite code is used within days, and a month leaves
     * room for a contact who is away meanwhile.
     */
    static final Duration HINT_LIFETIME = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(ContactAddresses.class);

    private final SqliteStore store;
    /** When an address was learnt, which a hint's lifetime counts from. */
    private final InstantSource wall;

    ContactAddresses(SqliteStore store, InstantSource wall) {
        this.store = store;
        this.wall = wall;
    }

    /** The contact's addresses, its own most recently seen first, then the hints. */
    List<Multiaddr> of(PeerId contact) {
        return store.contacts().addresses(contact.toString()).stream().map(Multiaddr::parse).toList();
    }

    /**
     * Records that {@code contact} was reachable at {@code learnt} now, by its own word or because it was reached
     * there; a peer that is no contact is skipped.
     */
    void remember(PeerId contact, Collection<Multiaddr> learnt) {
        write(contact, "save the addresses", () -> store.contacts().rememberAddresses(contact.toString(), text(learnt),
                wall.instant()));
    }

    /** Records addresses someone other than {@code contact} claims for it, such as an invite code's. */
    void hint(PeerId contact, Collection<Multiaddr> claimed) {
        write(contact, "save the address hints", () -> store.contacts().hintAddresses(contact.toString(), text(claimed),
                wall.instant()));
    }

    /**
     * {@code contact} said where it listens: those addresses are its own from now on, and the hints for it that
     * are not among them are dropped. Returns the hints dropped.
     */
    List<Multiaddr> told(PeerId contact, Collection<Multiaddr> own) {
        remember(contact, own);
        try {
            return store.contacts().forgetHints(contact.toString()).stream().map(Multiaddr::parse).toList();
        } catch (StoreException e) {
            log.warn("could not drop the address hints of {}: {}", contact, e.getMessage());
            return List.of();
        }
    }

    /** Drops the hints given longer than {@link #HINT_LIFETIME} before {@code now} that no contact confirmed. */
    void forgetStaleHints(Instant now) {
        int forgotten = store.contacts().forgetHintsGivenBefore(now.minus(HINT_LIFETIME));
        if (forgotten > 0) {
            log.info("dropped {} address hints from invite codes that their contacts never confirmed", forgotten);
        }
    }

    private static List<String> text(Collection<Multiaddr> addresses) {
        return addresses.stream().map(Multiaddr::withoutPeerId).map(Multiaddr::toString).distinct().toList();
    }

    private static void write(PeerId contact, String what, Runnable write) {
        try {
            write.run();
        } catch (NotFoundException e) {
            log.debug("did not {} of {}: not a contact", what, contact);
        } catch (StoreException e) {
            log.warn("could not {} of {}: {}", what, contact, e.getMessage());
        }
    }
}
