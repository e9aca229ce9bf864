package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The rooms as the engine runs them (app/README.md, "Rooms"): builds their parts and wires them, starts and stops
 * them, and takes what the engine hands them (new connections, what peers say of their addresses, room envelopes
 * that arrive 1:1). What the user does with rooms is {@link #rooms()}.
 *
 * <p>The parts, one job each: {@link Rooms} (the user's commands) and {@link RoomPosts} (our messages);
 * {@link RoomIntake} (membership events and invitations that arrive) and {@link RoomInbox} (room envelopes and
 * sender keys that arrive); {@link RoomMembership} (what follows from the log's events, under the room's lock:
 * notices, our events sent out, key rotation); {@link RoomNotices}; {@link RoomSyncParty} (what
 * {@code /parley/sync/1.0.0} carries, which {@link RoomSync} moves); {@link RoomReach} (where members are, dialling
 * them); {@link RoomAntiEntropy} (the periodic sync); over {@link RoomBook}, {@link RoomKeys} and the store.
 */
public final class RoomService implements AutoCloseable {
    private final EngineThreads threads;
    private final RoomBook book;
    private final RoomSync sync;
    private final RoomReach reach;
    private final RoomIntake intake;
    private final RoomSyncParty party;
    private final RoomAntiEntropy antiEntropy;
    private final Rooms rooms;
    private final RoomPosts posts;
    private final RoomInbox inbox;

    /** Loads the rooms from the store; nothing goes out before {@link #start}. */
    public RoomService(RoomSetup setup) {
        threads = setup.threads();
        Identity me = setup.identity();
        TinkEnvelopeSealer sealer = setup.sealer();
        book = RoomBook.load(setup.store(), setup.time());
        RoomKeys keys = RoomKeys.load(setup.store(), me.peerId(), setup.time(), setup.card(), setup.contacts());
        RoomLogFetches logFetches = new RoomLogFetches();
        SenderNumbers numbers = new SenderNumbers(setup.store(), book);
        sync = new RoomSync(setup.node(), threads, setup.time(), setup.mailboxes());
        RoomViews views = new RoomViews(me.peerId(), setup.card(), setup.contacts(), setup.node(), setup.events());
        RoomNotices notices = new RoomNotices(me.peerId(), setup.store(), views, setup.time());
        reach = new RoomReach(me.peerId(), setup.listenAddresses(), setup.store(), setup.node(), setup.contacts(),
                book, sync, logFetches, threads, setup.time());
        RoomMembership membership = new RoomMembership(me, book, keys, numbers, notices, views, reach,
                setup.outbox(), setup.clock());
        DeletionStandIn standIns = new DeletionStandIn(sealer, setup.store(), keys);
        inbox = new RoomInbox(me, sealer, setup.store(), book, keys, numbers, views, sync, setup.clock(),
                setup.time(), standIns);
        intake = new RoomIntake(me.peerId(), sealer, book, setup.contacts(), membership, notices, views, reach, inbox,
                sync);
        RoomDeliveries deliveries = new RoomDeliveries(me.peerId(), setup.store(), setup.events());
        party = new RoomSyncParty(me, sealer, threads.crypto(), setup.store(), book, keys, numbers, logFetches, inbox, intake, sync, setup.outbox(),
                setup.time(), new SyncPacer(setup.syncPace(), setup.elapsed()), setup.inboundPace(), deliveries);
        posts = new RoomPosts(me, sealer, setup.store(), book, membership, numbers, logFetches, reach, sync,
                setup.clock(), setup.time(), deliveries, standIns);
        antiEntropy = new RoomAntiEntropy(setup.node(), book, sync);
        rooms = new Rooms(me, setup.card(), setup.store(), book, setup.contacts(), setup.outbox(), membership, posts,
                views, deliveries, reach, setup.clock(), threads);
    }

    /** What the user does with rooms. */
    public Rooms rooms() {
        return rooms;
    }

    /** Where room envelopes of message actions go as they are opened: {@code engine.actions()}. */
    public void takeActionsWith(MessageActions actions) {
        inbox.takeActionsWith(actions);
    }

    /** Keeps the files room messages offer, and fetches them, with {@code files}; set once, before start. */
    public void takeFilesWith(FileTransfers files) {
        inbox.takeFilesWith(files);
    }

    /** The store's id of a room's conversation. */
    public String conversationId(RoomId id) throws EngineException {
        return book.require(id).conversationId();
    }

    /**
     * Posts a room envelope of ours (a message with its payload, or a message action) and returns its id; see
     * {@code RoomPosts.post}.
     */
    public MessageId post(RoomId id, EnvelopeKind kind, byte[] payload, String text) throws EngineException {
        return post(id, kind, payload, text, messageId -> { });
    }

    /** Like {@link #post(RoomId, EnvelopeKind, byte[], String)}, with {@code beforeStoring} run with the id first. */
    public MessageId post(RoomId id, EnvelopeKind kind, byte[] payload, String text,
                          Consumer<MessageId> beforeStoring) throws EngineException {
        threads.checkOpen();
        try {
            return posts.post(id, kind, payload, text, beforeStoring);
        } catch (StoreException e) {
            throw new EngineException("could not write in the room: " + e.getMessage(), e);
        }
    }

    /**
     * Serves {@code /parley/sync/1.0.0}, dials the members of every room joined so that whoever is online catches
     * up (a sync starts on each new connection), and syncs with connected members every
     * {@link RoomAntiEntropy#PERIOD} on the engine's scheduler.
     */
    public void start() {
        inbox.resumeWaiting();
        sync.start(party);
        reach.reachMembers();
        antiEntropy.start(threads.scheduler());
    }

    /** A peer connected: if it shares a room with us, each tells the other what it lacks. */
    public void connected(PeerId peer) {
        if (!threads.isClosing() && book.sharesJoinedRoom(peer)) {
            sync.syncWith(peer);
        }
    }

    /** A peer said where it listens (identify): a fellow member who is no contact is dialled there next time. */
    public void identified(PeerId peer, List<Multiaddr> listening) {
        if (!threads.isClosing()) {
            reach.identified(peer, listening);
        }
    }

    /**
     * A room envelope that reached us through our mailbox, sealed by {@code sender}: taken as a push from it would be
     * (checked, numbered, stored, opened when its key is here); returns once it is durable, or was dropped: true if it
     * showed we are behind (a gap before it, or an epoch the room here has not reached, when it is not kept).
     */
    public boolean fromMailbox(PeerId sender, byte[] envelope) {
        return party.takeEnvelopes(sender, List.of(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(envelope))
                .build())).stream().map(CompletableFuture::join).reduce(false, Boolean::logicalOr);
    }

    /** The room whose conversation has this store id, if we hold it. */
    public Optional<RoomId> roomOf(String conversationId) {
        return book.all().stream().filter(room -> room.conversationId().equals(conversationId))
                .map(RoomBook.Room::id).findFirst();
    }

    /** The members of room {@code id} as it stands here; none for a room we do not hold. */
    public List<PeerId> members(RoomId id) {
        return book.get(id).map(room -> List.copyOf(room.state().members().keySet())).orElse(List.of());
    }

    /** Whether {@code peer} is a member of room {@code id} as the room stands here (false for a room we do not hold). */
    public boolean isMember(RoomId id, PeerId peer) {
        return book.get(id).filter(room -> room.state().isMember(peer)).isPresent();
    }

    /** A SENDER_KEY, ROOM_EVENT or ROOM_INVITE envelope a peer sent us 1:1; returns the event to report, if any. */
    public Optional<EngineEvent> received(Opened opened) {
        return intake.received(opened);
    }

    /**
     * Stops the anti-entropy rounds. The engine has begun closing, which its rooms' commands refuse and its syncs and
     * pushes stop at; closing the engine's threads then ends every one the rooms started.
     */
    @Override
    public void close() {
        antiEntropy.stop();
    }
}
