package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.engine.api.EngineException;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A Parley user for UI tests: an engine on loopback with a profile in the test's folder, restartable. */
final class TestPeer implements AutoCloseable {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    final Path profile;
    final Identity identity;
    final String name;
    private Engine engine;

    private TestPeer(Path profile, Identity identity, String name) {
        this.profile = profile;
        this.identity = identity;
        this.name = name;
    }

    static TestPeer start(Path folder, String name) throws IOException {
        TestPeer peer = new TestPeer(folder.resolve(name), Identity.generate(), name);
        peer.startEngine();
        return peer;
    }

    /** {@code original}'s identity on a new profile at {@code profile}: the user restored on a new machine. */
    static TestPeer restoredAt(Path profile, TestPeer original) throws IOException {
        TestPeer peer = new TestPeer(profile, original.identity, original.name);
        peer.startEngine();
        return peer;
    }

    void startEngine() throws IOException {
        engine = Engine.start(EngineConfig.of(profile, identity, name, List.of(LOOPBACK)));
    }

    void stopEngine() {
        engine.close();
    }

    Engine engine() {
        return engine;
    }

    PeerId peerId() {
        return identity.peerId();
    }

    /** Each adds the other from its invite code. */
    static void befriend(TestPeer a, TestPeer b) throws EngineException {
        a.engine.contacts().add(b.engine.invite());
        b.engine.contacts().add(a.engine.invite());
    }

    /** Writes messages of the conversation with {@code other} straight into the store; the engine must be stopped. */
    void insertHistory(List<StoredMessage> messages) {
        try (SqliteStore store = SqliteStore.open(profile.resolve(EngineConfig.STORE_FILE))) {
            for (int from = 0; from < messages.size(); from += 10_000) {
                store.messages().insertAll(messages.subList(from, Math.min(messages.size(), from + 10_000)));
            }
        }
    }

    /**
     * A message of the conversation with {@code other} at {@code at}: {@code counter} orders messages of one
     * millisecond. Ours are READ, theirs {@code theirState}.
     */
    StoredMessage message(TestPeer other, boolean ours, String text, Instant at, int counter, MessageState state) {
        long millis = at.toEpochMilli();
        return new StoredMessage(MessageId.timeOrdered(millis).toString(),
                ConversationId.direct(peerId(), other.peerId()).toString(),
                (ours ? peerId() : other.peerId()).toBase58(), millis << 16 | counter, at, at,
                ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, text, state);
    }

    @Override
    public void close() {
        engine.close();
    }
}
