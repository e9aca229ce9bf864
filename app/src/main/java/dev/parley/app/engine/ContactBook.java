package dev.parley.app.engine;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.InvalidCardException;
import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.Conversation;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers the user knows of, kept in the store and mirrored in memory, because every incoming envelope asks
 * who its sender is. A contact with a card also has its direct conversation in the store.
 *
 * <p>Of a peer's cards the newest by {@link ContactCard#issuedAt()} is kept, whichever way a card comes in (an
 * invite code, nearby discovery, the profile protocol, a first message): an invite code handed on by someone
 * else, or a card fetched before the peer changed its name or key, must not undo that change. A card issued at
 * the same time as the one held does not replace it either, so that of two cards no one can tell apart by time
 * the first one seen stays.
 */
final class ContactBook {
    private static final Logger log = LoggerFactory.getLogger(ContactBook.class);

    /**
     * A known peer.
     *
     * @param card the peer's signed card; null for a peer blocked before its card was known
     */
    record Known(PeerId peer, ContactCard card, String name, ContactState state, Optional<Instant> lastSeen) {
        Known withState(ContactState newState) {
            return new Known(peer, card, name, newState, lastSeen);
        }
    }

    private final SqliteStore store;
    private final PeerId me;
    private final Map<PeerId, Known> known = new ConcurrentHashMap<>();
    /**
     * The direct conversation id of each peer asked for that is known here (a SHA-256 and a hex spelling each time
     * otherwise, for every message either way); a stranger's is not kept, so that strangers cannot fill it.
     */
    private final Map<PeerId, String> conversationIds = new ConcurrentHashMap<>();
    /** Keeps store and memory in step, and two first messages of one stranger from making two requests. */
    private final ReentrantLock changes = new ReentrantLock();
    private final InstantSource wall;

    private ContactBook(SqliteStore store, PeerId me, InstantSource wall) {
        this.store = store;
        this.me = me;
        this.wall = wall;
    }

    /** The contact book in {@code store}; {@code wall} stamps when contacts were stored and last seen. */
    static ContactBook load(SqliteStore store, PeerId me, InstantSource wall) {
        ContactBook book = new ContactBook(store, me, wall);
        book.learnFromStore();
        return book;
    }

    /**
     * Adds the peers the store holds and memory does not: a history import writes contact rows straight into the
     * store under a running engine. A peer already known keeps what memory holds, which the engine wrote through
     * to the store itself and which may be newer than the imported row.
     *
     * @return the peers added
     */
    List<PeerId> learnFromStore() {
        changes.lock();
        try {
            List<PeerId> learned = new ArrayList<>();
            for (ContactState state : ContactState.values()) {
                for (Contact contact : store.contacts().list(state)) {
                    PeerId peer = PeerId.parse(contact.peerId());
                    if (known.containsKey(peer)) {
                        continue;
                    }
                    ContactCard card = card(peer, contact);
                    known.put(peer, new Known(peer, card, card != null ? card.displayName() : contact.displayName(),
                            state, Optional.ofNullable(contact.lastSeen())));
                    learned.add(peer);
                }
            }
            return learned;
        } finally {
            changes.unlock();
        }
    }

    /**
     * The stored card, if it verifies and is {@code peer}'s own: a history import writes contact rows as the file
     * has them, and a card of someone else kept for {@code peer} would have messages to {@code peer} sealed to
     * that someone else.
     */
    private static ContactCard card(PeerId peer, Contact contact) {
        if (contact.card() == null) {
            return null;
        }
        ContactCard card;
        try {
            card = ContactCard.decode(contact.card());
        } catch (InvalidCardException e) {
            log.warn("the stored card of {} does not verify ({}); it is fetched again on the next connection",
                    peer, e.getMessage());
            return null;
        }
        if (!card.peerId().equals(peer)) {
            log.warn("the card stored for {} is the card of {}; it is fetched again on the next connection",
                    peer, card.peerId());
            return null;
        }
        return card;
    }

    Optional<Known> get(PeerId peer) {
        return Optional.ofNullable(known.get(peer));
    }

    /** The peers in {@code state}, by name. */
    List<Known> list(ContactState state) {
        return known.values().stream().filter(k -> k.state() == state)
                .sorted(Comparator.comparing(Known::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(k -> k.peer().toBase58()))
                .toList();
    }

    /**
     * Stores {@code card}'s owner in {@code state}, with its conversation. The card is kept only if it is newer
     * than the one held (see the class comment); the state is set either way.
     */
    Known put(ContactCard card, ContactState state) {
        changes.lock();
        try {
            Known current = known.get(card.peerId());
            ContactCard held = current == null ? null : current.card();
            if (supersedes(card, held)) {
                return store(card, state);
            }
            log.info("kept the card of {} issued at {}; the one offered was issued at {}", card.peerId(),
                    held.issuedAt(), card.issuedAt());
            return store(held, state);
        } finally {
            changes.unlock();
        }
    }

    /**
     * Keeps {@code card} if it is newer than the one we hold for its peer; returns the contact if the card says
     * something different, for subscribers to hear of. A newer card that says the same is kept all the same: the
     * peer makes a card at every start, and holding its latest keeps any card it issued before that out. A peer
     * we do not know, or hold no card for, is left alone.
     */
    Optional<Known> replaceCardIfNewer(ContactCard card) {
        changes.lock();
        try {
            Known current = known.get(card.peerId());
            if (current == null || current.card() == null || !supersedes(card, current.card())) {
                return Optional.empty();
            }
            boolean same = card.displayName().equals(current.card().displayName())
                    && Arrays.equals(card.hpkePublicKey(), current.card().hpkePublicKey());
            Known stored = store(card, current.state());
            return same ? Optional.empty() : Optional.of(stored);
        } finally {
            changes.unlock();
        }
    }

    /** Whether {@code offered} replaces {@code heldOrNull}: only a card issued later does. */
    private static boolean supersedes(ContactCard offered, ContactCard heldOrNull) {
        return heldOrNull == null || offered.issuedAt().isAfter(heldOrNull.issuedAt());
    }

    /**
     * Stores a stranger who wrote first as a request; empty if the peer became known meanwhile.
     *
     * @throws RequestsFullException when {@code maxRequests} requests wait already
     */
    Optional<Known> addRequest(ContactCard card, int maxRequests) throws RequestsFullException {
        changes.lock();
        try {
            if (known.containsKey(card.peerId())) {
                return Optional.empty();
            }
            if (requestsFull(maxRequests)) {
                throw new RequestsFullException(card.peerId());
            }
            return Optional.of(store(card, ContactState.REQUEST));
        } finally {
            changes.unlock();
        }
    }

    /** Whether {@code maxRequests} requests or more wait for the user. */
    boolean requestsFull(int maxRequests) {
        return known.values().stream().filter(k -> k.state() == ContactState.REQUEST).count() >= maxRequests;
    }

    private Known store(ContactCard card, ContactState state) {
        assert changes.isHeldByCurrentThread();
        PeerId peer = card.peerId();
        Known previous = known.get(peer);
        Optional<Instant> lastSeen = previous != null ? previous.lastSeen() : Optional.empty();
        Instant now = wall.instant();
        store.contacts().put(new Contact(peer.toBase58(), card.displayName(), card.hpkePublicKey(), card.encode(),
                state, now, lastSeen.orElse(null)));
        store.conversations().create(Conversation.direct(conversationId(peer), peer.toBase58(), card.displayName(), now));
        Known stored = new Known(peer, card, card.displayName(), state, lastSeen);
        known.put(peer, stored);
        return stored;
    }

    /** Accepts, blocks or requests a known peer. */
    Known setState(Known peer, ContactState state) {
        changes.lock();
        try {
            store.contacts().setState(peer.peer().toBase58(), state);
            Known changed = known.get(peer.peer()).withState(state);
            known.put(peer.peer(), changed);
            return changed;
        } finally {
            changes.unlock();
        }
    }

    /** Blocks a peer never stored, of which only the PeerId is known. */
    Known blockUnknown(PeerId peer) {
        changes.lock();
        try {
            Known existing = known.get(peer);
            if (existing != null) {
                return setState(existing, ContactState.BLOCKED);
            }
            store.contacts().put(new Contact(peer.toBase58(), peer.toBase58(), null, null, ContactState.BLOCKED,
                    wall.instant(), null));
            Known blocked = new Known(peer, null, peer.toBase58(), ContactState.BLOCKED, Optional.empty());
            known.put(peer, blocked);
            return blocked;
        } finally {
            changes.unlock();
        }
    }

    /** Records that a connection to a known peer opened or closed now. */
    void seen(PeerId peer) {
        Instant at = wall.instant();
        changes.lock();
        try {
            Known existing = known.get(peer);
            if (existing != null) {
                store.contacts().setLastSeen(peer.toBase58(), at);
                known.put(peer, new Known(peer, existing.card(), existing.name(), existing.state(), Optional.of(at)));
            }
        } finally {
            changes.unlock();
        }
    }

    /** The id of the direct conversation with {@code peer}, as the store keeps it. */
    String conversationId(PeerId peer) {
        String kept = conversationIds.get(peer);
        if (kept != null) {
            return kept;
        }
        String id = ConversationId.direct(me, peer).toString();
        if (known.containsKey(peer)) {
            conversationIds.put(peer, id);
        }
        return id;
    }
}
