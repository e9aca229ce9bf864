package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.Opened;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room envelopes and sender keys as they arrive, pushed, synced or 1:1. An envelope is verified, checked against the
 * membership (its sender a member who may write at its epoch), kept, and opened once its sender's key of that epoch
 * is here; until then it waits, and is handed on to others all the same. A key is kept if its owner may write at
 * its epoch, and opens what waited for it.
 */
final class RoomInbox {
    /** The store's unique message ids drop duplicates; a guard in memory would only forget them at restart. */
    private static final ReplayGuard STORE_DEDUPLICATES = id -> true;
    private static final Logger log = LoggerFactory.getLogger(RoomInbox.class);

    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final RoomBook book;
    private final RoomKeys keys;
    private final SenderNumbers numbers;
    private final RoomViews views;
    private final RoomSync sync;
    private final HybridClock clock;
    private final InstantSource time;

    RoomInbox(Identity me, TinkEnvelopeSealer sealer, SqliteStore store, RoomBook book, RoomKeys keys,
              SenderNumbers numbers, RoomViews views, RoomSync sync, HybridClock clock, InstantSource time) {
        this.me = me;
        this.sealer = sealer;
        this.store = store;
        this.book = book;
        this.keys = keys;
        this.numbers = numbers;
        this.views = views;
        this.sync = sync;
        this.clock = clock;
        this.time = time;
    }

    /**
     * A room envelope, pushed or synced: verified, checked against the membership, and kept, opened if its
     * sender's key is here. The future says whether it shows we lack something: its epoch is beyond our log, or
     * its number beyond the next one we expect of its sender.
     */
    CompletableFuture<Boolean> takeEnvelope(PeerId from, byte[] encoded) throws EnvelopeException {
        Envelope envelope = sealer.verify(encoded);
        EnvelopeHeader header = envelope.header();
        if (!(header.recipient() instanceof Recipient.Room(RoomId id)) || header.kind() != EnvelopeKind.TEXT
                || !header.conversationId().equals(ConversationId.of(id))) {
            log.info("dropped {} from {}: not a room message", envelope, from);
            return CompletableFuture.completedFuture(false);
        }
        Optional<Room> held = book.get(id).filter(room -> room.status() == RoomStatus.JOINED);
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        RoomState state = held.get().state();
        PeerId sender = header.sender();
        if (header.epoch() > state.epoch()) {
            return CompletableFuture.completedFuture(true);
        }
        Optional<String> problem = state.writeProblem(sender, header.epoch());
        if (problem.isPresent()) {
            log.info("rejected {} in room {} from {}: {}", header.messageId(), id, sender, problem.get());
            return CompletableFuture.completedFuture(false);
        }
        if (header.epoch() < state.member(me.peerId()).orElseThrow().joinedEpoch()) {
            return CompletableFuture.completedFuture(false);
        }
        long expected = numbers.highestHeld(id, sender) + 1;
        boolean gap = header.sequence() > expected;
        numbers.held(id, sender, header.sequence());
        RoomEnvelope kept = new RoomEnvelope(id.toString(), sender.toBase58(), header.sequence(), header.epoch(),
                header.messageId().toString(), encoded);
        Optional<StoredMessage> message = keys.has(id, sender, header.epoch()) ? open(held.get(), encoded)
                : Optional.empty();
        CompletableFuture<InsertOutcome> stored;
        try {
            stored = store.roomEnvelopes().addAsync(kept, message);
        } catch (StoreException e) {
            log.info("dropped {} in room {} from {}: {}", header.messageId(), id, sender, e.getMessage());
            return CompletableFuture.completedFuture(false);
        }
        return stored.thenApply(outcome -> {
            if (outcome == InsertOutcome.INSERTED && message.isPresent()) {
                views.received(state, message.get());
            } else if (message.isEmpty() && keys.has(id, sender, header.epoch())) {
                openWaiting(id, sender, header.epoch());
            }
            return gap;
        });
    }

    /** A sender key a member sealed to us in a sync answer: opened, then taken as one sent 1:1. */
    void takeSealedKey(PeerId from, byte[] sealed) throws EnvelopeException {
        Opened opened = sealer.openDirect(me, sealed, STORE_DEDUPLICATES);
        keyReceived(from, sealer.openSenderKey(opened));
    }

    /** A member's sender key: kept if its owner was a member at its epoch, which is not stale nor beyond ours. */
    void keyReceived(PeerId from, SenderKey key) {
        Optional<Room> room = book.get(key.room()).filter(held -> held.status() != RoomStatus.LEFT);
        if (room.isEmpty()) {
            log.debug("dropped {}: no such room here", key);
            return;
        }
        Optional<String> problem = room.get().state().writeProblem(key.owner(), key.epoch());
        if (problem.isPresent()) {
            log.info("dropped {}: {}", key, problem.get());
            if (key.epoch() > room.get().state().epoch()) {
                sync.syncWith(from);
            }
            return;
        }
        if (!keys.has(key.room(), key.owner(), key.epoch())) {
            keys.add(key);
        }
        openWaiting(key.room(), key.owner(), key.epoch());
    }

    /** Opens a room envelope whose key we hold; empty if it does not open (its sender sealed it wrongly). */
    private Optional<StoredMessage> open(Room room, byte[] encoded) {
        Opened opened;
        String body;
        try {
            opened = sealer.openRoom(encoded, keys.ring(), STORE_DEDUPLICATES);
            body = Text.parseFrom(opened.plaintext()).getBody();
        } catch (EnvelopeException | InvalidProtocolBufferException e) {
            log.info("a room envelope in {} does not open: {}", room.id(), e.getMessage());
            return Optional.empty();
        }
        EnvelopeHeader header = opened.header();
        clock.observe(header.hlc());
        boolean ours = header.sender().equals(me.peerId());
        Instant now = time.instant();
        return Optional.of(new StoredMessage(header.messageId().toString(), room.conversationId(),
                header.sender().toBase58(), header.hlc(), Instant.ofEpochMilli(HybridClock.millis(header.hlc())), now,
                ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, body,
                ours ? MessageState.SENT : MessageState.RECEIVED));
    }

    /** Opens what waited for the key of {@code sender} at {@code epoch}, and reports it. */
    private void openWaiting(RoomId id, PeerId sender, long epoch) {
        Optional<Room> room = book.get(id);
        if (room.isEmpty()) {
            return;
        }
        for (RoomEnvelope waiting : store.roomEnvelopes().unopened(id.toString(), sender.toBase58(), epoch)) {
            Optional<StoredMessage> message = open(room.get(), waiting.envelope());
            try {
                if (store.roomEnvelopes().opened(waiting, message) == InsertOutcome.INSERTED) {
                    views.received(room.get().state(), message.orElseThrow());
                }
            } catch (StoreException e) {
                log.info("a message in room {} from {} was not kept: {}", id, sender, e.getMessage());
            }
        }
    }
}
