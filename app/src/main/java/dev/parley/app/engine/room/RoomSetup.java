package dev.parley.app.engine.room;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.time.MonotonicClock;
import dev.parley.app.node.Node;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the rooms take from the engine that runs them ({@link RoomService}).
 *
 * @param identity        ours: signs membership events, seals and opens envelopes
 * @param card            our card as it is now: a room we create carries it, and our name on our own lines
 * @param listenAddresses where we listen now: hints an invitation gives for us
 * @param clock           the engine's hybrid logical clock, which orders every conversation
 * @param time            the wall clock: when something was stored or last seen
 * @param elapsed         the engine's elapsed time, which paces what we answer a member's syncs
 * @param syncPace        how fast we answer one member's syncs
 * @param inboundPace     how long to hold a peer's stream before storing the room envelope it sent: the engine's
 *                        limiter of the room envelopes one peer sends
 * @param threads         the engine's threads: syncs, pushes and dials run as its tasks, the anti-entropy rounds on
 *                        its scheduler; whether the engine is closing
 * @param contacts        the user's contact book
 * @param outbox          how 1:1 envelopes go out: the engine's outbox
 * @param mailboxes       where our room envelopes go for a member that cannot be reached to push them: its mailbox,
 *                        if it gave us a capability (the engine's courier)
 * @param events          publishes the rooms' events to the engine's subscribers
 */
public record RoomSetup(Identity identity, Supplier<ContactCard> card, Supplier<List<Multiaddr>> listenAddresses,
                        TinkEnvelopeSealer sealer, SqliteStore store, Node node, HybridClock clock, InstantSource time,
                        MonotonicClock elapsed, SyncPace syncPace, InboundPace inboundPace,
                        EngineThreads threads, RoomContacts contacts, RoomOutbox outbox, Mailboxes mailboxes,
                        Consumer<EngineEvent> events) {
    /** Leaves room envelopes for a member in its mailbox; best effort: sync brings the member what does not go. */
    @FunctionalInterface
    public interface Mailboxes {
        void leaveFor(PeerId member, List<byte[]> envelopes);
    }

    /** Charges a peer for what it sent; answers how long its stream waits before that is taken. */
    @FunctionalInterface
    public interface InboundPace {
        Duration charge(PeerId peer, long bytes);
    }
}
