package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.Node;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.RoomBook.Extension;
import dev.parley.app.engine.RoomBook.Room;
import dev.parley.app.engine.room.InvalidRoomEventException;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.app.engine.room.RoomLog;
import dev.parley.app.engine.room.RoomState;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.MemberAddresses;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.RoomInvite;
import dev.parley.app.engine.wire.SyncProtos.RoomUpdate;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
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
import dev.parley.crypto.Recipient;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Page;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.RoomStatus;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group rooms (app/README.md, "Rooms"): creating them, inviting, joining, leaving, removing and promoting members,
 * renaming, and the room messages themselves.
 *
 * <p>Membership: every change is a {@link RoomEvent} its author signs and adds to the room's log, naming the log's
 * heads as its parents, then sends 1:1 (a ROOM_EVENT envelope, kept in the outbox until acknowledged) to every
 * member, and to a member it removes, who so learns it. Syncs carry the log too, so a member that missed an event
 * gets it from whoever it meets. What the log comes to is {@link RoomLog}'s: a function of its events alone.
 *
 * <p>Keys: each member seals its messages with its own sender key for the room. Whenever the members change, every
 * member still in the room makes a new key and sends it 1:1 to the members it sees: a removed member gets none of
 * the new keys, and a new member none of the old ones.
 *
 * <p>Messages: each is numbered per sender, stored with its envelope, and pushed straight to every member the
 * sender can reach. {@link RoomSync} fills every other gap: on each new connection to a fellow member, after a
 * push that shows a gap, and every {@link #ANTI_ENTROPY_PERIOD} with every member connected. The conversation is
 * ordered by the messages' hybrid-logical-clock timestamps, alike on every device; ids drop duplicates.
 */
final class Rooms implements RoomSync.Party {
    static final Duration ANTI_ENTROPY_PERIOD = Duration.ofSeconds(30);
    /** How long our first message in a room since start waits for its log from a member. */
    static final Duration LOG_FETCH_WAIT = Duration.ofSeconds(3);
    /** Room envelopes in one sync answer; a member that lacks more asks again. */
    static final int MAX_ANSWER_ENVELOPES = 20_000;
    /** Membership events per frame: at most 64 KiB each, so frames stay inside the frame limit. */
    static final int EVENTS_PER_FRAME = 3;
    /** Heads a digest names at most: as many as an event names parents. */
    static final int MAX_DIGEST_HEADS = RoomEvent.MAX_PARENTS;
    /** Addresses an invitation gives for each member: as many as an invite code carries. */
    static final int MAX_HINT_ADDRESSES = 8;
    /** What an invitation needs besides the log it carries: the add it brings, hints, and the envelope's sealing. */
    static final int INVITATION_HEADROOM = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Rooms.class);
    /** Room members of joined rooms are kept in the address book however long they are away (transport/README.md). */
    private static final String KEPT_AS_MEMBER = "room member";
    /** The store's unique message ids drop duplicates; a guard in memory would only forget them at restart. */
    private static final ReplayGuard STORE_DEDUPLICATES = id -> true;
    private static final byte[] NOTICE_ID_DOMAIN = "parley/room-notice-id/1\0".getBytes(StandardCharsets.UTF_8);

    private final Identity me;
    private final Supplier<ContactCard> card;
    private final Supplier<List<Multiaddr>> ownAddresses;
    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final HybridClock clock;
    private final EventDispatcher events;
    private final Outgoing outgoing;
    private final Node node;
    private final RoomBook book;
    private final RoomKeys keys;
    private final RoomSync sync;
    /** Per room and sender, the highest envelope number held: a push beyond the next one shows a gap. */
    private final Map<RoomId, Map<PeerId, Long>> highest = new ConcurrentHashMap<>();
    /** Per room, completed once a sync with a member since start brought us its log. */
    private final RoomLogFetches logFetches = new RoomLogFetches();
    private volatile boolean closed;
    private volatile Thread antiEntropy;

    Rooms(Identity me, Supplier<ContactCard> card, Supplier<List<Multiaddr>> ownAddresses, TinkEnvelopeSealer sealer,
          SqliteStore store, ContactBook contacts, HybridClock clock, EventDispatcher events, Outgoing outgoing,
          Node node) {
        this.me = me;
        this.card = card;
        this.ownAddresses = ownAddresses;
        this.sealer = sealer;
        this.store = store;
        this.contacts = contacts;
        this.clock = clock;
        this.events = events;
        this.outgoing = outgoing;
        this.node = node;
        this.book = RoomBook.load(store);
        this.keys = RoomKeys.load(store, me.peerId());
        this.sync = new RoomSync(node, this);
    }

    /**
     * Serves {@code /parley/sync/1.0.0}, dials the members of every room joined so that whoever is online catches
     * up (a sync starts on each new connection), and keeps syncing with connected members periodically.
     */
    void start() {
        sync.start();
        for (Room room : book.withStatus(RoomStatus.JOINED)) {
            for (PeerId member : room.state().members().keySet()) {
                if (!member.equals(me.peerId())) {
                    node.host().addressBook().keep(member, KEPT_AS_MEMBER);
                    addresses(member).ifPresent(known -> node.host().addressBook().add(member, known));
                    reachInBackground(member);
                }
            }
        }
        antiEntropy = Thread.ofVirtual().name("room-anti-entropy").start(this::antiEntropy);
    }

    void close() {
        closed = true;
        if (antiEntropy != null) {
            antiEntropy.interrupt();
        }
        sync.close();
    }

    // ---- what the user does ----

    RoomInfo create(String name) throws EngineException {
        checkName(name);
        RoomChange.Create creation = RoomChange.Create.fresh(name, card.get());
        RoomEvent created = RoomEvent.sign(me, creation.roomId(), 0, List.of(), clock.now(), creation);
        Room room;
        try {
            room = book.add(RoomLog.create(created), RoomStatus.JOINED, null);
        } catch (InvalidRoomEventException e) {
            throw new IllegalStateException("a room this node created does not verify", e);
        }
        keys.rotate(creation.roomId(), 0);
        notice(room.state(), created);
        return updated(room);
    }

    /** Adds a contact to the room and sends them the invitation, with the room's whole log. */
    RoomInfo invite(RoomId id, PeerId peer) throws EngineException {
        Known contact = contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED
                && known.card() != null).orElseThrow(() -> new EngineException("cannot invite " + peer
                + ": only accepted contacts can be invited; add them with their invite code first"));
        // An invitation carries the whole log in one envelope: refuse before the add is signed, rather than add a
        // member whose invitation cannot go out (app/README.md, "Rooms", Known limits).
        long logBytes = require(id).log().events().stream().mapToLong(event -> event.encode().length + 4L).sum();
        if (logBytes + INVITATION_HEADROOM > Envelope.MAX_SIZE) {
            throw new EngineException("cannot invite " + contact.name() + ": the room's membership log is "
                    + logBytes / 1024 + " KiB, and an invitation carries it whole in at most "
                    + (Envelope.MAX_SIZE - INVITATION_HEADROOM) / 1024 + " KiB; Parley cannot invite into a room"
                    + " with so long a history yet");
        }
        // The invitation is queued before the keys of the new epoch, so that it arrives first: a key for a room
        // the invitee does not know yet is dropped (and asked for again on the next sync).
        return info(change(id, "invite " + contact.name() + " to", new RoomChange.Add(contact.card()), added -> {
            RoomInvite.Builder invite = RoomInvite.newBuilder();
            added.log().events().forEach(event -> invite.addEvents(ByteString.copyFrom(event.encode())));
            // Hints as far as they fit, keeping half the headroom for sealing.
            int spare = Envelope.MAX_SIZE - INVITATION_HEADROOM / 2 - invite.build().getSerializedSize();
            for (PeerId member : added.state().members().keySet()) {
                Optional<MemberAddresses> hint = hint(member);
                if (hint.isPresent() && hint.get().getSerializedSize() + 8 <= spare) {
                    invite.addHints(hint.get());
                    spare -= hint.get().getSerializedSize() + 8;
                }
            }
            outgoing.queue(contact.card(), EnvelopeKind.ROOM_INVITE, invite.build().toByteArray());
        }));
    }

    /** Where a member may be reached, as far as this node knows: a hint for an invitee, who knows nobody yet. */
    private Optional<MemberAddresses> hint(PeerId member) {
        List<Multiaddr> addresses = member.equals(me.peerId()) ? ownAddresses.get()
                : node.host().addressBook().addresses(member);
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        MemberAddresses.Builder hint = MemberAddresses.newBuilder().setMember(ByteString.copyFrom(member.bytes()));
        addresses.stream().limit(MAX_HINT_ADDRESSES).forEach(address -> hint.addAddresses(
                ByteString.copyFrom(address.bytes())));
        return Optional.of(hint.build());
    }

    RoomInfo accept(RoomId id) throws EngineException {
        Room room = book.locked(id, () -> {
            Room invited = require(id);
            if (invited.status() != RoomStatus.INVITED) {
                throw new EngineException("there is no invitation to " + invited.state().name() + " to accept");
            }
            Room joined = book.setStatus(id, RoomStatus.JOINED);
            currentKey(joined.state());
            return joined;
        });
        room.state().members().keySet().stream().filter(peer -> !peer.equals(me.peerId()))
                .forEach(this::reachInBackground);
        return updated(room);
    }

    /** Declines an invitation: leaves the room the inviter added us to, so its members know. */
    void decline(RoomId id) throws EngineException {
        Room room = require(id);
        if (room.status() != RoomStatus.INVITED) {
            throw new EngineException("there is no invitation to " + room.state().name() + " to decline");
        }
        leave(id);
    }

    void leave(RoomId id) throws EngineException {
        Room room = require(id);
        if (room.status() == RoomStatus.LEFT) {
            throw new EngineException("you are no longer in " + room.state().name());
        }
        RoomState state = room.state();
        if (state.isAdmin(me.peerId()) && state.admins().size() == 1 && state.members().size() > 1) {
            throw new EngineException("cannot leave " + state.name() + ": you are its last admin; make another"
                    + " member an admin first");
        }
        change(id, "leave", new RoomChange.Leave(), left -> { });
    }

    RoomInfo remove(RoomId id, PeerId member) throws EngineException {
        return info(change(id, "remove " + nameOf(require(id).state(), member) + " from",
                new RoomChange.Remove(member), removed -> { }));
    }

    RoomInfo rename(RoomId id, String name) throws EngineException {
        checkName(name);
        return info(change(id, "rename", new RoomChange.Rename(name), renamed -> { }));
    }

    RoomInfo promote(RoomId id, PeerId member) throws EngineException {
        return info(change(id, "make " + nameOf(require(id).state(), member) + " an admin of",
                new RoomChange.Promote(member), promoted -> { }));
    }

    /** Stores a message in the room and pushes it to every member that can be reached; returns its id. */
    MessageId say(RoomId id, String text) throws EngineException {
        if (text.isBlank()) {
            throw new EngineException("the message is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StoreLimits.MAX_BODY_BYTES) {
            throw new EngineException("the message is " + bytes + " bytes long; the limit is "
                    + StoreLimits.MAX_BODY_BYTES);
        }
        awaitLog(id);
        record Sealed(Room room, RoomEnvelope envelope, StoredMessage message, CompletableFuture<InsertOutcome> stored) {
        }
        Sealed sealed = book.locked(id, () -> {
            Room room = require(id);
            if (room.status() != RoomStatus.JOINED || !room.state().isMember(me.peerId())) {
                throw new EngineException("you cannot write in " + room.state().name() + ": you are not a member"
                        + (room.status() == RoomStatus.INVITED ? " yet; accept the invitation first" : " any more"));
            }
            SenderKey key = currentKey(room.state());
            long sequence = nextSequence(id, me.peerId());
            long hlc = clock.now();
            Instant now = Instant.now();
            MessageId messageId = MessageId.timeOrdered(now.toEpochMilli());
            byte[] envelope;
            try {
                envelope = sealer.sealRoom(me, key, new HeaderFields(messageId, ConversationId.of(id), hlc,
                        EnvelopeKind.TEXT), sequence, Text.newBuilder().setBody(text).build().toByteArray()).encode();
            } catch (EnvelopeException e) {
                throw new EngineException("the message could not be sealed: " + e.getMessage(), e);
            }
            RoomEnvelope stored = new RoomEnvelope(id.toString(), me.peerId().toBase58(), sequence, key.epoch(),
                    messageId.toString(), envelope);
            StoredMessage message = new StoredMessage(messageId.toString(), room.conversationId(),
                    me.peerId().toBase58(), hlc, now, now, Direction.OUTGOING, MessageKind.TEXT, text,
                    MessageState.SENT);
            return new Sealed(room, stored, message, store.roomEnvelopes().addAsync(stored, Optional.of(message)));
        });
        try {
            sealed.stored().join();
        } catch (RuntimeException e) {
            throw new EngineException("the message could not be stored: " + e.getMessage(), e);
        }
        for (PeerId member : sealed.room().state().members().keySet()) {
            if (!member.equals(me.peerId())) {
                sync.push(member, new RoomSync.Push(id, sealed.envelope().envelope()));
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
        toReach.forEach(this::reachInBackground);
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

    List<RoomInfo> list() {
        return book.all().stream().map(this::info)
                .sorted(Comparator.comparing(RoomInfo::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    Optional<RoomInfo> get(RoomId id) {
        return book.get(id).map(this::info);
    }

    /** The newest {@code limit} lines of the room, oldest first. */
    List<RoomMessage> history(RoomId id, int limit) throws EngineException {
        Room room = require(id);
        Page page = store.messages().newest(room.conversationId(), limit);
        return page.messages().reversed().stream().map(message -> roomMessage(room.state(), message)).toList();
    }

    /** Marks every line of the room read; returns how many were unread. No receipts go out for rooms. */
    int markRead(RoomId id) throws EngineException {
        Room room = require(id);
        List<StoredMessage> newest = store.messages().newest(room.conversationId(), 1).messages();
        return newest.isEmpty() ? 0 : store.messages().markRead(room.conversationId(), newest.getFirst().cursor()).size();
    }

    // ---- what arrives 1:1 ----

    /** A SENDER_KEY, ROOM_EVENT or ROOM_INVITE envelope a peer sent us; returns the event to report, if any. */
    Optional<EngineEvent> received(Opened opened) {
        EnvelopeHeader header = opened.header();
        PeerId from = header.sender();
        try {
            switch (header.kind()) {
                case SENDER_KEY -> keyReceived(from, sealer.openSenderKey(opened));
                case ROOM_EVENT -> {
                    RoomUpdate update = RoomUpdate.parseFrom(opened.plaintext());
                    RoomEvent event = RoomEvent.decode(update.getEvent().toByteArray());
                    if (book.get(event.roomId()).isPresent()) {
                        Extension extension = offer(event.roomId(), List.of(event), from);
                        learnHints(extension.room().state(), update.getHintsList());
                        if (extension.behind()) {
                            sync.syncWith(from);
                        }
                    }
                }
                case ROOM_INVITE -> {
                    return invited(from, RoomInvite.parseFrom(opened.plaintext()));
                }
                default -> throw new IllegalArgumentException("not a room envelope: " + header.kind());
            }
        } catch (EnvelopeException | InvalidRoomEventException | InvalidProtocolBufferException e) {
            log.info("dropped {} {} from {}: {}", header.kind(), header.messageId(), from, e.getMessage());
        } catch (RuntimeException e) {
            // Whatever else a hostile envelope trips over must not end the stream that carries everyone's messages.
            log.warn("dropped {} {} from {}, which this node failed on", header.kind(), header.messageId(), from, e);
        }
        return Optional.empty();
    }

    /** A peer connected: if it shares a room with us, each tells the other what it lacks. */
    void connected(PeerId peer) {
        if (!closed && sharesRoom(peer)) {
            sync.syncWith(peer);
        }
    }

    // ---- /parley/sync/1.0.0 ----

    @Override
    public Optional<Digest> digest(PeerId peer) {
        Digest.Builder digest = Digest.newBuilder();
        for (Room room : book.withStatus(RoomStatus.JOINED)) {
            RoomState state = room.state();
            // While we are a member as far as we know, we ask: if we were removed, the answer tells us so.
            if (!state.isMember(me.peerId()) || !state.isMember(peer)) {
                continue;
            }
            RoomDigest.Builder entry = RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.id().bytes()));
            state.heads().stream().limit(MAX_DIGEST_HEADS).forEach(head -> entry.addHeads(ByteString.copyFrom(head)));
            store.roomEnvelopes().contiguous(room.id().toString()).forEach((sender, contiguous) -> entry.addSenders(
                    SenderPosition.newBuilder().setSender(ByteString.copyFrom(PeerId.parse(sender).bytes()))
                            .setContiguous(contiguous)));
            String owner = peer.toBase58();
            store.roomEnvelopes().awaitedKeys(room.id().toString()).stream()
                    .filter(awaited -> awaited.getKey().equals(owner)).map(Map.Entry::getValue).distinct()
                    .forEach(epoch -> entry.addWantedKeys(WantedKey.newBuilder()
                            .setOwner(ByteString.copyFrom(peer.bytes())).setEpoch(epoch)));
            digest.addRooms(entry);
        }
        return digest.getRoomsCount() == 0 ? Optional.empty() : Optional.of(digest.build());
    }

    @Override
    public void synced(PeerId peer) {
        for (Room room : book.all()) {
            logFetches.heardFrom(room.id(), peer);
        }
    }

    @Override
    public boolean stillMember(RoomId room, PeerId member) {
        return book.get(room).map(held -> held.state().isMember(member)).orElse(false);
    }

    @Override
    public boolean answer(PeerId asker, Digest digest, RoomSync.FrameSink out) throws IOException {
        int budget = MAX_ANSWER_ENVELOPES;
        boolean behind = false;
        for (RoomDigest asked : digest.getRoomsList()) {
            Optional<Room> held = roomOf(asked.getRoomId());
            if (held.isEmpty() || asked.getHeadsCount() > MAX_DIGEST_HEADS) {
                continue;
            }
            Room room = held.get();
            behind |= answerEvents(asker, asked, room, out);
            if (room.status() == RoomStatus.JOINED && room.state().isMember(asker)
                    && room.state().isMember(me.peerId())) {
                budget = answerEnvelopes(asker, asked, room, out, budget);
                answerKeys(asker, asked, room, out);
            }
        }
        if (behind) {
            sync.syncWith(asker);
        }
        return budget == 0;
    }

    /**
     * The events the asker lacks: all of them for a member, and for a member who left or was removed only those up
     * to its departure, which it needs to learn of it; nothing for anyone else. Returns whether the asker holds
     * events we lack.
     */
    private boolean answerEvents(PeerId asker, RoomDigest asked, Room room, RoomSync.FrameSink out)
            throws IOException {
        RoomLog roomLog = room.log();
        List<byte[]> heads = asked.getHeadsList().stream().map(ByteString::toByteArray).toList();
        boolean behind = heads.stream().anyMatch(head -> !roomLog.holds(head));
        List<RoomEvent> missing;
        if (room.state().isMember(asker)) {
            missing = roomLog.missingFrom(heads);
        } else {
            Optional<RoomState.Departure> departure = room.state().departure(asker);
            if (departure.isEmpty()) {
                return false;
            }
            RoomEvent departed = departure.get().event();
            missing = roomLog.missingFrom(heads).stream().filter(event -> Arrays.equals(event.hash(), departed.hash())
                    || roomLog.follows(departed, event)).toList();
        }
        for (int from = 0; from < missing.size(); from += EVENTS_PER_FRAME) {
            RoomEvents.Builder frame = RoomEvents.newBuilder().setRoomId(asked.getRoomId());
            missing.subList(from, Math.min(missing.size(), from + EVENTS_PER_FRAME))
                    .forEach(event -> frame.addEvents(ByteString.copyFrom(event.encode())));
            out.write(SyncFrame.newBuilder().setEvents(frame).build());
        }
        return behind && room.state().isMember(asker);
    }

    /** Every member's envelopes the asker lacks, from the epoch it joined in; returns the budget left. */
    private int answerEnvelopes(PeerId asker, RoomDigest asked, Room room, RoomSync.FrameSink out, int budget)
            throws IOException {
        Map<PeerId, Long> positions = new HashMap<>();
        for (SenderPosition position : asked.getSendersList()) {
            try {
                positions.put(PeerId.fromBytes(position.getSender().toByteArray()), position.getContiguous());
            } catch (IllegalArgumentException e) {
                log.debug("{} named an invalid sender in its digest: {}", asker, e.getMessage());
            }
        }
        long joined = room.state().member(asker).orElseThrow().joinedEpoch();
        for (PeerId sender : room.state().members().keySet()) {
            long after = Math.max(0, positions.getOrDefault(sender, 0L));
            while (budget > 0) {
                int limit = Math.min(budget, StoreLimits.MAX_PAGE_SIZE);
                List<RoomEnvelope> page = store.roomEnvelopes().after(room.id().toString(), sender.toBase58(), after,
                        joined, limit);
                for (RoomEnvelope envelope : page) {
                    out.write(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(envelope.envelope())).build());
                }
                budget -= page.size();
                if (page.size() < limit) {
                    break;
                }
                after = page.getLast().senderSeq();
            }
        }
        return budget;
    }

    /**
     * Our keys the asker lacks, sealed to it afresh: only a key's owner can hand it out, and only to whom it handed
     * it when it made it. A member who was out then (removed, or not yet added) gets none of it, even if the log
     * later counts it a member of that epoch.
     */
    private void answerKeys(PeerId asker, RoomDigest asked, Room room, RoomSync.FrameSink out) throws IOException {
        ContactCard askerCard = room.state().member(asker).orElseThrow().card();
        for (WantedKey wanted : asked.getWantedKeysList()) {
            if (!Arrays.equals(wanted.getOwner().toByteArray(), me.peerId().bytes())
                    || room.state().writeProblem(asker, wanted.getEpoch()).isPresent()
                    || !keys.handedTo(room.id(), wanted.getEpoch(), asker)) {
                continue;
            }
            Optional<SenderKey> key = keys.ring().find(room.id(), me.peerId(), wanted.getEpoch());
            if (key.isPresent()) {
                try {
                    byte[] sealed = sealer.sealSenderKey(me, askerCard, key.get(), clock.now()).encode();
                    out.write(SyncFrame.newBuilder().setSenderKey(ByteString.copyFrom(sealed)).build());
                } catch (EnvelopeException e) {
                    throw new IllegalStateException("a sender key does not fit an envelope", e);
                }
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> take(PeerId from, SyncFrame frame) {
        try {
            return switch (frame.getFrameCase()) {
                case ENVELOPE -> takeEnvelope(from, frame.getEnvelope().toByteArray());
                case EVENTS -> CompletableFuture.completedFuture(takeEvents(from, List.of(frame.getEvents())));
                case SENDER_KEY -> {
                    Opened opened = sealer.openDirect(me, frame.getSenderKey().toByteArray(), STORE_DEDUPLICATES);
                    keyReceived(from, sealer.openSenderKey(opened));
                    yield CompletableFuture.completedFuture(false);
                }
                case DIGEST, DONE, FRAME_NOT_SET -> CompletableFuture.completedFuture(false);
            };
        } catch (EnvelopeException e) {
            log.info("dropped a {} frame from {}: {}", frame.getFrameCase(), from, e.getMessage());
            return CompletableFuture.completedFuture(false);
        } catch (RuntimeException e) {
            log.warn("dropped a {} frame from {}, which this node failed on", frame.getFrameCase(), from, e);
            return CompletableFuture.completedFuture(false);
        }
    }

    @Override
    public boolean takeEvents(PeerId from, List<RoomEvents> frames) {
        Map<RoomId, List<RoomEvent>> offered = new LinkedHashMap<>();
        for (RoomEvents frame : frames) {
            Optional<Room> room = roomOf(frame.getRoomId());
            if (room.isEmpty()) {
                continue;
            }
            for (ByteString event : frame.getEventsList()) {
                try {
                    offered.computeIfAbsent(room.get().id(), id -> new ArrayList<>())
                            .add(RoomEvent.decode(event.toByteArray()));
                } catch (InvalidRoomEventException e) {
                    log.info("dropped a membership event of room {} from {}: {}", room.get().id(), from,
                            e.getMessage());
                }
            }
        }
        boolean behind = false;
        for (Map.Entry<RoomId, List<RoomEvent>> room : offered.entrySet()) {
            try {
                behind |= offer(room.getKey(), room.getValue(), from).behind();
            } catch (RuntimeException e) {
                log.warn("dropped membership events of room {} from {}, which this node failed on", room.getKey(),
                        from, e);
            }
        }
        return behind;
    }

    /**
     * A room envelope, pushed or synced: verified, checked against the membership, and kept, opened if its
     * sender's key is here. The future says whether it shows we lack something: its epoch is beyond our log, or
     * its number beyond the next one we expect of its sender.
     */
    private CompletableFuture<Boolean> takeEnvelope(PeerId from, byte[] encoded) throws EnvelopeException {
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
        long expected = highestHeld(id, sender) + 1;
        boolean gap = header.sequence() > expected;
        highest.get(id).merge(sender, header.sequence(), Math::max);
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
                events.publish(new EngineEvent.RoomMessageReceived(roomMessage(state, message.get())));
            } else if (message.isEmpty() && keys.has(id, sender, header.epoch())) {
                openWaiting(id, sender, header.epoch());
            }
            return gap;
        });
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
        Instant now = Instant.now();
        return Optional.of(new StoredMessage(header.messageId().toString(), room.conversationId(),
                header.sender().toBase58(), header.hlc(), Instant.ofEpochMilli(HybridClock.millis(header.hlc())), now,
                ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, body,
                ours ? MessageState.SENT : MessageState.RECEIVED));
    }

    /** A member's sender key: kept if its owner was a member at its epoch, which is not stale nor beyond ours. */
    private void keyReceived(PeerId from, SenderKey key) {
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
                    events.publish(new EngineEvent.RoomMessageReceived(roomMessage(room.get().state(),
                            message.orElseThrow())));
                }
            } catch (StoreException e) {
                log.info("a message in room {} from {} was not kept: {}", id, sender, e.getMessage());
            }
        }
    }

    // ---- membership ----

    /**
     * Signs a change, adds it to the room's log, runs {@code appended} with the room as it is then, and does what
     * follows from the change. A change that would not take effect is refused with the reason, and never signed
     * into the log.
     */
    private Room change(RoomId id, String action, RoomChange change, Consumer<Room> appended) throws EngineException {
        return book.locked(id, () -> {
            Room room = require(id);
            if (room.status() == RoomStatus.LEFT) {
                throw new EngineException("cannot " + action + " " + room.state().name() + ": you are no longer in it");
            }
            RoomEvent event = room.log().next(me, clock.now(), change);
            Optional<String> problem;
            try {
                RoomState tried = room.log().add(event).log().state();
                problem = tried.skipped(event);
            } catch (InvalidRoomEventException e) {
                problem = Optional.of(e.getMessage());
            }
            if (problem.isPresent()) {
                throw new EngineException("cannot " + action + " " + room.state().name() + ": " + problem.get());
            }
            Extension extension = book.extend(id, List.of(event), me.peerId());
            appended.accept(extension.room());
            return followUp(extension);
        });
    }

    /** Offers events {@code carrier} handed over to the room's log and does what follows from those it takes. */
    private Extension offer(RoomId id, List<RoomEvent> offered, PeerId carrier) {
        return book.locked(id, () -> {
            Extension extension = book.extend(id, offered, carrier);
            extension.refusal().ifPresent(reason -> log.info("refused a membership event of room {}: {}", id, reason));
            if (!extension.added().isEmpty()) {
                followUp(extension);
            }
            return extension;
        });
    }

    /**
     * What follows from events added to a room's log: notices of what took effect (and away with those of what a
     * departure has since voided), sending our own events to the members, leaving the room if it no longer has us,
     * else a new sender key if its members changed. Call with the room's lock held.
     */
    private Room followUp(Extension extension) {
        Room room = extension.room();
        RoomState before = extension.before();
        RoomState after = room.state();
        for (RoomEvent voided : extension.voided()) {
            store.messages().delete(new MessageKey(room.conversationId(), voided.author().toBase58(),
                    noticeId(voided).toString()));
        }
        for (RoomEvent took : extension.took()) {
            notice(after, took, before);
        }
        for (RoomEvent event : extension.added()) {
            if (event.author().equals(me.peerId())) {
                sendEvent(event, before, after);
            }
        }
        if (!after.isMember(me.peerId())) {
            if (room.status() != RoomStatus.LEFT) {
                room = book.setStatus(room.id(), RoomStatus.LEFT);
                keys.forget(room.id());
            }
        } else if (room.status() == RoomStatus.JOINED && !after.members().keySet().equals(before.members().keySet())) {
            rotateKey(after);
        }
        updated(room);
        return room;
    }

    /** A notice's id: derived from its event's hash under a domain of its own, so no message id can be made equal. */
    static MessageId noticeId(RoomEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(NOTICE_ID_DOMAIN);
            return MessageId.fromBytes(Arrays.copyOf(digest.digest(event.hash()), 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Our event goes 1:1 to every member before and after it: a member it removes learns it so. Nobody else gets
     * it, not even a member who left before. A member it adds comes with where we know it to be reached.
     */
    private void sendEvent(RoomEvent event, RoomState before, RoomState after) {
        Map<PeerId, ContactCard> recipients = new HashMap<>();
        before.members().forEach((peer, member) -> recipients.put(peer, member.card()));
        after.members().forEach((peer, member) -> recipients.put(peer, member.card()));
        recipients.remove(me.peerId());
        RoomUpdate.Builder update = RoomUpdate.newBuilder().setEvent(ByteString.copyFrom(event.encode()));
        if (event.change() instanceof RoomChange.Add add) {
            hint(add.member().peerId()).ifPresent(update::addHints);
        }
        outgoing.queueToEach(List.copyOf(recipients.values()), EnvelopeKind.ROOM_EVENT, update.build().toByteArray());
    }

    /** Our key for the room as it is now: the current one if we may still write under it, else a new one. */
    private SenderKey currentKey(RoomState state) {
        Optional<SenderKey> current = keys.current(state.roomId());
        if (current.isPresent() && state.writeProblem(me.peerId(), current.get().epoch()).isEmpty()) {
            return current.get();
        }
        return rotateKey(state);
    }

    /**
     * Makes our key at the log's epoch, unless we made one there already, and sends it 1:1 to every other member.
     * Call with the room's lock held.
     */
    private SenderKey rotateKey(RoomState state) {
        Optional<SenderKey> current = keys.current(state.roomId());
        if (current.isPresent() && current.get().epoch() >= state.epoch()) {
            return current.get();
        }
        SenderKey key = keys.rotate(state.roomId(), state.epoch());
        List<PeerId> recipients = state.members().keySet().stream().filter(peer -> !peer.equals(me.peerId())).toList();
        keys.handOut(state.roomId(), key.epoch(), recipients);
        outgoing.queueToEach(recipients.stream().map(peer -> state.members().get(peer).card()).toList(),
                EnvelopeKind.SENDER_KEY, key.encode());
        return key;
    }

    private Optional<EngineEvent> invited(PeerId from, RoomInvite invite) throws InvalidRoomEventException {
        Optional<Known> inviter = contacts.get(from).filter(known -> known.state() == ContactState.ACCEPTED);
        if (inviter.isEmpty()) {
            log.info("dropped an invitation from {}, who is not an accepted contact", from);
            return Optional.empty();
        }
        List<RoomEvent> events = new ArrayList<>();
        for (ByteString event : invite.getEventsList()) {
            events.add(RoomEvent.decode(event.toByteArray()));
        }
        RoomLog roomLog = RoomLog.of(events);
        RoomState state = roomLog.state();
        if (!state.isMember(me.peerId()) || !state.isMember(from)) {
            log.info("dropped an invitation from {} into room {}, of which we or they are not a member", from,
                    state.roomId());
            return Optional.empty();
        }
        learnHints(state, invite.getHintsList());
        Optional<Room> held = book.get(state.roomId());
        if (held.isPresent()) {
            Extension extension = offer(state.roomId(), roomLog.events(), from);
            if (held.get().status() != RoomStatus.LEFT || !extension.room().state().isMember(me.peerId())) {
                return Optional.empty();
            }
            Room again = book.locked(state.roomId(), () -> book.setStatus(state.roomId(), RoomStatus.INVITED));
            return Optional.of(new EngineEvent.RoomInvitation(info(again), from, inviter.get().name()));
        }
        Room room = book.add(roomLog, RoomStatus.INVITED, from);
        // The inviter's log is as fresh as when the invitation was sealed, which may be long ago: before our first
        // message we sync with the members we reach, as after any start.
        for (RoomEvent event : state.applied()) {
            notice(room.state(), event);
        }
        return Optional.of(new EngineEvent.RoomInvitation(info(room), from, inviter.get().name()));
    }

    /**
     * A peer said where it listens (identify): if it shares a room with us and is no contact (whose addresses the
     * contact book keeps), we remember that in place of what we held, to dial it after a restart.
     */
    void identified(PeerId peer, List<Multiaddr> listening) {
        boolean fellow = book.all().stream().anyMatch(room -> room.state().isMember(peer));
        if (!closed && fellow && contacts.get(peer).isEmpty() && !listening.isEmpty()) {
            remember(peer, listening, true);
        }
    }

    private void remember(PeerId member, List<Multiaddr> addresses, boolean itsOwnWord) {
        try {
            store.rooms().rememberMemberAddresses(member.toBase58(), addresses.stream().map(Multiaddr::toString)
                    .toList(), Instant.now(), itsOwnWord);
        } catch (StoreException e) {
            log.info("could not keep where room member {} is: {}", member, e.getMessage());
        }
    }

    private Optional<List<Multiaddr>> addresses(PeerId member) {
        List<Multiaddr> known = new ArrayList<>();
        for (String address : store.rooms().memberAddresses(member.toBase58())) {
            try {
                known.add(Multiaddr.parse(address));
            } catch (IllegalArgumentException e) {
                log.debug("a stored address of {} does not parse: {}", member, e.getMessage());
            }
        }
        return known.isEmpty() ? Optional.empty() : Optional.of(known);
    }

    /**
     * The addresses an invitation gives for members: hints, only for the room's members, tried and kept until the
     * member says where it is.
     */
    private void learnHints(RoomState state, List<MemberAddresses> hints) {
        for (MemberAddresses hint : hints.stream().limit(RoomState.MAX_MEMBERS).toList()) {
            try {
                PeerId member = PeerId.fromBytes(hint.getMember().toByteArray());
                if (member.equals(me.peerId()) || !state.isMember(member)) {
                    continue;
                }
                List<Multiaddr> addresses = new ArrayList<>();
                for (ByteString address : hint.getAddressesList().stream().limit(MAX_HINT_ADDRESSES).toList()) {
                    addresses.add(Multiaddr.fromBytes(address.toByteArray()));
                }
                node.host().addressBook().keep(member, KEPT_AS_MEMBER);
                node.host().addressBook().add(member, addresses);
                if (contacts.get(member).isEmpty()) {
                    remember(member, addresses, false);
                }
            } catch (IllegalArgumentException e) {
                log.debug("an invitation's address hint does not parse: {}", e.getMessage());
            }
        }
    }

    // ---- notices, names, info ----

    private void notice(RoomState state, RoomEvent event) {
        notice(state, event, state);
    }

    /**
     * Stores the notice of a membership event, as every member does alike: its id comes from the event's hash and
     * its time from the event, so it has the same place in every member's conversation.
     */
    private void notice(RoomState after, RoomEvent event, RoomState before) {
        String author = nameOf(after, before, event.author());
        String text = switch (event.change()) {
            case RoomChange.Create create -> author + " created the room " + create.name();
            case RoomChange.Add add -> author + " added " + nameOf(after, before, add.member().peerId());
            case RoomChange.Remove remove -> author + " removed " + nameOf(after, before, remove.member());
            case RoomChange.Leave leave -> author + " left";
            case RoomChange.Rename rename -> author + " renamed the room to " + rename.name();
            case RoomChange.Promote promote -> author + " made " + nameOf(after, before, promote.member()) + " an admin";
        };
        boolean ours = event.author().equals(me.peerId());
        StoredMessage notice = new StoredMessage(noticeId(event).toString(),
                ConversationId.of(after.roomId()).toString(), event.author().toBase58(), event.hlc(),
                Instant.ofEpochMilli(HybridClock.millis(event.hlc())), Instant.now(),
                ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.NOTICE, text, MessageState.READ);
        if (store.messages().insert(notice) == InsertOutcome.INSERTED) {
            events.publish(new EngineEvent.RoomMessageReceived(roomMessage(after, notice)));
        }
    }

    private RoomMessage roomMessage(RoomState state, StoredMessage message) {
        PeerId sender = PeerId.parse(message.sender());
        return new RoomMessage(state.roomId(), MessageId.parse(message.id()), sender, nameOf(state, state, sender),
                message.direction() == Direction.OUTGOING, message.kind() == MessageKind.NOTICE, message.body(),
                message.hlc(), message.sentAt());
    }

    private String nameOf(RoomState state, PeerId peer) {
        return nameOf(state, state, peer);
    }

    /** A member's name: ours for ourselves, the contact book's for a contact, else the member's card's. */
    private String nameOf(RoomState after, RoomState before, PeerId peer) {
        if (peer.equals(me.peerId())) {
            return card.get().displayName();
        }
        Optional<Known> contact = contacts.get(peer);
        if (contact.isPresent()) {
            return contact.get().name();
        }
        return after.member(peer).or(() -> before.member(peer)).map(member -> member.card().displayName())
                .or(() -> after.departure(peer).map(departure -> departure.member().card().displayName()))
                .orElse(peer.toString());
    }

    private RoomInfo info(Room room) {
        RoomState state = room.state();
        List<RoomInfo.Member> members = state.members().entrySet().stream()
                .map(entry -> new RoomInfo.Member(entry.getKey(), nameOf(state, entry.getKey()),
                        state.isAdmin(entry.getKey()),
                        entry.getKey().equals(me.peerId()) || node.host().connection(entry.getKey()).isPresent()))
                .sorted(Comparator.comparing(RoomInfo.Member::name, String.CASE_INSENSITIVE_ORDER))
                .toList();
        return new RoomInfo(room.id(), state.name(), room.status(), members, state.epoch());
    }

    private RoomInfo updated(Room room) {
        RoomInfo info = info(room);
        events.publish(new EngineEvent.RoomUpdated(info));
        return info;
    }

    // ---- helpers ----

    private Room require(RoomId id) throws EngineException {
        return book.get(id).orElseThrow(() -> new EngineException("there is no room " + id + " here"));
    }

    private Optional<Room> roomOf(ByteString id) {
        try {
            return book.get(RoomId.fromBytes(id.toByteArray()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void checkName(String name) throws EngineException {
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new EngineException("that room name cannot be used: "
                    + problem.get().replace("display name", "room name"));
        }
    }

    private boolean sharesRoom(PeerId peer) {
        return book.withStatus(RoomStatus.JOINED).stream().anyMatch(room -> room.state().isMember(peer));
    }

    private long highestHeld(RoomId id, PeerId sender) {
        return highest.computeIfAbsent(id, room -> new ConcurrentHashMap<>())
                .computeIfAbsent(sender, peer -> store.roomEnvelopes().highest(id.toString(), peer.toBase58()));
    }

    /** Our next envelope number in the room; call with the room's lock held. */
    private long nextSequence(RoomId id, PeerId sender) {
        long next = highestHeld(id, sender) + 1;
        highest.get(id).put(sender, next);
        return next;
    }

    private void reachInBackground(PeerId peer) {
        if (node.host().connection(peer).isPresent()) {
            sync.syncWith(peer);
            return;
        }
        Thread.ofVirtual().name("room-reach " + peer).start(() -> {
            try {
                node.connect(peer);
            } catch (IOException e) {
                log.debug("room member {} is not reachable now: {}", peer, e.getMessage());
                logFetches.unreachable(peer);
            }
        });
    }

    private void antiEntropy() {
        while (!closed) {
            try {
                Thread.sleep(ANTI_ENTROPY_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            node.host().connections().stream().map(connection -> connection.remotePeer()).distinct()
                    .filter(this::sharesRoom).forEach(sync::syncWith);
        }
    }
}
