package dev.parley.app.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.mailbox.MailboxCourier;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.session.Sessions;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.DeliveredReceipt;
import dev.parley.app.engine.wire.ChatProtos.MailboxGrant;
import dev.parley.app.engine.wire.ChatProtos.ReadReceipt;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.SessionHandshakeException;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.InvalidInputException;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.OpenedEnvelope;
import dev.parley.store.Receipt;
import dev.parley.store.ReceiptKind;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an envelope a peer sent us: it is verified and opened, then stored, turned into events and
 * acknowledged according to its kind and to who sent it. A message from a blocked peer is acknowledged and
 * dropped; the first message of a stranger makes it a request (its card is fetched on the same connection, as
 * replying needs its HPKE key), which keeps its messages within a {@link RequestQuota}. What is stored is taken no
 * faster than the peer's {@link InboundRate}: beyond it the caller waits, and with it the peer's stream.
 */
final class Inbox {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    /**
     * Crypto's replay guard lets every envelope through: the store is the durable one (a message is unique there by
     * conversation, sender and id, so a replay of the sender's own envelope is a duplicate while nobody can claim
     * another sender's id), and a duplicate must still be acknowledged again, since the sender resends until it
     * hears an ack.
     */
    private static final ReplayGuard STORE_DEDUPLICATES = id -> true;
    /** Strangers whose mailbox grant waits in memory for the first message that makes them a request. */
    static final int MAX_STRANGERS_GRANTS = 32;

    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final Sessions sessions;
    private final ContactBook contacts;
    private final SqliteStore store;
    private final HybridClock clock;
    private final EventDispatcher events;
    private final Executor tasks;
    private final RoomService rooms;
    private final MessageActions actions;
    private final FileTransfers files;
    private final RequestQuota quota;
    private final InboundLimiter limiter;
    private final Clocks clocks;
    /** Hears of a contact that gave us a capability to its mailbox: what waits for it may go there now. */
    private final Consumer<PeerId> mailboxGranted;
    /**
     * Someone who adds us grants us its mailbox at once, so its grant often comes just before its first message; kept
     * here until then (the most recent {@link #MAX_STRANGERS_GRANTS}, in memory: a stranger costs no disk), as a grant
     * acknowledged but dropped is lost for good.
     */
    private final Map<PeerId, Opened> strangersGrants = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Opened> eldest) {
            return size() > MAX_STRANGERS_GRANTS;
        }
    });

    Inbox(Identity me, TinkEnvelopeSealer sealer, Sessions sessions, ContactBook contacts, SqliteStore store, HybridClock clock,
          EventDispatcher events, Executor tasks, RoomService rooms, MessageActions actions, FileTransfers files,
          InboundRate rate, Clocks clocks, Consumer<PeerId> mailboxGranted) {
        this.actions = actions;
        this.files = files;
        this.mailboxGranted = mailboxGranted;
        this.me = me;
        this.sealer = sealer;
        this.sessions = sessions;
        this.contacts = contacts;
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.tasks = tasks;
        this.rooms = rooms;
        this.quota = new RequestQuota(store);
        this.limiter = new InboundLimiter(rate);
        this.clocks = clocks;
    }

    /**
     * An envelope read from a peer's stream and checked on the crypto pool: opened already if it is signed
     * ({@link Signed}), or left to open in the peer's order under the session with it ({@link UnderSession}).
     */
    sealed interface Checked {
    }

    record Signed(Opened opened) implements Checked {
    }

    record UnderSession(byte[] envelope, EnvelopeHeader header) implements Checked {
    }

    /**
     * Checks an envelope {@code from} sent: it must be from that peer, to us, in our conversation with it. A signed one
     * is verified and opened on {@code crypto} (CPU work); a session envelope is only decoded, here: less work than
     * handing it to another thread. Fails with the {@link EnvelopeException} or {@link ChatProtocolException}.
     */
    CompletableFuture<Checked> check(byte[] envelope, PeerId from, Executor crypto) {
        EnvelopeHeader header;
        try {
            header = Envelope.decode(envelope).header();
            if (!header.sender().equals(from)) {
                throw new ChatProtocolException("envelope " + header.messageId() + " from " + header.sender()
                        + " was carried by " + from + "; only direct envelopes are taken");
            }
            if (!header.conversationId().equals(ConversationId.direct(me.peerId(), from))) {
                throw new ChatProtocolException("envelope " + header.messageId() + " from " + from
                        + " names conversation " + header.conversationId() + ", not ours with it");
            }
        } catch (EnvelopeException | ChatProtocolException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (header.sealing() == EnvelopeHeader.Sealing.SESSION) {
            return CompletableFuture.completedFuture(new UnderSession(envelope, header));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Signed(sealer.openDirect(me, envelope, STORE_DEDUPLICATES));
            } catch (EnvelopeException e) {
                throw new CompletionException(e);
            }
        }, crypto);
    }

    /**
     * What became of an envelope once what had to be stored is durable: the id to acknowledge (none for typing
     * notices, which are never acknowledged) and the event to report, if any. They are released in the order the
     * peer sent the envelopes, whatever order the store completes them in. {@code recordedOpened}: the write that
     * stored what it brings also recorded the session envelope as opened.
     */
    record Accepted(Optional<MessageId> ack, Optional<EngineEvent> event, boolean recordedOpened) {
        /** What wrote nothing that records the session envelope carrying it as opened. */
        Accepted(Optional<MessageId> ack, Optional<EngineEvent> event) {
            this(ack, event, false);
        }

        static CompletableFuture<Accepted> now(Optional<MessageId> ack, Optional<EngineEvent> event) {
            return CompletableFuture.completedFuture(new Accepted(ack, event));
        }
    }

    /**
     * Handles an opened envelope, in the order its peer sent it; waits first while its peer sends faster than its
     * {@link InboundRate}.
     *
     * @param connection where it came from: a stranger's card is fetched there
     * @throws IOException when the envelope's payload is malformed or a stranger's card cannot be had, when a new
     *                     stranger finds the requests full ({@link RequestsFullException}), or when interrupted
     */
    CompletableFuture<Accepted> accept(Checked checked, Connection connection) throws IOException {
        return switch (checked) {
            case Signed signed -> accept(signed.opened(), connection);
            case UnderSession envelope -> acceptUnderSession(envelope, connection);
        };
    }

    /**
     * Opens a session envelope, in its peer's order, and handles it like a signed one. A copy of one opened before is
     * acknowledged again; one that opens under no session held is left unacknowledged (its sender keeps it, and seals
     * it again under the new session this side asks for).
     */
    private CompletableFuture<Accepted> acceptUnderSession(UnderSession envelope, Connection connection)
            throws IOException {
        PeerId peer = envelope.header().sender();
        Sessions.Received received;
        try {
            received = sessions.open(envelope.envelope(), envelope.header());
        } catch (EnvelopeException e) {
            throw new ChatProtocolException(e.getMessage(), e);
        }
        return switch (received) {
            case Sessions.Duplicate duplicate -> Accepted.now(Optional.of(duplicate.id()), Optional.empty());
            case Sessions.Stale stale -> {
                // A copy a relay kept, one sealed before the session moved on, or one its sender sealed again after a
                // restore from an older backup (under keys used here already). A copy of a message stored here is
                // acknowledged as one; otherwise a new session is asked for, paced: the sender heeds the request only
                // if it still holds the envelope, as a sender restored from a backup does and a relay's copy is not.
                log.debug("envelope {} from {} is older than the session held here: {}", stale.id(), peer, stale.why());
                yield notOpened(peer, stale.id(), connection);
            }
            case Sessions.Unreadable unreadable -> {
                log.info("envelope {} from {} does not open under a session held here: {}", unreadable.id(), peer,
                        unreadable.why());
                yield notOpened(peer, unreadable.id(), connection);
            }
            case Sessions.Fresh fresh -> {
                OpenedEnvelope carrier = new OpenedEnvelope(peer.toBase58(), fresh.id().toString(),
                        clocks.wall().instant());
                CompletableFuture<Accepted> accepted = accept(fresh.opened(), connection, Optional.of(carrier));
                sessions.openedRecording(fresh, accepted.thenApply(Accepted::recordedOpened));
                yield accepted;
            }
        };
    }

    /**
     * A session envelope that opens under no session held. Its message stored already (opened by a run killed after
     * it stored the message, with the state that opened it, and before it recorded the envelope as opened): a copy,
     * acknowledged as one. Otherwise left unacknowledged, and a new session asked for, at most once a minute.
     */
    private CompletableFuture<Accepted> notOpened(PeerId peer, MessageId id, Connection connection) throws IOException {
        if (storedAlready(peer, id)) {
            return Accepted.now(Optional.of(id), Optional.empty());
        }
        if (sessions.wouldRequestRenewal(peer)) {
            if (contacts.get(peer).isEmpty() && contacts.requestsFull(RequestQuota.MAX_PENDING_REQUESTS)) {
                throw new RequestsFullException(peer);
            }
            sessions.requestRenewal(cardOf(peer, connection), id);
        }
        return Accepted.now(Optional.empty(), Optional.empty());
    }

    /** Whether a message {@code peer} sent us with this id is in our conversation with it. */
    private boolean storedAlready(PeerId peer, MessageId id) {
        return store.messages().get(new MessageKey(contacts.conversationId(peer), peer.toBase58(), id.toString()))
                .isPresent();
    }

    /** The card of {@code peer}: a contact's as kept, anyone else's asked for on the connection it came on. */
    private ContactCard cardOf(PeerId peer, Connection connection) throws IOException {
        Optional<ContactCard> kept = contacts.get(peer).map(Known::card);
        return kept.isPresent() ? kept.get() : ProfileProtocol.fetch(connection);
    }

    /**
     * A handshake of a session (INIT, ACCEPT, RENEW), signed. A stranger's INIT is answered while requests are not
     * full, as its first message will be one: a session costs a stranger's Parley one handshake and a record.
     */
    private CompletableFuture<Accepted> handshake(Opened opened, Optional<Known> sender, Connection connection)
            throws IOException {
        PeerId peer = opened.header().sender();
        if (sender.isEmpty() && contacts.requestsFull(RequestQuota.MAX_PENDING_REQUESTS)) {
            throw new RequestsFullException(peer);
        }
        pace(peer, opened.plaintext().length);
        try {
            return sessions.handshake(opened, cardOf(peer, connection))
                    .thenApply(done -> new Accepted(Optional.of(opened.header().messageId()), Optional.empty()));
        } catch (SessionHandshakeException e) {
            throw new ChatProtocolException(e.getMessage(), e);
        }
    }

    private CompletableFuture<Accepted> accept(Opened opened, Connection connection) throws IOException {
        return accept(opened, connection, Optional.empty());
    }

    /**
     * @param carrier the session envelope the message came in, if any: a text stored records it as opened in the
     *                same write
     */
    private CompletableFuture<Accepted> accept(Opened opened, Connection connection, Optional<OpenedEnvelope> carrier)
            throws IOException {
        EnvelopeHeader header = opened.header();
        Optional<Known> sender = contacts.get(header.sender());
        Optional<MessageId> ack = Optional.of(header.messageId());
        if (header.kind() == EnvelopeKind.SESSION_INIT || header.kind() == EnvelopeKind.SESSION_ACCEPT
                || header.kind() == EnvelopeKind.SESSION_RENEW) {
            // A blocked peer's too: its messages are then acknowledged and dropped, as before sessions.
            return handshake(opened, sender, connection);
        }
        if (sender.isPresent() && sender.get().state() == ContactState.BLOCKED) {
            // A blocked peer's mailbox grant is kept, unannounced: it would not be given again were we to accept it.
            return Accepted.now(header.kind() == EnvelopeKind.TYPING ? Optional.empty() : ack,
                    header.kind() == EnvelopeKind.MAILBOX_GRANT ? granted(opened, sender.get()) : Optional.empty());
        }
        // A READY stores nothing, and comes once a session: the handshake that made it was paced.
        if (header.kind() != EnvelopeKind.TEXT && header.kind() != EnvelopeKind.TYPING
                && header.kind() != EnvelopeKind.SESSION_READY) {
            pace(header.sender(), opened.plaintext().length);
        }
        return switch (header.kind()) {
            case SESSION_READY -> Accepted.now(ack, Optional.empty());
            case TEXT -> text(opened, sender, connection, carrier);
            case READ -> Accepted.now(ack, sender.flatMap(known -> read(opened, known)));
            case TYPING -> Accepted.now(Optional.empty(),
                    sender.map(known -> new EngineEvent.Typing(header.sender())));
            case SENDER_KEY, ROOM_EVENT, ROOM_INVITE -> Accepted.now(ack, rooms.received(opened));
            case REACTION, EDIT, DELETE -> action(opened, sender);
            case DELIVERED -> delivered(opened, sender);
            case MAILBOX_GRANT -> {
                if (sender.isEmpty()) {
                    strangersGrants.put(header.sender(), opened);
                    yield Accepted.now(ack, Optional.empty());
                }
                yield Accepted.now(ack, granted(opened, sender.get()));
            }
            default -> {
                log.debug("{} sent an envelope of kind {}, which 1:1 chat does not use; dropped",
                        header.sender(), header.kind());
                yield Accepted.now(ack, Optional.empty());
            }
        };
    }

    /**
     * A reaction, edit or deletion. A contact's is taken. A request's is taken too, within the request's quota: an
     * action acknowledged and dropped would be lost for good (its sender forgets what we acknowledge), and a
     * deletion for everyone lost is a withdrawn text kept; an action refused unacknowledged instead would be sent
     * again and again until the user decides, or for ever if the user never does. Taken, a deletion wipes the text at
     * once; an edit's text counts in the request's quota, twice, as the store may keep it twice (beyond the quota
     * it is dropped and counted as its messages are); reactions are bounded per person and message by the store. A
     * stranger's, which names no message we could hold yet, is left unacknowledged: its sender sends it again after
     * the message that makes it a request.
     */
    private CompletableFuture<Accepted> action(Opened opened, Optional<Known> sender) {
        EnvelopeHeader header = opened.header();
        Optional<MessageId> ack = Optional.of(header.messageId());
        if (sender.isEmpty() || sender.get().state() != ContactState.ACCEPTED
                && sender.get().state() != ContactState.REQUEST) {
            return Accepted.now(Optional.empty(), Optional.empty());
        }
        Known known = sender.get();
        String conversation = contacts.conversationId(known.peer());
        if (known.state() == ContactState.REQUEST && header.kind() == EnvelopeKind.EDIT
                && !quota.reserveEdit(known.peer(), conversation, opened.plaintext().length)) {
            return Accepted.now(ack, dropped(header, known, conversation));
        }
        return Accepted.now(ack, actions.received(new ConversationRef.Direct(known.peer()), conversation,
                known.peer(), header.messageId(), header.hlc(), header.kind(), opened.plaintext()));
    }

    private CompletableFuture<Accepted> text(Opened opened, Optional<Known> known, Connection connection,
                                             Optional<OpenedEnvelope> carrier) throws IOException {
        EnvelopeHeader header = opened.header();
        PeerId peer = header.sender();
        Text payload;
        try {
            payload = Text.parseFrom(opened.plaintext());
        } catch (InvalidProtocolBufferException e) {
            throw new ChatProtocolException("message " + header.messageId() + " from " + peer
                    + " is not a text payload: " + e.getMessage(), e);
        }
        Optional<Known> newRequest = Optional.empty();
        if (known.isEmpty() || known.get().card() == null) {
            if (known.isEmpty() && contacts.requestsFull(RequestQuota.MAX_PENDING_REQUESTS)) {
                throw new RequestsFullException(peer);
            }
            ContactCard card = ProfileProtocol.fetch(connection);
            newRequest = known.isEmpty() ? contacts.addRequest(card, RequestQuota.MAX_PENDING_REQUESTS)
                    : Optional.of(contacts.put(card, known.get().state()));
        }
        Known contact = newRequest.or(() -> contacts.get(peer)).orElseThrow();
        if (known.isEmpty() && newRequest.isPresent()) {
            Optional.ofNullable(strangersGrants.remove(peer)).flatMap(grant -> granted(grant, contact))
                    .ifPresent(events::publish);
        }
        String conversation = contacts.conversationId(peer);
        long bodyBytes = opened.plaintext().length;
        boolean request = contact.state() == ContactState.REQUEST;
        if (request && !quota.reserve(peer, conversation, bodyBytes)) {
            return Accepted.now(Optional.of(header.messageId()), dropped(header, contact, conversation));
        }
        pace(peer, bodyBytes);
        clock.observe(header.hlc());
        Instant now = clocks.wall().instant();
        // The carrier names the sender already: spelling a PeerId in base58 costs a division per digit.
        String sender = carrier.map(OpenedEnvelope::peer).orElseGet(peer::toBase58);
        StoredMessage message = new StoredMessage(header.messageId().toString(), conversation, sender, header.hlc(),
                Instant.ofEpochMilli(HybridClock.millis(header.hlc())), now, Direction.INCOMING,
                MessageKind.TEXT, payload.getBody(), MessageState.RECEIVED);
        Optional<MessageId> ack = Optional.of(header.messageId());
        if (payload.hasFile()) {
            // Kept before the message, so that the message is never stored without the file it offers.
            files.offered(conversation, peer, header.messageId(), payload.getFile());
        }
        CompletableFuture<InsertOutcome> stored;
        try {
            stored = carrier.isPresent() ? store.messages().insertOpenedAsync(message, carrier.get())
                    : store.messages().insertAsync(message);
        } catch (InvalidInputException e) {
            if (request) {
                quota.release(peer, bodyBytes);
            }
            return Accepted.now(ack, Optional.of(new EngineEvent.Error("a message from " + contact.name()
                    + " could not be kept and was dropped: " + e.getMessage())));
        }
        boolean first = known.isEmpty() && newRequest.isPresent();
        // What follows a new message reads the store (actions that waited for it), and writes to it, waiting for the
        // commit, for a reply or a forward (their marks): such a one goes to the tasks, so that its wait holds up none
        // of the writes the store completes on the same thread; any other runs there, without a hop per message.
        Function<InsertOutcome, Accepted> arrived = outcome -> {
            if (outcome == InsertOutcome.DUPLICATE) {
                if (request) {
                    quota.release(peer, bodyBytes);
                }
                return new Accepted(ack, Optional.empty(), carrier.isPresent());
            }
            ChatMessage shown = StoreTypes.chatMessage(message, peer);
            // A request's too: a deletion that came first must wipe the text before anyone sees it.
            MessageActions.Arrival arrival = actions.arrived(new ConversationRef.Direct(peer), message, payload);
            shown = new ChatMessage(shown.id(), peer, false, arrival.text(), shown.hlc(), shown.sentAt(),
                    shown.status(), arrival.details());
            if (payload.hasFile()) {
                files.arrived(new MessageRef(new ConversationRef.Direct(peer), peer, header.messageId()),
                        contact.state() == ContactState.ACCEPTED && !arrival.details().deleted());
            }
            return new Accepted(ack, Optional.of(first ? new EngineEvent.Request(peer, contact.name(), shown)
                    : new EngineEvent.MessageReceived(shown, contact.name())), carrier.isPresent());
        };
        boolean writesMarks = payload.hasReplyTo() || payload.getForwarded();
        return writesMarks ? stored.thenApplyAsync(arrived, tasks) : stored.thenApply(arrived);
    }

    /**
     * A message of a request beyond its quota: acknowledged, not stored, counted. One the request holds already (sent
     * again because its ack was lost) is acknowledged again and not counted.
     */
    private Optional<EngineEvent> dropped(EnvelopeHeader header, Known request, String conversation) {
        PeerId peer = header.sender();
        if (store.messages().get(new MessageKey(conversation, peer.toBase58(), header.messageId().toString()))
                .isPresent()) {
            return Optional.empty();
        }
        OptionalLong dropped = quota.drop(peer, conversation, header.messageId());
        if (dropped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EngineEvent.RequestMessagesDropped(peer, request.name(), dropped.getAsLong()));
    }

    /** Waits while {@code peer} sends faster than its {@link InboundRate}; its stream waits with this thread. */
    private void pace(PeerId peer, long payloadBytes) throws InterruptedIOException {
        Duration wait = limiter.charge(peer, payloadBytes, clocks.elapsed().nanoTime());
        if (wait.isPositive()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing the messages of " + peer);
            }
        }
    }

    /**
     * A DELIVERED receipt: the sender stored these envelopes of ours, which reached it through its mailbox, where no
     * stream carried its ack. Each id counts as that ack would: only an outbox entry for this sender is taken, and a
     * message of ours it carried is DELIVERED once.
     */
    private CompletableFuture<Accepted> delivered(Opened opened, Optional<Known> sender) {
        Optional<MessageId> ack = Optional.of(opened.header().messageId());
        if (sender.isEmpty()) {
            return Accepted.now(ack, Optional.empty());
        }
        PeerId peer = sender.get().peer();
        List<MessageId> ids;
        try {
            ids = ChatFrames.messageIds(DeliveredReceipt.parseFrom(opened.plaintext()).getMessageIdsList(),
                    "delivered receipt", peer);
        } catch (InvalidProtocolBufferException | ChatProtocolException e) {
            log.info("ignoring delivered receipt {} from {}: {}", opened.header().messageId(), peer, e.getMessage());
            return Accepted.now(ack, Optional.empty());
        }
        return store.outbox().acknowledgeAllAsync(ids.stream().map(MessageId::toString).toList(), peer.toBase58(),
                clocks.wall().instant()).thenApply(delivered -> {
                    for (int i = 0; i < ids.size(); i++) {
                        if (delivered.get(i)) {
                            events.publish(new EngineEvent.Delivered(peer, ids.get(i)));
                        }
                    }
                    return new Accepted(ack, Optional.empty());
                });
    }

    /**
     * {@code peer} is known to us now (we added it, accepted it, or it became a request): a grant it sent while a
     * stranger is kept now, on the tasks (review22f: adding someone who added us first left its grant in memory).
     */
    void contactKnown(PeerId peer) {
        Opened grant = strangersGrants.remove(peer);
        if (grant != null) {
            tasks.execute(() -> contacts.get(peer).flatMap(known -> granted(grant, known)).ifPresent(events::publish));
        }
    }

    /**
     * A contact's capability to its mailbox, or word that it has none any more; kept only for depositing for that
     * contact itself: a capability naming another owner is ignored. A request's is kept too (and a stranger's,
     * once its first message makes it one): someone who added us grants us its mailbox before we accept it, and
     * acknowledged but dropped it would be lost for good; the mailbox is used only once we accept, as nothing is sent
     * to a request. A blocked peer's is kept, unannounced, for the same reason: we may accept it again, and it gave
     * it once (review22e). A grant older than the capability held, by its sender's clock, is ignored: a mailbox may
     * serve a contact's grants out of order (review22e).
     */
    private Optional<EngineEvent> granted(Opened opened, Known sender) {
        PeerId peer = sender.peer();
        Instant grantedAt = Instant.ofEpochMilli(HybridClock.millis(opened.header().hlc()));
        try {
            MailboxGrant grant = MailboxGrant.parseFrom(opened.plaintext());
            Optional<byte[]> before = store.mailboxes().held(peer.toBase58());
            if (store.mailboxes().heldGrantedAt(peer.toBase58()).filter(grantedAt::isBefore).isPresent()) {
                log.info("ignoring a mailbox grant from {} older than the capability it gave us since", peer);
                return Optional.empty();
            }
            boolean announced = sender.state() != ContactState.BLOCKED;
            if (grant.getCapability().isEmpty()) {
                store.mailboxes().dropHeld(peer.toBase58());
                releaseHeldIn(peer, before);
                return announced ? Optional.of(new EngineEvent.ContactMailbox(peer, false)) : Optional.empty();
            }
            DepositCapability capability = DepositCapability.decode(grant.getCapability().toByteArray());
            if (!capability.owner().equals(peer)) {
                log.info("{} sent a capability for the mailbox of {}; ignored", peer, capability.owner());
                return Optional.empty();
            }
            byte[] encoded = capability.encode();
            if (before.isPresent() && !Arrays.equals(before.get(), encoded)) {
                releaseHeldIn(peer, before);
            }
            store.mailboxes().hold(peer.toBase58(), encoded, grantedAt);
            if (!announced) {
                return Optional.empty();
            }
        } catch (InvalidProtocolBufferException | InvalidMailboxCodeException e) {
            log.info("ignoring a mailbox grant from {}: {}", peer, e.getMessage());
            return Optional.empty();
        }
        mailboxGranted.accept(peer);
        return Optional.of(new EngineEvent.ContactMailbox(peer, true));
    }

    /**
     * The contact left the mailbox its capability {@code before} named, or its key changed there: what we left in it
     * may be gone with it (a mailbox that died, one it unpaired from), so those entries are held nowhere again and go
     * to wherever the contact is reached now (review22c).
     */
    private void releaseHeldIn(PeerId peer, Optional<byte[]> before) throws InvalidMailboxCodeException {
        if (before.isPresent()) {
            String holder = MailboxCourier.holder(DepositCapability.decode(before.get()));
            store.outbox().releaseAsync(peer.toBase58(), holder).join();
        }
    }

    /** How many of the request's messages were dropped beyond its quota. */
    long droppedMessages(PeerId request) {
        return quota.dropped(request);
    }

    /** The peer is a request no more: accepted or blocked. */
    void noLongerARequest(PeerId peer) {
        quota.forget(peer);
    }

    /**
     * A read receipt: our messages it names in our conversation with its sender move to READ, once each; the event
     * names those that moved. Its ids are looked up as ours, in that conversation only: a receipt cannot reach a
     * message of someone else or one in another conversation, whatever ids it carries.
     */
    private Optional<EngineEvent> read(Opened opened, Known sender) {
        List<MessageId> ids;
        try {
            ids = ChatFrames.messageIds(ReadReceipt.parseFrom(opened.plaintext()).getMessageIdsList(),
                    "read receipt", sender.peer());
        } catch (InvalidProtocolBufferException | ChatProtocolException e) {
            log.info("ignoring read receipt {} from {}: {}", opened.header().messageId(), sender.peer(), e.getMessage());
            return Optional.empty();
        }
        String conversation = contacts.conversationId(sender.peer());
        String ours = me.peerId().toBase58();
        Instant now = clocks.wall().instant();
        List<Optional<MessageId>> newlyRead = Concurrently.map(tasks, ids, id -> {
            MessageKey message = new MessageKey(conversation, ours, id.toString());
            return store.messages().get(message)
                    .filter(m -> m.direction() == Direction.OUTGOING)
                    .filter(m -> store.receipts().record(message, new Receipt(sender.peer().toBase58(),
                            ReceiptKind.READ, now)) == InsertOutcome.INSERTED)
                    .map(m -> id);
        });
        List<MessageId> read = newlyRead.stream().flatMap(Optional::stream).toList();
        return read.isEmpty() ? Optional.empty() : Optional.of(new EngineEvent.Read(sender.peer(), read));
    }

    /**
     * Reports what an envelope came to; called in the order the peer sent them. A count of dropped messages is
     * written before it is reported, and so before the drops are acknowledged: it outlives a restart.
     */
    void report(Accepted accepted) {
        accepted.event().ifPresent(event -> {
            if (event instanceof EngineEvent.RequestMessagesDropped drop) {
                quota.record(drop.peer(), drop.dropped());
            }
            events.publish(event);
        });
    }

    /** A stream from {@code peer} was refused; the user hears of it only if the peer is a contact. */
    void rejected(PeerId peer, Throwable reason) {
        contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED).ifPresent(known ->
                events.publish(new EngineEvent.Error("a message from " + known.name() + " was refused: "
                        + reason.getMessage())));
    }
}
