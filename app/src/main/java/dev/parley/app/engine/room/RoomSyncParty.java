package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.VerifiedEnvelope;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreLimits;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' side of {@code /parley/sync/1.0.0} ({@link RoomSync.Party}): where we stand in the rooms we share with
 * a peer, what a peer lacks by its digest (events, envelopes, our keys, each only to whom they may go), and the
 * frames a peer sends, handed to the {@link RoomInbox} and the {@link RoomIntake}.
 */
final class RoomSyncParty implements RoomSync.Party {
    /** Room envelopes in one sync answer at most; a member that lacks more asks again. */
    static final int MAX_ANSWER_ENVELOPES = 20_000;
    /**
     * Bytes of envelopes an answer reads from the store at a time, and holds in the stream's memory budget until
     * they are written: many syncs at once, whose answers wait for window, hold no more than the peer's budget.
     */
    static final long PAGE_BYTES = 1024 * 1024;
    /** Membership events per frame: at most 64 KiB each, so frames stay inside the frame limit. */
    static final int EVENTS_PER_FRAME = 3;
    /** Heads a digest names at most: as many as an event names parents. */
    static final int MAX_DIGEST_HEADS = RoomEvent.MAX_PARENTS;
    /**
     * Envelopes one task verifies when a batch is spread over the crypto pool: a signature check is some 70 µs, so
     * handing over a task costs next to nothing beside 16 of them, and a batch of 64 keeps every core busy.
     */
    static final int VERIFIED_PER_TASK = 16;
    private static final Logger log = LoggerFactory.getLogger(RoomSyncParty.class);

    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final Executor crypto;
    private final SqliteStore store;
    private final RoomBook book;
    private final RoomKeys keys;
    private final SenderNumbers numbers;
    private final RoomLogFetches logFetches;
    private final RoomInbox inbox;
    private final RoomIntake intake;
    private final RoomSync sync;
    private final RoomOutbox outbox;
    private final KeysHandedAgain handedAgain;
    private final SyncPacer pacer;
    private final RoomSetup.InboundPace inboundPace;
    private final RoomDeliveries deliveries;

    /** @param crypto where the signatures of a batch of envelopes are checked side by side */
    RoomSyncParty(Identity me, TinkEnvelopeSealer sealer, Executor crypto, SqliteStore store, RoomBook book,
                  RoomKeys keys, SenderNumbers numbers, RoomLogFetches logFetches, RoomInbox inbox, RoomIntake intake,
                  RoomSync sync, RoomOutbox outbox, InstantSource time, SyncPacer pacer,
                  RoomSetup.InboundPace inboundPace, RoomDeliveries deliveries) {
        this.me = me;
        this.sealer = sealer;
        this.crypto = crypto;
        this.store = store;
        this.book = book;
        this.keys = keys;
        this.numbers = numbers;
        this.logFetches = logFetches;
        this.inbox = inbox;
        this.intake = intake;
        this.sync = sync;
        this.outbox = outbox;
        this.handedAgain = new KeysHandedAgain(time);
        this.pacer = pacer;
        this.inboundPace = inboundPace;
        this.deliveries = deliveries;
    }

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
            // A key we hold is not asked for: what waits under it is too far ahead of a chained key to open yet.
            store.roomEnvelopes().awaitedKeys(room.id().toString()).stream()
                    .filter(awaited -> awaited.getKey().equals(owner)).map(Map.Entry::getValue).distinct()
                    .filter(epoch -> !keys.has(room.id(), peer, epoch))
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
    public void pushed(PeerId member, List<RoomSync.Push> stored) {
        Map<RoomId, List<Long>> byRoom = new HashMap<>();
        stored.forEach(push -> byRoom.computeIfAbsent(push.room(), room -> new ArrayList<>()).add(push.senderSeq()));
        byRoom.forEach((room, seqs) -> deliveries.pushed(member, room, seqs));
    }

    @Override
    public boolean stillMember(RoomId room, PeerId member) {
        return book.get(room).map(held -> held.state().isMember(member)).orElse(false);
    }

    /**
     * Writes what {@code asker} lacks according to its digest; returns whether the answer was cut short. A room the
     * digest names again, or a key it asks for again, is answered once, at its first mention: one digest frame
     * could otherwise name a room thousands of times and have the whole log sent, and a key sealed, for each.
     * Events, envelopes and keys go at the asker's {@link SyncPace}: beyond it the answer is cut short, and the asker
     * asks again.
     */
    @Override
    public boolean answer(PeerId asker, Digest digest, MemoryScope memory, RoomSync.FrameSink out)
            throws IOException {
        Answer answer = new Answer();
        boolean behind = false;
        Set<ByteString> answered = new HashSet<>();
        for (RoomDigest asked : digest.getRoomsList()) {
            Optional<Room> held = book.get(asked.getRoomId());
            if (held.isEmpty() || asked.getHeadsCount() > MAX_DIGEST_HEADS || !answered.add(asked.getRoomId())) {
                continue;
            }
            Room room = held.get();
            if (room.state().isMember(asker)) {
                deliveries.reported(asker, room.id(), asked.getSendersList());
            }
            behind |= answerEvents(asker, asked, room, out, answer);
            if (room.status() == RoomStatus.JOINED && room.state().isMember(asker)
                    && room.state().isMember(me.peerId())) {
                answerEnvelopes(asker, asked, room, memory, out, answer);
                answerKeys(asker, asked, room, answer);
            }
        }
        if (behind) {
            sync.syncWith(asker);
        }
        return answer.cut || answer.envelopesLeft == 0;
    }

    /** One answer under way: the envelopes it may still send, and whether the pace or the budget cut it short. */
    private static final class Answer {
        int envelopesLeft = MAX_ANSWER_ENVELOPES;
        boolean cut;
    }

    /**
     * The events the asker lacks: all of them for a member, and for a member who left or was removed only those up
     * to its departure, which it needs to learn of it; nothing for anyone else. Returns whether the asker holds
     * events we lack.
     */
    private boolean answerEvents(PeerId asker, RoomDigest asked, Room room, RoomSync.FrameSink out, Answer answer)
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
            if (!pacer.mayAnswer(asker)) {
                answer.cut = true;
                break;
            }
            RoomEvents.Builder events = RoomEvents.newBuilder().setRoomId(asked.getRoomId());
            missing.subList(from, Math.min(missing.size(), from + EVENTS_PER_FRAME))
                    .forEach(event -> events.addEvents(ByteString.copyFrom(event.encode())));
            SyncFrame frame = SyncFrame.newBuilder().setEvents(events).build();
            out.write(frame);
            pacer.charge(asker, frame.getSerializedSize());
        }
        return behind && room.state().isMember(asker);
    }

    /**
     * Every member's envelopes the asker lacks, from the epoch it joined in, as far as the answer's envelopes, the
     * pace and the stream's memory budget allow.
     */
    private void answerEnvelopes(PeerId asker, RoomDigest asked, Room room, MemoryScope memory,
                                 RoomSync.FrameSink out, Answer answer) throws IOException {
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
            if (after >= numbers.highestHeld(room.id(), sender)) {
                // It holds all we hold of this sender: no page to read. In a room of 50, the periodic syncs of every
                // member with every other one read 50 empty pages an answer otherwise.
                continue;
            }
            while (answer.envelopesLeft > 0 && !answer.cut) {
                if (!pacer.mayAnswer(asker) || !memory.reserve(PAGE_BYTES, MemoryScope.Priority.BULK)) {
                    answer.cut = true;
                    return;
                }
                List<RoomEnvelope> page;
                try {
                    page = store.roomEnvelopes().after(room.id().toString(), sender.toBase58(), after, joined,
                            Math.min(answer.envelopesLeft, StoreLimits.MAX_PAGE_SIZE), PAGE_BYTES);
                    for (RoomEnvelope envelope : page) {
                        if (!pacer.mayAnswer(asker)) {
                            answer.cut = true;
                            return;
                        }
                        out.write(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(envelope.envelope()))
                                .build());
                        pacer.charge(asker, envelope.envelope().length);
                        answer.envelopesLeft--;
                    }
                } finally {
                    memory.release(PAGE_BYTES);
                }
                if (page.isEmpty()) {
                    break;
                }
                after = page.getLast().senderSeq();
            }
        }
    }

    /**
     * Our keys {@code asker} asks for, each at most once a digest: only a key's owner can hand it out, and only to whom
     * it handed it when it made it. A member who was out then (removed, or not yet added) gets none of it, even if the
     * log later counts it a member of that epoch. The key goes 1:1 through the outbox, sealed as its first hand-out was (under the session
     * with the asker, where it has one), never in the answer: a sync answer is sealed to the asker's long-term key, so
     * whoever recorded it and stole that key later would read every message of the epoch. A key handed out again goes
     * at most once every {@link #HAND_OUT_AGAIN_AFTER} to one member: asking every round while the hand-out is on its
     * way costs nothing more.
     */
    private void answerKeys(PeerId asker, RoomDigest asked, Room room, Answer answer) {
        ContactCard askerCard = room.state().member(asker).orElseThrow().card();
        Set<Long> epochs = new HashSet<>();
        for (WantedKey wanted : asked.getWantedKeysList()) {
            if (!Arrays.equals(wanted.getOwner().toByteArray(), me.peerId().bytes())
                    || !epochs.add(wanted.getEpoch())
                    || room.state().writeProblem(asker, wanted.getEpoch()).isPresent()
                    || !keys.handedTo(room.id(), wanted.getEpoch(), asker)) {
                continue;
            }
            Optional<SenderKey> key = keys.ring().find(room.id(), me.peerId(), wanted.getEpoch());
            if (key.isEmpty()) {
                continue;
            }
            // The pace first: a key the pace keeps back is not counted as handed out, and goes at the next sync.
            if (!pacer.mayAnswer(asker)) {
                answer.cut = true;
                return;
            }
            if (!handedAgain.mayHandOut(room.id(), wanted.getEpoch(), asker)) {
                continue;
            }
            byte[] handOut = key.get().encodeForMembers();
            outbox.queueToEach(List.of(askerCard), EnvelopeKind.SENDER_KEY, handOut);
            pacer.charge(asker, handOut.length);
        }
    }

    @Override
    public CompletableFuture<Boolean> take(PeerId from, SyncFrame frame) {
        try {
            return switch (frame.getFrameCase()) {
                case ENVELOPE -> {
                    if (!waitedForPace(from, frame.getEnvelope().size())) {
                        yield CompletableFuture.completedFuture(false);
                    }
                    yield inbox.takeEnvelope(from, frame.getEnvelope().toByteArray());
                }
                case EVENTS -> CompletableFuture.completedFuture(takeEvents(from, List.of(frame.getEvents())));
                case SENDER_KEY -> {
                    inbox.takeSealedKey(from, frame.getSenderKey().toByteArray());
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

    /**
     * Takes room envelope frames in the order they came, as {@link #take} takes each, but their signatures (most of
     * the CPU a member's catch-up costs) are checked side by side on the crypto pool first; the rest (opening under
     * the sender's chained key, numbering, storing) stays in order on this thread.
     */
    @Override
    public List<CompletableFuture<Boolean>> takeEnvelopes(PeerId from, List<SyncFrame> frames) {
        List<byte[]> paced = new ArrayList<>(frames.size());
        for (SyncFrame frame : frames) {
            if (!waitedForPace(from, frame.getEnvelope().size())) {
                break;
            }
            paced.add(frame.getEnvelope().toByteArray());
        }
        List<CompletableFuture<List<Checked>>> checking = new ArrayList<>();
        for (int start = VERIFIED_PER_TASK; start < paced.size(); start += VERIFIED_PER_TASK) {
            List<byte[]> part = paced.subList(start, Math.min(paced.size(), start + VERIFIED_PER_TASK));
            checking.add(checkAside(part));
        }
        List<Checked> checked = new ArrayList<>(check(paced.subList(0, Math.min(paced.size(), VERIFIED_PER_TASK))));
        checking.forEach(part -> checked.addAll(part.join()));
        List<CompletableFuture<Boolean>> taken = new ArrayList<>(checked.size());
        List<VerifiedEnvelope> verified = new ArrayList<>(checked.size());
        List<byte[]> encoded = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            if (checked.get(i).failure() == null) {
                verified.add(checked.get(i).envelope());
                encoded.add(paced.get(i));
            } else {
                log.info("dropped a {} frame from {}: {}", SyncFrame.FrameCase.ENVELOPE, from,
                        checked.get(i).failure().getMessage());
                taken.add(CompletableFuture.completedFuture(false));
            }
        }
        try {
            taken.addAll(inbox.takeVerified(from, verified, encoded));
        } catch (RuntimeException e) {
            log.warn("dropped {} {} frames from {}, which this node failed on", verified.size(),
                    SyncFrame.FrameCase.ENVELOPE, from, e);
        }
        return taken;
    }

    /** An envelope's signature checked: the envelope, or why it failed. */
    private record Checked(VerifiedEnvelope envelope, EnvelopeException failure) {
    }

    private CompletableFuture<List<Checked>> checkAside(List<byte[]> part) {
        try {
            return CompletableFuture.supplyAsync(() -> check(part), crypto);
        } catch (RejectedExecutionException e) {
            // The engine is closing: what is still read is checked here.
            return CompletableFuture.completedFuture(check(part));
        }
    }

    private List<Checked> check(List<byte[]> part) {
        List<Checked> checked = new ArrayList<>(part.size());
        for (byte[] encoded : part) {
            try {
                checked.add(new Checked(sealer.verify(encoded), null));
            } catch (EnvelopeException e) {
                checked.add(new Checked(null, e));
            }
        }
        return checked;
    }

    /**
     * Holds the stream {@code from} sends on while it sends room envelopes faster than its rate (pushed, or in an
     * answer to our sync: both are a peer's to send at will); false if interrupted meanwhile, the engine closing.
     */
    private boolean waitedForPace(PeerId from, int bytes) {
        Duration wait = inboundPace.charge(from, bytes);
        if (wait.isPositive()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean takeEvents(PeerId from, List<RoomEvents> frames) {
        return intake.takeEvents(from, frames);
    }
}
