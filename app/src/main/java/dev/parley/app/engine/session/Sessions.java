package dev.parley.app.engine.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.session.PeerSessions.DamagedRecordException;
import dev.parley.app.engine.session.PeerSessions.Live;
import dev.parley.app.engine.wire.SessionProtos.SealingRecipe;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.Ratchet;
import dev.parley.crypto.session.SessionException;
import dev.parley.crypto.session.SessionHandshake;
import dev.parley.crypto.session.SessionHandshake.Accepted;
import dev.parley.crypto.session.SessionHandshake.Completed;
import dev.parley.crypto.session.SessionHandshake.RenewRequest;
import dev.parley.crypto.session.SessionHandshake.SessionId;
import dev.parley.crypto.session.SessionHandshake.StartOffer;
import dev.parley.crypto.session.SessionHandshake.Started;
import dev.parley.crypto.session.SessionHandshakeException;
import dev.parley.crypto.session.SessionState;
import dev.parley.store.SqliteStore;
import dev.parley.store.WaitingEntry;
import dev.parley.transport.multiformats.PeerId;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's forward-secret 1:1 sessions (app/README.md, "Sessions"): one Double Ratchet session per peer whose card
 * lists {@link ContactCard.Feature#FORWARD_SECRET_SESSIONS}, started with a SESSION_INIT / SESSION_ACCEPT round trip on
 * the first message, healed by a SESSION_RENEW when one side can no longer open the other's envelopes.
 *
 * <p>What keeps a message key from being used twice: a state that sealed an envelope is staged in the store before the
 * envelope's outbox entry is queued, and the store writes what is staged in the transaction that carries the entry (or
 * an earlier one), while the envelope leaves only once that transaction committed. After a crash the store holds a
 * state at least as new as any that sealed an envelope that left.
 *
 * <p>What keeps a message from being lost: every outbox entry sealed under a session keeps its {@link SealingRecipe}
 * (kind, timestamp, payload), and whenever a session becomes able to seal, every entry to that peer not yet
 * acknowledged is sealed again under it. Entries queued while there is no session wait in the outbox without an
 * envelope. A receiver that cannot open an envelope does not acknowledge it, and asks for a new session.
 *
 * <p>Thread-safe: each peer's sessions are used under their own lock.
 */
public final class Sessions {
    /** Least time between two requests of ours to one peer for a new session. */
    static final Duration RENEW_INTERVAL = Duration.ofMinutes(1);
    /** Longest wait between two requests to one peer that bring no new session. */
    static final Duration MAX_RENEW_INTERVAL = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    /** Hands outbox entries to the peer's link. */
    @FunctionalInterface
    public interface Delivery {
        /** A durable outbox entry. */
        void queued(PeerId peer, MessageId id, EnvelopeKind kind, byte[] envelope);

        /**
         * An outbox entry whose write was just submitted, handed over in the order the envelopes to the peer were
         * sealed (the caller holds the peer's lock): {@code inOutbox} completes once the write committed, with whether
         * the entry is in the outbox to be sent, or with the write's failure. The link must write nothing before it
         * completed with true. Completes once the entry is handed over; by default, {@link #queued} once durable.
         */
        default CompletableFuture<?> handOver(PeerId peer, MessageId id, EnvelopeKind kind, byte[] envelope,
                                              CompletableFuture<Boolean> inOutbox) {
            return inOutbox.thenAccept(sent -> {
                if (sent) {
                    queued(peer, id, kind, envelope);
                }
            });
        }
    }

    /**
     * Writes an outbox entry (and whatever goes with it, a message): the envelope, or null while the entry waits for
     * a session, and the recipe to seal it again, or null for an entry that never goes under a session.
     */
    @FunctionalInterface
    public interface EntryWrite {
        CompletableFuture<?> write(byte[] envelope, byte[] recipe);
    }

    /** What became of a session envelope a peer sent. */
    public sealed interface Received {
        MessageId id();
    }

    /**
     * Opened under the session. The session has not moved on yet: {@link #opened} moves it once what the envelope
     * brings is queued for the store, so that an envelope whose effects fail to be queued opens again when it is sent
     * again.
     */
    public record Fresh(Opened opened, byte[] encoded, SessionId session, SessionState from, SessionState next)
            implements Received {
        @Override
        public MessageId id() {
            return opened.header().messageId();
        }
    }

    /** Opened before (its acknowledgement was lost): acknowledge it again, nothing else. */
    public record Duplicate(MessageId id) implements Received {
    }

    /**
     * Does not open under any session held, and nothing shows it old: leave it unacknowledged and ask for a new
     * session (this side lost the one its sender seals under, or holds one the sender has not sealed under yet).
     */
    public record Unreadable(MessageId id, String why) implements Received {
    }

    /**
     * Provably old: sealed before the session held here moved past it. Either its header opens under a header key
     * held here but its message key is used (opened before, its id since forgotten) or dropped, or its sender holds
     * the session held here (a message of its opened under it) and the header opens under none of its keys (sealed
     * under an earlier ratchet step or session; its sender seals everything unacknowledged again under each new
     * session). A relay that kept envelopes sends such ones: neither acknowledged (unless its message is stored, a
     * copy) nor answered, so it renews nothing and shows nothing.
     */
    public record Stale(MessageId id, String why) implements Received {
    }

    private final Identity me;
    private final boolean enabled;
    private final SqliteStore store;
    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final LongSupplier hlc;
    private final InstantSource wall;
    private final Delivery delivery;
    private final Consumer<PeerId> renewedNotice;
    private final Map<PeerId, PeerSessions> peers = new ConcurrentHashMap<>();

    /**
     * @param enabled       whether our own card lists sessions: if not, nothing is sealed under one
     * @param renewedNotice told once per side when a session replaced another
     */
    public Sessions(Identity me, boolean enabled, SqliteStore store, LongSupplier hlc, InstantSource wall,
                    Delivery delivery, Consumer<PeerId> renewedNotice) {
        this.me = me;
        this.enabled = enabled;
        this.store = store;
        this.hlc = hlc;
        this.wall = wall;
        this.delivery = delivery;
        this.renewedNotice = renewedNotice;
    }

    /** Whether envelopes to the owner of {@code card} go under a session. */
    public boolean sealsTo(ContactCard card) {
        return enabled && card.supports(ContactCard.Feature.FORWARD_SECRET_SESSIONS);
    }

    /**
     * Seals an envelope to the owner of {@code card} under the session with it, or, with no session able to seal yet,
     * keeps it waiting (and starts a session if none is under way). {@code entry} is written while the session is
     * held, after its new state is staged. Completes once the entry is durable: with the envelope to hand to the link,
     * or empty while it waits.
     */
    public CompletableFuture<Optional<byte[]>> sealAndQueue(ContactCard card, MessageId id, long timestamp,
                                                            EnvelopeKind kind, byte[] payload, EntryWrite entry) {
        PeerId peer = card.peerId();
        byte[] recipe = SealingRecipe.newBuilder().setKind(kind.name()).setHlc(timestamp)
                .setPayload(ByteString.copyFrom(payload)).build().toByteArray();
        PeerSessions sessions = locked(peer);
        try {
            if (sessions.canSeal()) {
                Optional<byte[]> envelope = sealUnder(sessions, peer, new HeaderFields(id,
                        ConversationId.direct(me.peerId(), peer), timestamp, kind), payload);
                if (envelope.isPresent()) {
                    stage(peer, sessions);
                    return entry.write(envelope.get(), recipe).thenApply(written -> envelope);
                }
            }
            if (sessions.pending == null && (sessions.current == null || sessions.current.state().canSeal())) {
                start(sessions, card);
            }
            return entry.write(null, recipe).thenApply(written -> Optional.empty());
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * Opens a session envelope its sender sent us, in the order it sent them. The state moves on in memory only:
     * call {@link #opened} once what it brings is queued for the store.
     *
     * @param header the envelope's header, decoded and checked by the caller: from the peer that carried it, in our
     *               conversation with it
     * @throws EnvelopeException when it is not a session envelope to us
     */
    public Received open(byte[] encoded, EnvelopeHeader header) throws EnvelopeException {
        PeerId from = header.sender();
        MessageId id = header.messageId();
        PeerSessions sessions = locked(from);
        try {
            if (sessions.recentlyOpened.contains(id.toString())) {
                return new Duplicate(id);
            }
            // Spelled only for an envelope that does not open: naming a PeerId costs a division per digit.
            String failure = null;
            boolean keyUsed = false;
            boolean tooFarAhead = false;
            for (Live live : sessions.openers()) {
                Attempt attempt = openUnder(live.state(), encoded);
                if (attempt.opened() != null) {
                    // Opened for the first time, or again from a state a crash left behind: the store keeps one copy.
                    return new Fresh(new Opened(header, attempt.opened().plaintext()), encoded, live.id(),
                            live.state(), attempt.opened().next());
                }
                failure = attempt.failure();
                keyUsed |= attempt.refusal() == SessionException.Reason.KEY_USED_OR_DROPPED;
                tooFarAhead |= attempt.refusal() == SessionException.Reason.TOO_FAR_AHEAD;
            }
            if (failure == null) {
                failure = "no session with " + from + " is held here";
            }
            // A copy of one opened in an earlier run does not open (its key is used): the store remembers it. Asked
            // only now, so that a fresh envelope costs no read.
            if (store.sessions().wasOpened(from.toBase58(), id.toString())) {
                return new Duplicate(id);
            }
            if (keyUsed) {
                return new Stale(id, failure);
            }
            // Messages lost beyond the ratchet's skip are the one gap a new session must fill, even in a working one.
            if (!tooFarAhead && sessions.current != null && sessions.current.state().hasOpened()) {
                return new Stale(id, "its sender holds session " + sessions.current.id() + " and sealed this one"
                        + " before it: " + failure);
            }
            return new Unreadable(id, failure);
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * What an opened envelope brings is queued for the store ({@code effects} completes once it is durable): the
     * session moves on and is staged now, and the envelope is recorded as opened once its effects are durable, so that
     * a copy sent again (its acknowledgement lost) is acknowledged without being opened. If the session moved since
     * {@link #open} (an envelope of another stream from the same peer, or a seal), the envelope is opened again under
     * it. A responder's session that could not seal and now can seals at once whatever waits for it.
     */
    public void opened(Fresh fresh, CompletableFuture<?> effects) {
        openedRecording(fresh, effects.thenApply(done -> false));
    }

    /**
     * As {@link #opened}, for effects that complete with whether their own write recorded the envelope as opened
     * ({@code store.messages().insertOpenedAsync}, a text's): then no write of its own follows, and a message costs
     * one write, not two.
     */
    public void openedRecording(Fresh fresh, CompletableFuture<Boolean> effects) {
        PeerId peer = fresh.opened().header().sender();
        MessageId id = fresh.id();
        PeerSessions sessions = locked(peer);
        try {
            Live live = sessions.opener(fresh.session());
            if (live == null) {
                log.debug("envelope {} from {} opened under session {}, which is no longer held", id, peer,
                        fresh.session());
                return;
            }
            SessionState before = live.state();
            SessionState next = fresh.next();
            if (before != fresh.from()) {
                Attempt again;
                try {
                    again = openUnder(before, fresh.encoded());
                } catch (EnvelopeException e) {
                    throw new IllegalStateException("envelope " + id + " decoded once and not again", e);
                }
                if (again.opened() == null) {
                    log.debug("envelope {} from {} opened twice at once; the second is a copy", id, peer);
                    return;
                }
                next = again.opened().next();
            }
            sessions.recentlyOpened.add(id.toString());
            if (live == sessions.candidate) {
                // The peer sealed under the session it started: it holds it, so it replaces ours.
                sessions.current = new Live(live.id(), next);
                sessions.candidate = null;
                stage(peer, sessions);
                renewedNotice.accept(peer);
                sealAgain(sessions, peer, Optional.empty());
            } else {
                sessions.current = live.moved(next);
                stage(peer, sessions);
                if (!before.canSeal() && next.canSeal()) {
                    sealAgain(sessions, peer, Optional.empty());
                }
            }
        } finally {
            sessions.lock.unlock();
        }
        effects.whenComplete((done, failure) -> {
            if (failure != null) {
                // Not kept, so not acknowledged: the copy sent again must not pass for one opened before. Its key is
                // used, so it will not open, and the renewal that follows seals it again.
                forgetOpened(peer, id);
            }
        }).thenCompose(recorded -> recorded ? CompletableFuture.<Void>completedFuture(null)
                : store.sessions().openedAsync(sessions.peer, id.toString(), wall.instant()))
                .exceptionally(failure -> {
                    log.debug("envelope {} from {} not recorded as opened: {}", id, peer, failure.getMessage());
                    return null;
                });
    }

    private void forgetOpened(PeerId peer, MessageId id) {
        PeerSessions sessions = locked(peer);
        try {
            sessions.recentlyOpened.remove(id.toString());
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * What opening an envelope under a state gave: the opened message, or why it did not open (for the log) and the
     * ratchet's reason, if the ratchet refused it.
     */
    private record Attempt(Ratchet.Opened opened, String failure, SessionException.Reason refusal) {
    }

    private Attempt openUnder(SessionState state, byte[] encoded) throws EnvelopeException {
        Ratchet.Opened[] result = new Ratchet.Opened[1];
        SessionException[] refused = new SessionException[1];
        Instant now = wall.instant();
        try {
            sealer.openSession(me, encoded, (ciphertext, headerBytes) -> {
                try {
                    result[0] = Ratchet.open(state, ciphertext, headerBytes, now);
                    return result[0].plaintext();
                } catch (SessionException e) {
                    refused[0] = e;
                    throw new GeneralSecurityException(e.reason() + ": " + e.getMessage(), e);
                }
            }, messageId -> true);
        } catch (EnvelopeException e) {
            if (e.reason() == EnvelopeException.Reason.DECRYPTION_FAILED) {
                return new Attempt(null, e.getCause() != null ? e.getCause().getMessage() : e.getMessage(),
                        refused[0] == null ? null : refused[0].reason());
            }
            throw e;
        }
        return new Attempt(result[0], null, null);
    }

    /**
     * A signed handshake envelope: an INIT is answered (unless it is a replay, or loses to our own start), an ACCEPT
     * completes our start, a RENEW starts a new session. Completes once what it changed is durable.
     *
     * @param card the sender's card
     * @throws SessionHandshakeException when the envelope is not a well-formed handshake from that peer
     */
    public CompletableFuture<Void> handshake(Opened opened, ContactCard card) throws SessionHandshakeException {
        PeerId peer = card.peerId();
        MessageId id = opened.header().messageId();
        PeerSessions sessions = locked(peer);
        CompletableFuture<?> durable;
        try {
            if (openedBefore(sessions, peer, id)) {
                return CompletableFuture.completedFuture(null);
            }
            durable = switch (opened.header().kind()) {
                case SESSION_INIT -> answer(sessions, opened, card);
                case SESSION_ACCEPT -> complete(sessions, opened, card);
                case SESSION_RENEW -> renew(sessions, SessionHandshake.openRenew(me, card, opened), card);
                default -> throw new IllegalArgumentException(opened.header().kind() + " is no handshake");
            };
            sessions.recentlyOpened.add(id.toString());
        } finally {
            sessions.lock.unlock();
        }
        return durable.thenCompose(done -> store.sessions().openedAsync(peer.toBase58(), id.toString(),
                wall.instant()));
    }

    /**
     * Asks the peer for a new session because {@code unreadable} did not open, naming the session held here, if any:
     * at most once per {@link #RENEW_INTERVAL}, and not while a start of ours is under way (it brings a new session).
     */
    public void requestRenewal(ContactCard card, MessageId unreadable) {
        PeerSessions sessions = locked(card.peerId());
        try {
            requestRenewalLocked(sessions, card, unreadable);
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * Whether a request for a new session would go to {@code peer} now ({@link #requestRenewal}): the caller asks first
     * when the peer's card is costly to get.
     */
    public boolean wouldRequestRenewal(PeerId peer) {
        PeerSessions sessions = locked(peer);
        try {
            return mayRequestRenewal(sessions, wall.instant());
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * Not while our own start is under way, and not sooner than {@link #RENEW_INTERVAL} after the last request, doubling
     * with each request that brought no new session (up to {@link #MAX_RENEW_INTERVAL}): a peer that sends envelopes
     * no session opens gets ever fewer requests.
     */
    private static boolean mayRequestRenewal(PeerSessions sessions, Instant now) {
        if (sessions.pending != null) {
            return false;
        }
        if (sessions.renewRequestedAt == null) {
            return true;
        }
        Duration wait = RENEW_INTERVAL.multipliedBy(1L << Math.clamp(sessions.requestsUnanswered - 1, 0, 10));
        return !sessions.renewRequestedAt.plus(wait.compareTo(MAX_RENEW_INTERVAL) < 0 ? wait : MAX_RENEW_INTERVAL)
                .isAfter(now);
    }

    private void requestRenewalLocked(PeerSessions sessions, ContactCard card, MessageId unreadable) {
        PeerId peer = card.peerId();
        Instant now = wall.instant();
        if (!mayRequestRenewal(sessions, now)) {
            return;
        }
        Envelope renew = SessionHandshake.renew(me, card, sessions.currentId(), Optional.of(unreadable),
                hlc.getAsLong(), now);
        sessions.renewRequestedAt = now;
        sessions.requestsUnanswered++;
        stage(peer, sessions);
        // A request the peer has not taken yet says the same as this one: one waits in the outbox, not one a minute.
        sessions.request = replaceOutstanding(peer, sessions.request, renew);
        queueSigned(peer, renew, EnvelopeKind.SESSION_RENEW);
        log.info("asked {} for a new session: {} does not open here", peer, unreadable);
    }

    /**
     * How many messages {@code peer} sealed under the session held that have not arrived though later ones did (their
     * keys are kept for them): gaps, which a mailbox that drops what it holds leaves.
     */
    public int missing(PeerId peer) {
        PeerSessions sessions = locked(peer);
        try {
            return sessions.current == null ? 0 : sessions.current.state().skippedKeyCount();
        } finally {
            sessions.lock.unlock();
        }
    }

    /** The id of the session with {@code peer} this side holds, if any (for the log and for tests). */
    public Optional<SessionId> current(PeerId peer) {
        PeerSessions sessions = locked(peer);
        try {
            return sessions.currentId();
        } finally {
            sessions.lock.unlock();
        }
    }

    /**
     * Drops what has outlived its use: in every stored session, kept keys past their lifetime (a session that falls
     * silent would keep them until it is next used; loading one drops them), and the ids of envelopes opened longer ago
     * than {@link Ratchet#SKIPPED_KEY_LIFETIME} (a copy of one that comes later does not open, and is sealed again
     * under a renewal, which the store takes as the duplicate it is). Runs at start, off the caller's way.
     */
    public void forgetExpired() {
        for (String peer : store.sessions().peers()) {
            PeerId id = PeerId.parse(peer);
            PeerSessions sessions = locked(id);
            try {
                dropExpiredKeys(id, sessions);
            } finally {
                sessions.lock.unlock();
            }
        }
        store.sessions().forgetOpenedBeforeAsync(wall.instant().minus(Ratchet.SKIPPED_KEY_LIFETIME)).join();
    }

    // An INIT, an ACCEPT, a RENEW.

    private CompletableFuture<?> answer(PeerSessions sessions, Opened init, ContactCard card)
            throws SessionHandshakeException {
        PeerId peer = card.peerId();
        StartOffer offer = SessionHandshake.offer(init);
        // Not by its time: a peer's clock that ran ahead once would make every later INIT of it look old.
        if (sessions.acceptedInits.contains(offer.sessionId())) {
            log.info("ignored session INIT {} from {}: answered before", offer.sessionId(), peer);
            return CompletableFuture.completedFuture(null);
        }
        if (sessions.pending != null) {
            StartOffer ours = sessions.pending.offer();
            if (SessionHandshake.winner(ours, offer).equals(ours)) {
                log.debug("session INIT {} from {} crossed ours, which wins", offer.sessionId(), peer);
                return CompletableFuture.completedFuture(null);
            }
            sessions.pending = null;
        }
        Accepted accepted = SessionHandshake.accept(me, card, init, hlc.getAsLong());
        SessionState state = SessionState.responder(accepted.secrets(), accepted.responderRatchet());
        if (sessions.current == null) {
            boolean renewed = sessions.renewRequestedAt != null;
            sessions.current = new Live(accepted.sessionId(), state);
            if (renewed) {
                renewedNotice.accept(peer);
            }
        } else {
            // Ours goes on until the peer seals under this one: an INIT that lost a crossing, arriving late, is
            // answered too, and its sender, which dropped it, never completes it.
            sessions.candidate = new Live(accepted.sessionId(), state);
        }
        sessions.acceptedInit(offer.sessionId());
        sessions.renewRequestedAt = null;
        sessions.requestsUnanswered = 0;
        // Only the newest answer counts: the peer completes at most one start, its newest.
        sessions.answer = replaceOutstanding(peer, sessions.answer, accepted.accept());
        stage(peer, sessions);
        return queueSigned(peer, accepted.accept(), EnvelopeKind.SESSION_ACCEPT);
    }

    private CompletableFuture<?> complete(PeerSessions sessions, Opened accept, ContactCard card)
            throws SessionHandshakeException {
        PeerId peer = card.peerId();
        if (sessions.pending == null) {
            if (!sessions.canSeal()) {
                // Its sender may wait for a first message under a session this side cannot complete (its start was
                // lost with a restore): ask for a new one, which the sender starts.
                log.info("session ACCEPT {} from {} answers no start of ours; asking for a new session",
                        accept.header().messageId(), peer);
                requestRenewalLocked(sessions, card, accept.header().messageId());
            } else {
                // A late answer to a start that lost a crossing, or an old one sent again: ours works.
                log.info("ignored session ACCEPT {} from {}: it answers no start of ours", accept.header().messageId(),
                        peer);
            }
            return CompletableFuture.completedFuture(null);
        }
        Completed completed;
        try {
            completed = SessionHandshake.complete(sessions.pending, accept, card);
        } catch (SessionHandshakeException e) {
            if (e.reason() == SessionHandshakeException.Reason.SESSION_MISMATCH) {
                log.info("ignored session ACCEPT from {}: {}", peer, e.getMessage());
                return CompletableFuture.completedFuture(null);
            }
            throw e;
        }
        boolean renewed = sessions.current != null || sessions.renewRequestedAt != null;
        try {
            sessions.current = new Live(completed.sessionId(), SessionState.initiator(completed.secrets(),
                    completed.responderRatchetPublic()));
        } catch (SessionException e) {
            log.info("ignored session ACCEPT from {}: its ratchet key is unusable: {}", peer, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        sessions.pending = null;
        sessions.renewRequestedAt = null;
        sessions.requestsUnanswered = 0;
        if (renewed) {
            renewedNotice.accept(peer);
        }
        return sealAgain(sessions, peer, Optional.of(EnvelopeKind.SESSION_READY));
    }

    /**
     * The peer cannot open an envelope of ours. If it holds no session, or another than ours, a new one starts. If it
     * holds ours, the envelope was most likely sealed under the one before and was still on its way when the peer took
     * ours: everything not yet acknowledged is sealed again under ours, once; asked again about the same session, this
     * side takes it as damaged over there and starts a new one. While we hold a session, only a fresh request counts
     * ({@link #namesWhatThePeerLacks}): one a relay kept and sends again, once its id is forgotten, changes nothing.
     */
    private CompletableFuture<?> renew(PeerSessions sessions, RenewRequest request, ContactCard card) {
        PeerId peer = card.peerId();
        if (sessions.pending != null) {
            log.debug("request of {} for a new session left: ours is under way", peer);
            return CompletableFuture.completedFuture(null);
        }
        if (sessions.candidate != null && request.session().equals(Optional.of(sessions.candidate.id()))) {
            log.debug("request of {} for a new session left: it holds the one it started, whose first message comes",
                    peer);
            return CompletableFuture.completedFuture(null);
        }
        if (sessions.current != null && !namesWhatThePeerLacks(sessions, peer, request)) {
            log.info("ignored request of {} for a new session: the envelope it names, {}, is no longer in our outbox"
                    + " nor an answer of ours to an unfinished start: an old request sent again, or one answered since",
                    peer,
                    request.unreadable().map(MessageId::toString).orElse("(none)"));
            return CompletableFuture.completedFuture(null);
        }
        Instant now = wall.instant();
        if (sessions.renewAnsweredAt != null && sessions.renewAnsweredAt.plus(RENEW_INTERVAL).isAfter(now)) {
            log.debug("request of {} for a new session left: one was answered less than {} ago", peer, RENEW_INTERVAL);
            return CompletableFuture.completedFuture(null);
        }
        sessions.renewAnsweredAt = now;
        Optional<SessionId> ours = sessions.currentId();
        if (ours.isPresent() && request.session().equals(ours) && sessions.canSeal()
                && !ours.get().equals(sessions.resealedOnRequest)) {
            log.info("{} cannot open our envelope {} though it holds our session; sealing again under it", peer,
                    request.unreadable().map(MessageId::toString).orElse("(none named)"));
            sessions.resealedOnRequest = ours.get();
            return sealAgain(sessions, peer, Optional.empty());
        }
        log.info("{} cannot open our envelope {} and holds {}; starting a new session", peer,
                request.unreadable().map(MessageId::toString).orElse("(none named)"),
                request.session().map(id -> "session " + id).orElse("no session"));
        return start(sessions, card);
    }

    /**
     * Whether a request for a new session is fresh: the envelope it names is one the peer could not open and still
     * lacks, so it waits in our outbox (sealed, or sealed again under ours since), or it is our answer to a start of the
     * peer's that the peer has not sealed under yet (a peer restored since takes that answer for one to no start of its
     * own). A request a relay kept names an envelope acknowledged long ago: sent again, it changes nothing.
     */
    private boolean namesWhatThePeerLacks(PeerSessions sessions, PeerId peer, RenewRequest request) {
        if (request.unreadable().isEmpty()) {
            return false;
        }
        MessageId named = request.unreadable().get();
        boolean answeredStartUnfinished = sessions.candidate != null || !sessions.current.state().hasOpened();
        if (answeredStartUnfinished && named.equals(sessions.answer)) {
            return true;
        }
        return store.outbox().holds(named.toString(), peer.toBase58());
    }

    // Sealing.

    /** Seals under the current session, or empty if its sending chain is spent (then a new session is started). */
    private Optional<byte[]> sealUnder(PeerSessions sessions, PeerId peer, HeaderFields fields, byte[] payload) {
        SessionState state = sessions.current.state();
        SessionState[] next = new SessionState[1];
        Instant now = wall.instant();
        try {
            byte[] envelope = sealer.sealSession(me, peer, fields, headerBytes -> {
                Ratchet.Sealed sealed = Ratchet.seal(state, payload, headerBytes, now);
                next[0] = sealed.next();
                return sealed.message();
            }).encode();
            sessions.current = sessions.current.moved(next[0]);
            return Optional.of(envelope);
        } catch (IllegalStateException e) {
            log.info("the session with {} can seal no more ({}); a new one starts", peer, e.getMessage());
            return Optional.empty();
        } catch (EnvelopeException e) {
            throw new IllegalArgumentException("cannot seal " + fields.kind() + " to " + peer + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Seals under the current session, which can seal, {@code first} (a SESSION_READY) and then every entry to the peer
     * that keeps a recipe and is not acknowledged, waiting or sealed under an earlier session; the store gets them in
     * one write after the new state, and the link once they are durable.
     */
    private CompletableFuture<?> sealAgain(PeerSessions sessions, PeerId peer, Optional<EnvelopeKind> first) {
        String recipient = peer.toBase58();
        // Entries queued to wait just before are in the store once what was submitted before this flush is.
        store.sessions().flushAsync().join();
        List<WaitingEntry> entries = new ArrayList<>(store.outbox().waiting(recipient));
        entries.addAll(store.outbox().sealedWithRecipe(recipient));
        Instant now = wall.instant();
        Optional<byte[]> ready = Optional.empty();
        MessageId readyId = MessageId.timeOrdered(now.toEpochMilli());
        if (first.isPresent()) {
            ready = sealUnder(sessions, peer, new HeaderFields(readyId, ConversationId.direct(me.peerId(), peer),
                    hlc.getAsLong(), first.get()), new byte[0]);
        }
        Map<String, byte[]> envelopes = new LinkedHashMap<>();
        Map<String, EnvelopeKind> kinds = new LinkedHashMap<>();
        for (WaitingEntry entry : entries) {
            SealingRecipe recipe;
            try {
                recipe = SealingRecipe.parseFrom(entry.recipe());
            } catch (InvalidProtocolBufferException e) {
                log.warn("outbox entry {} to {} keeps a recipe that does not parse; left as it is", entry.messageId(),
                        peer);
                continue;
            }
            EnvelopeKind kind = EnvelopeKind.valueOf(recipe.getKind());
            Optional<byte[]> envelope = sealUnder(sessions, peer, new HeaderFields(MessageId.parse(entry.messageId()),
                    ConversationId.direct(me.peerId(), peer), recipe.getHlc(), kind), recipe.getPayload().toByteArray());
            if (envelope.isEmpty()) {
                break;
            }
            envelopes.put(entry.messageId(), envelope.get());
            kinds.put(entry.messageId(), kind);
        }
        stage(peer, sessions);
        // Handed over now, in the order sealed, under the lock: what is sealed after them goes after them.
        List<CompletableFuture<?>> writes = new ArrayList<>();
        if (ready.isPresent()) {
            writes.add(delivery.handOver(peer, readyId, EnvelopeKind.SESSION_READY, ready.get(), store.outbox()
                    .addAsync(readyId.toString(), recipient, ready.get(), now).thenApply(written -> true)));
        }
        if (!envelopes.isEmpty()) {
            // Only the entries still there (not acknowledged meanwhile) take the new envelope, and go.
            CompletableFuture<Set<String>> sealed = store.outbox().sealAsync(recipient, envelopes)
                    .thenApply(Set::copyOf);
            envelopes.forEach((id, envelope) -> writes.add(delivery.handOver(peer, MessageId.parse(id), kinds.get(id),
                    envelope, sealed.thenApply(ids -> ids.contains(id)))));
        }
        log.debug("sealed {} outbox entries to {} under session {}", envelopes.size(), peer,
                sessions.currentId().orElseThrow());
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** Starts a session with the owner of {@code card}: our INIT, kept pending until its ACCEPT comes. */
    private CompletableFuture<?> start(PeerSessions sessions, ContactCard card) {
        Started started = SessionHandshake.start(me, card, hlc.getAsLong(), wall.instant());
        sessions.pending = started.pending();
        stage(card.peerId(), sessions);
        log.debug("starting session {} with {}", started.pending().sessionId(), card.peerId());
        return queueSigned(card.peerId(), started.init(), EnvelopeKind.SESSION_INIT);
    }

    /** Withdraws {@code outstanding}, if any, from the outbox; returns the id of {@code newer}, which replaces it. */
    private MessageId replaceOutstanding(PeerId peer, MessageId outstanding, Envelope newer) {
        if (outstanding != null) {
            store.outbox().withdrawAsync(outstanding.toString(), peer.toBase58());
        }
        return newer.header().messageId();
    }

    private CompletableFuture<?> queueSigned(PeerId peer, Envelope envelope, EnvelopeKind kind) {
        MessageId id = envelope.header().messageId();
        byte[] encoded = envelope.encode();
        return delivery.handOver(peer, id, kind, encoded, store.outbox()
                .addAsync(id.toString(), peer.toBase58(), encoded, wall.instant()).thenApply(written -> true));
    }

    // The record.

    private boolean openedBefore(PeerSessions sessions, PeerId peer, MessageId id) {
        return sessions.recentlyOpened.contains(id.toString())
                || store.sessions().wasOpened(peer.toBase58(), id.toString());
    }

    private void stage(PeerId peer, PeerSessions sessions) {
        PeerSessions.Snapshot snapshot = sessions.snapshot();
        store.sessions().stage(sessions.peer, snapshot::encode);
    }

    /** The peer's sessions, loaded from the store the first time, locked: the caller unlocks them. */
    private PeerSessions locked(PeerId peer) {
        PeerSessions sessions = peers.computeIfAbsent(peer, key -> new PeerSessions(key.toBase58()));
        sessions.lock.lock();
        if (!sessions.loaded) {
            try {
                load(peer, sessions);
            } catch (RuntimeException e) {
                sessions.lock.unlock();
                throw e;
            }
        }
        return sessions;
    }

    private void load(PeerId peer, PeerSessions sessions) {
        Optional<byte[]> stored = store.sessions().load(peer.toBase58());
        sessions.loaded = true;
        if (stored.isEmpty()) {
            return;
        }
        try {
            sessions.decode(stored.get());
        } catch (DamagedRecordException e) {
            log.warn("the sessions kept with {} are damaged and dropped; a new one starts when needed: {}", peer,
                    e.getMessage());
            return;
        }
        dropExpiredKeys(peer, sessions);
    }

    private void dropExpiredKeys(PeerId peer, PeerSessions sessions) {
        if (sessions.current != null) {
            Optional<SessionState> trimmed = Ratchet.dropExpired(sessions.current.state(), wall.instant());
            if (trimmed.isPresent()) {
                sessions.current = sessions.current.moved(trimmed.get());
                stage(peer, sessions);
            }
        }
    }
}
