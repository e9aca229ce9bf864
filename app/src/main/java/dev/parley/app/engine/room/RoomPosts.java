package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our messages in a room: each numbered, sealed under our current sender key, stored with its envelope in one
 * write, then pushed to every member we can reach (the others get it by sync). Before our first message in a room
 * since we started, the room's log is fetched from the members ({@link #LOG_FETCH_WAIT}).
 */
final class RoomPosts {
    /** How long our first message in a room since start waits for its log from a member. */
    static final Duration LOG_FETCH_WAIT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(RoomPosts.class);

    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final RoomBook book;
    private final RoomMembership membership;
    private final SenderNumbers numbers;
    private final RoomLogFetches logFetches;
    private final RoomReach reach;
    private final RoomSync sync;
    private final HybridClock clock;
    private final InstantSource time;
    private final RoomDeliveries deliveries;
    private final DeletionStandIn standIns;

    RoomPosts(Identity me, TinkEnvelopeSealer sealer, SqliteStore store, RoomBook book, RoomMembership membership,
              SenderNumbers numbers, RoomLogFetches logFetches, RoomReach reach, RoomSync sync, HybridClock clock,
              InstantSource time, RoomDeliveries deliveries, DeletionStandIn standIns) {
        this.me = me;
        this.sealer = sealer;
        this.store = store;
        this.book = book;
        this.membership = membership;
        this.numbers = numbers;
        this.logFetches = logFetches;
        this.reach = reach;
        this.sync = sync;
        this.clock = clock;
        this.time = time;
        this.deliveries = deliveries;
        this.standIns = standIns;
    }

    /** Stores a message in the room and pushes it to every member that can be reached; returns its id. */
    MessageId say(RoomId id, String text) throws EngineException {
        if (text.isBlank()) {
            throw new EngineException(Problem.MESSAGE_EMPTY, "the message is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StoreLimits.MAX_BODY_BYTES) {
            throw new EngineException(Problem.MESSAGE_TOO_LONG, "the message is " + bytes + " bytes long; the limit is "
                    + StoreLimits.MAX_BODY_BYTES, bytes, StoreLimits.MAX_BODY_BYTES);
        }
        return post(id, EnvelopeKind.TEXT, Text.newBuilder().setBody(text).build().toByteArray(), text);
    }

    /**
     * Stores a room envelope of ours and pushes it to every member that can be reached, numbered and synced like any:
     * a TEXT with its message ({@code text}), or an action (REACTION, EDIT, DELETE), which the caller has applied
     * here and which is kept as handled. Returns the envelope's id.
     */
    MessageId post(RoomId id, EnvelopeKind kind, byte[] payload, String text) throws EngineException {
        return post(id, kind, payload, text, messageId -> { });
    }

    /**
     * Like {@link #post(RoomId, EnvelopeKind, byte[], String)}, running {@code beforeStoring} with the envelope's id
     * before it is stored: what must be kept with the message (the file it offers) is kept first.
     */
    MessageId post(RoomId id, EnvelopeKind kind, byte[] payload, String text, Consumer<MessageId> beforeStoring)
            throws EngineException {
        awaitLog(id);
        byte[] content;
        try {
            // A deletion names the envelopes it withdraws, for every member to put it in their place.
            content = kind == EnvelopeKind.DELETE ? standIns.numbered(id, me.peerId(), payload) : payload;
        } catch (InvalidProtocolBufferException e) {
            throw new EngineException("the deletion could not be read: " + e.getMessage(), e);
        }
        record Sealed(Room room, RoomEnvelope envelope, StoredMessage message,
                      CompletableFuture<InsertOutcome> stored) {
        }
        Sealed sealed = book.locked(id, () -> {
            Room room = book.require(id);
            if (room.status() != RoomStatus.JOINED || !room.state().isMember(me.peerId())) {
                boolean invited = room.status() == RoomStatus.INVITED;
                throw new EngineException(invited ? Problem.NOT_JOINED_YET : Problem.NOT_IN_ROOM,
                        "you cannot write in " + room.state().name() + ": you are not a member"
                        + (invited ? " yet; accept the invitation first" : " any more"), room.state().name());
            }
            SenderKey key = membership.currentKey(room.state());
            long sequence = numbers.next(id, me.peerId());
            long hlc = clock.now();
            Instant now = time.instant();
            MessageId messageId = MessageId.timeOrdered(now.toEpochMilli());
            beforeStoring.accept(messageId);
            byte[] envelope;
            try {
                envelope = sealer.sealRoom(me, key, new HeaderFields(messageId, ConversationId.of(id), hlc,
                        kind), sequence, content).encode();
            } catch (EnvelopeException e) {
                throw new EngineException("the message could not be sealed: " + e.getMessage(), e);
            }
            RoomEnvelope stored = new RoomEnvelope(id.toString(), me.peerId().toBase58(), sequence, key.epoch(),
                    messageId.toString(), envelope);
            StoredMessage message = new StoredMessage(messageId.toString(), room.conversationId(),
                    me.peerId().toBase58(), hlc, now, now, Direction.OUTGOING, MessageKind.TEXT, text,
                    MessageState.SENT);
            Optional<StoredMessage> shown = kind == EnvelopeKind.TEXT ? Optional.of(message) : Optional.empty();
            // A chained key has moved on past this number: it is kept in the envelope's own write, which completes
            // before the envelope leaves, so that no restart seals another message under this message key.
            return new Sealed(room, stored, message,
                    store.roomEnvelopes().addAsync(stored, shown, RoomKeys.stateOf(key)));
        });
        try {
            sealed.stored().join();
            if (kind != EnvelopeKind.TEXT) {
                // Applied here already: kept as handled, not as waiting for a key.
                store.roomEnvelopes().opened(sealed.envelope(), Optional.empty());
            }
            if (kind == EnvelopeKind.DELETE) {
                standIns.put(sealed.envelope(), content);
            }
            if (kind == EnvelopeKind.EDIT) {
                standIns.noteOwnEdit(sealed.envelope(), content);
            }
        } catch (RuntimeException e) {
            throw new EngineException("the message could not be stored: " + e.getMessage(), e);
        }
        if (kind == EnvelopeKind.TEXT) {
            deliveries.written(id, MessageId.parse(sealed.message().id()));
        }
        for (PeerId member : sealed.room().state().members().keySet()) {
            if (!member.equals(me.peerId())) {
                sync.push(member, new RoomSync.Push(id, sealed.envelope().envelope(),
                        sealed.envelope().senderSeq()));
            }
        }
        return MessageId.parse(sealed.message().id());
    }

    /**
     * Before our first message in a room since we started, fetches its log from the members, waiting up to
     * {@link #LOG_FETCH_WAIT} for every one we can reach to sync ({@link RoomLogFetches}): a member removed while we
     * were away must not get a message sealed under a key it holds, and the removed member itself, answering first,
     * cannot end the wait. With no member reachable in that time, the message is sealed all the same (the room is
     * written to offline, and we wait no more); it is pushed later only to whoever is a member then.
     */
    private void awaitLog(RoomId id) {
        List<PeerId> others = book.get(id).map(room -> room.state().members().keySet().stream()
                .filter(peer -> !peer.equals(me.peerId())).toList()).orElse(List.of());
        Set<PeerId> toReach = new HashSet<>();
        CompletableFuture<Void> fresh = logFetches.await(id, others, toReach);
        if (fresh.isDone()) {
            return;
        }
        toReach.forEach(reach::reachInBackground);
        try {
            fresh.get(LOG_FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("not every member of room {} answered within {}; writing on the log we hold", id,
                    LOG_FETCH_WAIT);
            logFetches.settle(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the log-fetched signal never fails", e);
        }
    }
}
