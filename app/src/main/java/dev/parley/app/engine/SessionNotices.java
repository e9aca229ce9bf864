package dev.parley.app.engine;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SessionNotice;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line "Secure session renewed" in the conversation with a contact whose session was renewed, stored like any
 * message (so the window shows it after a restart and exports keep it) and then reported
 * ({@link EngineEvent.SessionRenewed}). The sessions tell this once per renewal on each side, never per message
 * sealed again, so there is one line per renewal. It is ours, and read: it counts as no unread message, and no
 * receipt or delivery concerns it. A blocked peer's renewals leave none: they are answered, but as often as it likes.
 */
final class SessionNotices {
    private static final Logger log = LoggerFactory.getLogger(SessionNotices.class);

    private final PeerId me;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final HybridClock clock;
    private final InstantSource time;
    private final Consumer<EngineEvent> events;

    SessionNotices(PeerId me, SqliteStore store, ContactBook contacts, HybridClock clock, InstantSource time,
                   Consumer<EngineEvent> events) {
        this.me = me;
        this.store = store;
        this.contacts = contacts;
        this.clock = clock;
        this.time = time;
        this.events = events;
    }

    /**
     * Stores the notice that the session with {@code peer} was renewed and reports it once it is durable. Called with
     * the peer's session lock held, so it does not wait for the write.
     */
    void renewed(PeerId peer) {
        // A blocked peer is answered (so that it cannot tell it is blocked), but may start as often as it likes.
        if (contacts.get(peer).map(ContactBook.Known::state).filter(state -> state == ContactState.BLOCKED)
                .isPresent()) {
            log.debug("no notice of the session renewed with {}: blocked", peer);
            return;
        }
        long hlc = clock.now();
        StoredMessage notice = new StoredMessage(MessageId.timeOrdered(HybridClock.millis(hlc)).toString(),
                contacts.conversationId(peer), me.toBase58(), hlc, Instant.ofEpochMilli(HybridClock.millis(hlc)),
                time.instant(), Direction.OUTGOING, MessageKind.NOTICE, new SessionNotice(peer.toBase58()).encode(),
                MessageState.READ);
        try {
            store.messages().insertAsync(notice).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    log.warn("the notice that the session with {} was renewed was not stored: {}", peer,
                            failure.getMessage());
                }
                reported(peer, failure == null ? Optional.of(notice) : Optional.empty());
            });
        } catch (StoreException e) {
            log.warn("the notice that the session with {} was renewed was not stored: {}", peer, e.getMessage());
            reported(peer, Optional.empty());
        }
    }

    private void reported(PeerId peer, Optional<StoredMessage> stored) {
        Optional<ChatMessage> shown = stored.map(notice -> StoreTypes.chatMessage(notice, peer));
        events.accept(new EngineEvent.SessionRenewed(peer, shown));
    }
}
