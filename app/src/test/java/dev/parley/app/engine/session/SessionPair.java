package dev.parley.app.engine.session;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.SessionHandshakeException;
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two peers' {@link Sessions}, each on a real store of its own, with the network in the test's hands: every envelope
 * either side hands over is recorded ({@link Side#sent}) and arrives only when the test delivers it, as often as it
 * likes, in any order, or never. What the engine's inbox does with an envelope is done here the same way: a signed
 * handshake goes to {@link Sessions#handshake}, a session envelope is opened, its plaintext kept and the envelope
 * acknowledged once its effects are durable; one that does not open is left unacknowledged and renewal asked for.
 */
final class SessionPair implements AutoCloseable {
    /** An envelope one side handed to its link. */
    record Wire(Side from, Side to, MessageId id, EnvelopeKind kind, byte[] envelope) {
    }

    /** One peer: its identity, store, sessions, what it sent and what it took in. */
    final class Side implements AutoCloseable {
        final String name;
        final Identity identity;
        final ContactCard card;
        final Path folder;
        Path file;
        SqliteStore store;
        Sessions sessions;
        final List<Wire> sent = new CopyOnWriteArrayList<>();
        /** Message id → how many times a message opened fresh here, and what it said. */
        final Map<MessageId, Integer> freshCounts = new ConcurrentHashMap<>();
        final Map<MessageId, String> texts = new ConcurrentHashMap<>();
        final List<PeerId> renewedNotices = new CopyOnWriteArrayList<>();
        Side other;

        Side(String name, Path folder, boolean sessionsOn) {
            this.name = name;
            this.identity = Identity.generate();
            this.card = ContactCard.create(identity, name, Instant.now(), sessionsOn
                    ? WITH_SESSIONS : java.util.Set.of());
            this.folder = folder;
            this.file = folder.resolve(name + ".db");
            open();
        }

        /** Opens the store and a fresh {@link Sessions} on it: also what a restart does. */
        void open() {
            store = SqliteStore.open(file);
            sessions = new Sessions(identity, true, store, clock::incrementAndGet, wall,
                    (peer, id, kind, envelope) -> sent.add(new Wire(this, other, id, kind, envelope)),
                    renewedNotices::add);
        }

        /** Closes the store and opens it again with new sessions: what a restart keeps is what the store kept. */
        void restart() {
            store.close();
            open();
        }

        /** The same identity on a new machine: a store of its own, empty (what `parley restore` gives). */
        void restoreOnNewMachine() {
            store.close();
            file = folder.resolve(name + "-restored.db");
            open();
        }

        PeerId peerId() {
            return identity.peerId();
        }

        /** Sends a text to the other side: sealed or waiting, in the outbox, handed over if sealed. */
        MessageId send(String text) {
            MessageId id = MessageId.timeOrdered(wall.millis());
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            Optional<byte[]> envelope = sessions.sealAndQueue(other.card, id, clock.incrementAndGet(),
                    EnvelopeKind.TEXT, payload, (sealed, recipe) -> store.outbox().addAsync(id.toString(),
                            other.peerId().toBase58(), sealed, recipe, wall.instant())).join();
            envelope.ifPresent(sealed -> sent.add(new Wire(this, other, id, EnvelopeKind.TEXT, sealed)));
            return id;
        }

        /** Everything this side handed its link since the last call, in order: the test delivers it, or not. */
        List<Wire> drain() {
            List<Wire> wires = new ArrayList<>(sent);
            sent.clear();
            return wires;
        }

        /** What this side's link would write on a new stream: every sealed outbox entry to the other, in order. */
        List<Wire> unacknowledged() {
            // Entries queued a moment ago are read once the writes submitted before this one have committed.
            store.sessions().flushAsync().join();
            List<Wire> wires = new ArrayList<>();
            for (OutboxEntry entry : store.outbox().pending(other.peerId().toBase58(), 1_000)) {
                EnvelopeKind kind = kindOf(entry.envelope());
                wires.add(new Wire(this, other, MessageId.parse(entry.messageId()), kind, entry.envelope()));
            }
            return wires;
        }

        int outboxSize() {
            store.sessions().flushAsync().join();
            return store.outbox().count(other.peerId().toBase58());
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** What a card lists when its owner seals under sessions. */
    static final java.util.Set<ContactCard.Feature> WITH_SESSIONS = java.util.EnumSet.of(
            ContactCard.Feature.FORWARD_SECRET_SESSIONS, ContactCard.Feature.CHAINED_SENDER_KEYS);

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L << 16);
    /** Both sides' wall clock: the test moves it on (past a renewal's interval, say). */
    final SettableWall wall = new SettableWall();
    final Side alice;
    final Side bob;
    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();

    SessionPair(Path folder) {
        alice = new Side("Alice", folder, true);
        bob = new Side("Bob", folder, true);
        alice.other = bob;
        bob.other = alice;
    }

    /**
     * Delivers one envelope as the receiver's inbox would take it; returns whether it was acknowledged (then the
     * sender's outbox forgets it).
     */
    boolean deliver(Wire wire) throws EnvelopeException, SessionHandshakeException {
        Side to = wire.to();
        Side from = wire.from();
        EnvelopeHeader header = Envelope.decode(wire.envelope()).header();
        boolean acked;
        if (header.sealing() == EnvelopeHeader.Sealing.SIGNED) {
            Opened opened = sealer.openDirect(to.identity, wire.envelope(), id -> true);
            switch (header.kind()) {
                case SESSION_INIT, SESSION_ACCEPT, SESSION_RENEW -> to.sessions.handshake(opened, from.card).join();
                default -> took(to, opened);
            }
            acked = true;
        } else {
            acked = switch (to.sessions.open(wire.envelope(), header)) {
                case Sessions.Duplicate duplicate -> true;
                case Sessions.Stale stale -> notOpened(to, from, stale.id());
                case Sessions.Unreadable unreadable -> notOpened(to, from, unreadable.id());
                case Sessions.Fresh fresh -> {
                    took(to, fresh.opened());
                    // Like the inbox: the effects are a store write; the session moves once it is queued.
                    CompletableFuture<?> effects = to.store.sessions().flushAsync();
                    to.sessions.opened(fresh, effects);
                    effects.join();
                    yield true;
                }
            };
        }
        if (acked) {
            from.store.outbox().acknowledgeAsync(wire.id().toString(), to.peerId().toBase58(), wall.instant()).join();
        }
        return acked;
    }

    /**
     * Like the inbox: a session envelope that opens under no session held is a copy if its text is stored
     * (acknowledged), else left unacknowledged while a new session is asked for (paced).
     */
    private static boolean notOpened(Side to, Side from, MessageId id) {
        if (to.texts.containsKey(id)) {
            return true;
        }
        if (to.sessions.wouldRequestRenewal(from.peerId())) {
            to.sessions.requestRenewal(from.card, id);
        }
        return false;
    }

    private static void took(Side to, Opened opened) {
        if (opened.header().kind() == EnvelopeKind.TEXT) {
            to.freshCounts.merge(opened.header().messageId(), 1, Integer::sum);
            to.texts.put(opened.header().messageId(), new String(opened.plaintext(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Delivers everything either side has not had acknowledged, as new streams would, round after round, until both
     * outboxes are empty or {@code rounds} rounds have passed.
     */
    void settle(int rounds) throws Exception {
        for (int round = 0; round < rounds && (alice.outboxSize() > 0 || bob.outboxSize() > 0); round++) {
            List<Wire> wires = new ArrayList<>(alice.unacknowledged());
            wires.addAll(bob.unacknowledged());
            for (Wire wire : wires) {
                deliver(wire);
            }
        }
    }

    /**
     * Alice and Bob hold one session, both able to seal, each has opened the other's message, and nothing is in
     * flight.
     */
    void converse() throws Exception {
        alice.send("hello");
        settle(5);
        bob.send("hi");
        settle(5);
        alice.drain();
        bob.drain();
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
    }

    static EnvelopeKind kindOf(byte[] envelope) {
        try {
            return Envelope.decode(envelope).header().kind();
        } catch (EnvelopeException e) {
            throw new AssertionError("the outbox holds an envelope that does not decode", e);
        }
    }

    /** A wall clock that starts at the machine's time and moves only when told to. */
    static final class SettableWall implements InstantSource {
        private volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }
    }
}
