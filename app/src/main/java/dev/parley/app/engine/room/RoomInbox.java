package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.TinkEnvelopeSealer.RoomOpening;
import dev.parley.crypto.VerifiedEnvelope;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.RoomEnvelopes;
import dev.parley.store.SenderKeyState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room envelopes and sender keys as they arrive, pushed, synced or 1:1. An envelope is verified, checked against the
 * membership (its sender a member who may write at its epoch), kept, and opened once its sender's key of that epoch
 * is here; until then it waits, and is handed on to others all the same. A key is kept if its owner may write at
 * its epoch, and opens what waited for it.
 *
 * <p>Under a chained key (crypto/README.md, "Sender keys") a message is opened once: the key's new state is kept in
 * the write that stores the message. An envelope numbered below what the key still derives is refused for good (its
 * message was opened and stored already, or it is lost to us: it is from before we were handed the key, or its kept
 * message key expired); it is kept as handled, for sync to hand on, and never asked for again. One more than
 * {@link SenderKey#MAX_SKIP} ahead waits, kept unopened, until the messages before it have been opened.
 */
final class RoomInbox {
    /** The store's unique message ids drop duplicates; a guard in memory would only forget them at restart. */
    private static final ReplayGuard STORE_DEDUPLICATES = id -> true;
    private static final Logger log = LoggerFactory.getLogger(RoomInbox.class);
    /** Envelopes read at a time looking past deletions that stand in for others. */
    private static final int STAND_IN_PAGE = 100;
    /** A time-ordered message id starts with 48 bits of unix milliseconds; these low bits of its first half follow. */
    private static final int ID_BITS_AFTER_TIME = 16;
    /** What a member may post: messages and message actions (app/README.md, "Message actions"). */
    private static final Set<EnvelopeKind> ROOM_KINDS = EnumSet.of(EnvelopeKind.TEXT, EnvelopeKind.REACTION,
            EnvelopeKind.EDIT, EnvelopeKind.DELETE);

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
    private final DeletionStandIn standIns;
    /** Set once as the engine starts, before any envelope arrives. */
    private volatile MessageActions actions;
    private volatile FileTransfers files;
    /** Per chained key, the lowest number of an envelope kept unopened because it was too far ahead of the key. */
    private final Map<KeySlot, Long> waitingFarAhead = new ConcurrentHashMap<>();
    private final EarlyKeys earlyKeys = new EarlyKeys();

    private record KeySlot(RoomId room, PeerId sender, long epoch) {
    }

    RoomInbox(Identity me, TinkEnvelopeSealer sealer, SqliteStore store, RoomBook book, RoomKeys keys,
              SenderNumbers numbers, RoomViews views, RoomSync sync, HybridClock clock, InstantSource time,
              DeletionStandIn standIns) {
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
        this.standIns = standIns;
    }

    void takeActionsWith(MessageActions actions) {
        this.actions = actions;
    }

    /** Where the files messages offer are kept and fetched; set once, before the first envelope comes. */
    void takeFilesWith(FileTransfers files) {
        this.files = files;
    }

    /**
     * A room envelope, pushed or synced: verified, checked against the membership, and kept, opened if its
     * sender's key is here. The future says whether it shows we lack something: its epoch is beyond our log, or
     * its number beyond the next one we expect of its sender.
     */
    CompletableFuture<Boolean> takeEnvelope(PeerId from, byte[] encoded) throws EnvelopeException {
        return takeVerified(from, sealer.verify(encoded), encoded);
    }

    /** As {@link #takeEnvelope}, for {@code encoded} verified already. */
    CompletableFuture<Boolean> takeVerified(PeerId from, VerifiedEnvelope envelope, byte[] encoded) {
        return takeVerified(from, List.of(envelope), List.of(encoded)).getFirst();
    }

    /**
     * As {@link #takeEnvelope} takes each, envelopes verified already (side by side, as a sync answer came) with their
     * encoded forms, in this order; the messages among them are stored in one write. One future for each.
     */
    List<CompletableFuture<Boolean>> takeVerified(PeerId from, List<VerifiedEnvelope> envelopes, List<byte[]> encoded) {
        List<Taken> taken = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            if (envelopes.get(i).header().kind() != EnvelopeKind.TEXT) {
                // An action is stored at once: what came before it is stored before it.
                storeWaiting(taken);
            }
            taken.add(take(from, envelopes.get(i), encoded.get(i)));
        }
        storeWaiting(taken);
        return taken.stream().map(one -> ((Done) one).gap()).toList();
    }

    /** What taking an envelope came to before the store: done, or a message (or an unopened envelope) to store. */
    private sealed interface Taken permits Done, ToStore {
    }

    /** Taken without a write of ours, or after one it waited for; whether it shows we lack something. */
    private record Done(CompletableFuture<Boolean> gap) implements Taken {
        static Done with(boolean gap) {
            return new Done(CompletableFuture.completedFuture(gap));
        }
    }

    /** An envelope to store with what opening it came to. */
    private record ToStore(Room room, VerifiedEnvelope envelope, RoomEnvelope kept, Opening opening, boolean gap)
            implements Taken {
        RoomEnvelopes.Addition addition() {
            return new RoomEnvelopes.Addition(kept, opening.text().map(OpenedText::message), opening.key());
        }
    }

    private Taken take(PeerId from, VerifiedEnvelope envelope, byte[] encoded) {
        EnvelopeHeader header = envelope.header();
        if (!(header.recipient() instanceof Recipient.Room(RoomId id)) || !ROOM_KINDS.contains(header.kind())
                || !header.conversationId().equals(ConversationId.of(id))) {
            log.info("dropped {} from {}: not a room message", envelope, from);
            return Done.with(false);
        }
        Optional<Room> held = book.get(id).filter(room -> room.status() == RoomStatus.JOINED);
        if (held.isEmpty()) {
            return Done.with(false);
        }
        RoomState state = held.get().state();
        PeerId sender = header.sender();
        if (header.epoch() > state.epoch()) {
            return Done.with(true);
        }
        Optional<String> problem = state.writeProblem(sender, header.epoch());
        if (problem.isPresent()) {
            log.info("rejected {} in room {} from {}: {}", header.messageId(), id, sender, problem.get());
            return Done.with(false);
        }
        if (header.epoch() < state.member(me.peerId()).orElseThrow().joinedEpoch()) {
            return Done.with(false);
        }
        long expected = numbers.highestHeld(id, sender) + 1;
        boolean gap = header.sequence() > expected;
        numbers.held(id, sender, header.sequence());
        RoomEnvelope kept = new RoomEnvelope(id.toString(), sender.toBase58(), header.sequence(), header.epoch(),
                header.messageId().toString(), encoded);
        if (header.kind() != EnvelopeKind.TEXT) {
            takeAction(held.get(), kept, envelope);
            return Done.with(gap);
        }
        Opening opening = keys.has(id, sender, header.epoch()) ? open(held.get(), kept, envelope) : Opening.NONE;
        return new ToStore(held.get(), envelope, kept, opening, gap);
    }

    /** Stores what waits to be stored among {@code taken} in one write; each becomes done once it is durable. */
    private void storeWaiting(List<Taken> taken) {
        List<Integer> places = IntStream.range(0, taken.size()).filter(i -> taken.get(i) instanceof ToStore).boxed()
                .toList();
        if (places.isEmpty()) {
            return;
        }
        List<CompletableFuture<Boolean>> stored = store(places.stream().map(i -> (ToStore) taken.get(i)).toList());
        for (int i = 0; i < places.size(); i++) {
            taken.set(places.get(i), new Done(stored.get(i)));
        }
    }

    private List<CompletableFuture<Boolean>> store(List<ToStore> storing) {
        CompletableFuture<List<InsertOutcome>> stored;
        try {
            stored = store.roomEnvelopes().addAllAsync(storing.stream().map(ToStore::addition).toList());
        } catch (StoreException e) {
            if (storing.size() > 1) {
                // One message among them cannot be stored (its body too long, say): the others can, one by one.
                return storing.stream().map(one -> store(List.of(one)).getFirst()).toList();
            }
            ToStore one = storing.getFirst();
            log.info("dropped {} in room {} from {}: {}", one.kept().messageId(), one.room().id(), one.kept().sender(),
                    e.getMessage());
            return List.of(CompletableFuture.completedFuture(false));
        }
        return IntStream.range(0, storing.size())
                .mapToObj(i -> stored.thenApply(outcomes -> stored(storing.get(i), outcomes.get(i)))).toList();
    }

    /** After {@code one} was stored: its message reported, and what waited for it opened. */
    private boolean stored(ToStore one, InsertOutcome outcome) {
        RoomId id = one.room().id();
        EnvelopeHeader header = one.envelope().header();
        PeerId sender = header.sender();
        Opening opening = one.opening();
        Optional<OpenedText> text = opening.text();
        Optional<StoredMessage> message = text.map(OpenedText::message);
        if (outcome == InsertOutcome.INSERTED && message.isPresent()) {
            actions.arrivedInBackground(new ConversationRef.Room(id), message.get(), text.get().payload(),
                    arrival -> {
                        views.received(one.room().state(), message.get(), arrival);
                        fileArrived(id, message.get(), text.get().payload(), arrival);
                    });
        }
        if (message.isPresent()) {
            openFarAheadInReach(id, sender, header.epoch());
        } else if ((!opening.waits() || opening == Opening.WAITS_FOR_EARLIER_KEY)
                && keys.has(id, sender, header.epoch())) {
            // An earlier hand-out of the key may have come while this envelope was being stored: try it again.
            openWaiting(id, sender, header.epoch());
        }
        return one.gap();
    }

    /**
     * A message action's envelope: kept for sync like a message, then applied if its sender's key is here (else when
     * it comes, as the envelopes that wait for it are opened). Waits for the store: actions are rare, and applying
     * one writes again.
     */
    private void takeAction(Room room, RoomEnvelope kept, VerifiedEnvelope verified) {
        InsertOutcome outcome;
        try {
            outcome = store.roomEnvelopes().addAsync(kept, Optional.empty()).join();
        } catch (RuntimeException e) {
            log.info("dropped {} in room {} from {}: {}", kept.messageId(), room.id(), kept.sender(), e.getMessage());
            return;
        }
        if (outcome == InsertOutcome.INSERTED && keys.has(room.id(), PeerId.parse(kept.sender()), kept.epoch())) {
            Opening opening = open(room, kept, verified);
            if (!opening.waits()) {
                store.roomEnvelopes().opened(kept, Optional.empty(), opening.key());
            }
        }
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
            // Most likely we were just added to it, and the invitation is on its way.
            earlyKeys.keepBeforeItsRoom(from, key);
            log.debug("kept {} until we hold its room", key);
            return;
        }
        RoomState state = room.get().state();
        Optional<String> problem = state.writeProblem(key.owner(), key.epoch());
        if (problem.isPresent()) {
            // Beyond the next epoch, or at it from an owner the log does not list yet (a member added there): the
            // events that make it fit are most likely on their way.
            boolean mayFitLater = key.epoch() > state.epoch() + 1
                    || key.epoch() == state.epoch() + 1 && !state.isMember(key.owner());
            if (mayFitLater && earlyKeys.keep(from, key, state.epoch())) {
                log.debug("kept {} until the log reaches its epoch: {}", key, problem.get());
            } else {
                log.info("dropped {}: {}", key, problem.get());
            }
            if (key.epoch() > state.epoch()) {
                sync.syncWith(from);
            }
            return;
        }
        // A key held already stays; only an earlier hand-out of a chain adds the numbers before the one held.
        keys.add(key);
        openWaiting(key.room(), key.owner(), key.epoch());
    }

    /** The room's log took events, or came with an invitation: the keys that came before it and now fit are taken. */
    void logExtended(RoomId id) {
        Optional<Room> room = book.get(id);
        if (room.isEmpty()) {
            return;
        }
        for (EarlyKeys.Early early : earlyKeys.fitting(id, room.get().state().epoch())) {
            keyReceived(early.from(), early.key());
        }
    }

    /** How many keys that came before their epoch wait for the log of {@code room} (for tests). */
    int earlyKeysWaiting(RoomId room) {
        return earlyKeys.waiting(room);
    }

    /** An envelope opened to a message (not an action, which is applied and leaves none). */
    private record OpenedText(StoredMessage message, Text payload) {
    }

    /**
     * What opening an envelope came to: its message, if it is one; a chained key's new state, to keep in the write
     * that marks the envelope opened; and whether it waits, too far ahead of its key to open yet.
     */
    private record Opening(Optional<OpenedText> text, Optional<SenderKeyState> key, boolean waits) {
        static final Opening NONE = new Opening(Optional.empty(), Optional.empty(), false);
        static final Opening WAITS = new Opening(Optional.empty(), Optional.empty(), true);
        /** Compared by identity: waits, like {@link #WAITS}, but for a hand-out that may come any moment. */
        static final Opening WAITS_FOR_EARLIER_KEY = new Opening(Optional.empty(), Optional.empty(), true);
    }

    /**
     * Opens a room envelope whose key we hold: a message, or an action, which is applied (and leaves no message).
     * No message if it does not open: its sender sealed it wrongly, or its chained message key is gone.
     */
    private Opening open(Room room, RoomEnvelope envelope) {
        VerifiedEnvelope verified;
        try {
            verified = sealer.verify(envelope.envelope());
        } catch (EnvelopeException e) {
            return notOpened(room, envelope, e);
        }
        return open(room, envelope, verified);
    }

    /** As {@link #open(Room, RoomEnvelope)}, for an envelope whose signature was checked as it arrived. */
    private Opening open(Room room, RoomEnvelope envelope, VerifiedEnvelope verified) {
        RoomOpening opening;
        Text payload;
        try {
            opening = sealer.openRoomKeepingKey(verified, keys.ring(), STORE_DEDUPLICATES);
        } catch (EnvelopeException e) {
            return notOpened(room, envelope, e);
        }
        Opened opened = opening.opened();
        Optional<SenderKeyState> key = opening.keyState().flatMap(state -> keys.find(room.id(),
                opened.header().sender(), opened.header().epoch()).map(held -> RoomKeys.state(held, state)));
        try {
            if (opened.header().kind() != EnvelopeKind.TEXT) {
                EnvelopeHeader header = opened.header();
                clock.observe(header.hlc());
                actions.received(new ConversationRef.Room(room.id()), room.conversationId(), header.sender(),
                        header.messageId(), header.hlc(), header.kind(), opened.plaintext()).ifPresent(actions::report);
                if (header.kind() == EnvelopeKind.DELETE) {
                    standIns.put(envelope, opened.plaintext())
                            .ifPresent(withdrawn -> showDeletedInPlace(room, header, withdrawn));
                }
                return new Opening(Optional.empty(), key, false);
            }
            payload = Text.parseFrom(opened.plaintext());
        } catch (InvalidProtocolBufferException e) {
            log.info("a room envelope in {} does not read: {}", room.id(), e.getMessage());
            return new Opening(Optional.empty(), key, false);
        }
        String body = payload.getBody();
        EnvelopeHeader header = opened.header();
        clock.observe(header.hlc());
        boolean ours = header.sender().equals(me.peerId());
        Instant now = time.instant();
        StoredMessage message = new StoredMessage(header.messageId().toString(), room.conversationId(),
                header.sender().toBase58(), header.hlc(), Instant.ofEpochMilli(HybridClock.millis(header.hlc())), now,
                ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, body,
                ours ? MessageState.SENT : MessageState.RECEIVED);
        if (payload.hasFile()) {
            // Queued before the message's own write, so that the message is never stored without its file.
            files.offered(room.conversationId(), header.sender(), header.messageId(), payload.getFile());
        }
        return new Opening(Optional.of(new OpenedText(message, payload)), key, false);
    }

    /**
     * A member's picture is fetched at once if it is small (a member is trusted with that, as a contact is), unless
     * its deletion came first.
     */
    private void fileArrived(RoomId id, StoredMessage message, Text payload, MessageActions.Arrival arrival) {
        if (payload.hasFile() && !message.sender().equals(me.peerId().toBase58()) && !arrival.details().deleted()) {
            files.arrived(new MessageRef(new ConversationRef.Room(id), PeerId.parse(message.sender()),
                    MessageId.parse(message.id())), true);
        }
    }

    private Opening notOpened(Room room, RoomEnvelope envelope, EnvelopeException e) {
        switch (e.reason()) {
            case TOO_FAR_AHEAD -> {
                KeySlot slot = new KeySlot(room.id(), PeerId.parse(envelope.sender()), envelope.epoch());
                waitingFarAhead.merge(slot, envelope.senderSeq(), Math::min);
                log.debug("a room envelope in {} waits: {}", room.id(), e.getMessage());
                return Opening.WAITS;
            }
            case MESSAGE_KEY_GONE -> {
                // Numbered before the hand-out of its key that came first (one from a sync, say, while the owner's own
                // hand-out, from an earlier number, still went through a session's handshake): that one opens it, and
                // openWaiting tries it again when it comes. Left unopened in the store, as one that waits for its key.
                log.debug("a room envelope in {} waits for an earlier hand-out of its key: {}", room.id(),
                        e.getMessage());
                return Opening.WAITS_FOR_EARLIER_KEY;
            }
            default -> log.info("a room envelope in {} does not open: {}", room.id(), e.getMessage());
        }
        return Opening.NONE;
    }

    /**
     * After a restart, what waits unopened under a key we hold (too far ahead of a chained key when it came) is tried
     * again after the next message of its sender opens, as it would have been before the restart.
     */
    void resumeWaiting() {
        for (Room room : book.withStatus(RoomStatus.JOINED)) {
            for (Map.Entry<String, Long> awaited : store.roomEnvelopes().awaitedKeys(room.id().toString())) {
                PeerId sender = PeerId.parse(awaited.getKey());
                if (keys.has(room.id(), sender, awaited.getValue())) {
                    waitingFarAhead.put(new KeySlot(room.id(), sender, awaited.getValue()), 0L);
                }
            }
        }
    }

    /** After a message opened: opens what waited too far ahead of its key once the key has come within reach. */
    private void openFarAheadInReach(RoomId id, PeerId sender, long epoch) {
        KeySlot slot = new KeySlot(id, sender, epoch);
        Long lowest = waitingFarAhead.get(slot);
        if (lowest == null) {
            return;
        }
        Optional<SenderKey> key = keys.find(id, sender, epoch);
        if (key.isPresent() && lowest - key.get().iteration() <= SenderKey.MAX_SKIP
                && waitingFarAhead.remove(slot, lowest)) {
            openWaiting(id, sender, epoch);
        }
    }

    /**
     * A message deleted for everyone before it reached us: the members we meet have only the deletion in its place, so
     * it never will. It is kept and shown as deleted, with no text, where it was written (the time in its id, which
     * its author chose, but never after the deletion). Only for a message numbered after an envelope of its author's
     * we hold: a member holds nothing from before its joining, and is not shown what was said then, even deleted.
     */
    private void showDeletedInPlace(Room room, EnvelopeHeader deletion, DeletionStandIn.Withdrawn withdrawn) {
        String sender = deletion.sender().toBase58();
        StoredMessage placeholder;
        try {
            if (store.messages().get(new MessageKey(room.conversationId(), sender,
                    withdrawn.message().toString())).isPresent()) {
                return;
            }
            if (!holdsOwnEnvelopeBefore(room.id(), sender, withdrawn.number())) {
                return;
            }
            long written = Math.max(0, Math.min(deletion.hlc() - 1,
                    HybridClock.at(withdrawn.message().high() >>> ID_BITS_AFTER_TIME)));
            boolean ours = deletion.sender().equals(me.peerId());
            placeholder = new StoredMessage(withdrawn.message().toString(), room.conversationId(), sender, written,
                    Instant.ofEpochMilli(HybridClock.millis(written)), time.instant(),
                    ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, "",
                    ours ? MessageState.SENT : MessageState.RECEIVED);
            if (store.messages().insert(placeholder) != InsertOutcome.INSERTED) {
                return;
            }
        } catch (StoreException e) {
            log.info("deleted message {} in room {} is not shown: {}", withdrawn.message(), room.id(), e.getMessage());
            return;
        }
        // Its deletion waits for it: applied as it arrives, before it is shown.
        views.received(room.state(), placeholder, actions.arrived(new ConversationRef.Room(room.id()), placeholder,
                Text.getDefaultInstance()));
    }

    /**
     * Whether we hold an envelope {@code sender} sealed itself numbered below {@code number}: not a deletion standing in
     * for another (those a member keeps for messages from before its joining too), so one taken from our joining on.
     */
    private boolean holdsOwnEnvelopeBefore(RoomId room, String sender, long number) {
        long after = 0;
        while (after < number - 1) {
            List<RoomEnvelope> page = store.roomEnvelopes().after(room.toString(), sender, after, 0, STAND_IN_PAGE);
            for (RoomEnvelope held : page) {
                if (held.senderSeq() >= number) {
                    return false;
                }
                try {
                    if (Envelope.decode(held.envelope()).header().sequence() == held.senderSeq()) {
                        return true;
                    }
                } catch (EnvelopeException e) {
                    log.debug("room {} holds an envelope of {} that does not decode: {}", room, sender, e.getMessage());
                }
            }
            if (page.isEmpty()) {
                return false;
            }
            after = page.getLast().senderSeq();
        }
        return false;
    }

    /** Opens what waited for the key of {@code sender} at {@code epoch}, and reports it. */
    private void openWaiting(RoomId id, PeerId sender, long epoch) {
        Optional<Room> room = book.get(id);
        if (room.isEmpty()) {
            return;
        }
        for (RoomEnvelope waiting : store.roomEnvelopes().unopened(id.toString(), sender.toBase58(), epoch)) {
            Opening opening = open(room.get(), waiting);
            if (opening.waits()) {
                continue;
            }
            Optional<OpenedText> text = opening.text();
            Optional<StoredMessage> message = text.map(OpenedText::message);
            try {
                if (store.roomEnvelopes().opened(waiting, message, opening.key()) == InsertOutcome.INSERTED) {
                    MessageActions.Arrival arrival = actions.arrived(new ConversationRef.Room(id), message.get(),
                            text.get().payload());
                    views.received(room.get().state(), message.orElseThrow(), arrival);
                    fileArrived(id, message.get(), text.get().payload(), arrival);
                }
            } catch (StoreException e) {
                log.info("a message in room {} from {} was not kept: {}", id, sender, e.getMessage());
            }
        }
    }
}
