package dev.parley.app.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.store.Attachment;
import dev.parley.store.MessageKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** An engine on loopback with a profile of its own in a test's temporary folder, and its recorded events. */
final class TestEngine implements AutoCloseable {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    final Path profile;
    final Identity identity;
    final String name;
    final Engine engine;
    final EventLog events = new EventLog();
    /** How this engine's configuration differs from the default; a restart keeps it. */
    private final UnaryOperator<EngineConfig> tuned;

    private TestEngine(Path profile, Identity identity, String name) throws IOException {
        this(profile, identity, name, UnaryOperator.identity());
    }

    private TestEngine(Path profile, Identity identity, String name, UnaryOperator<EngineConfig> tuned)
            throws IOException {
        this.profile = profile;
        this.identity = identity;
        this.name = name;
        this.tuned = tuned;
        this.engine = Engine.start(tuned.apply(EngineConfig.of(profile, identity, name, List.of(LOOPBACK))), events);
    }

    static TestEngine start(Path folder, String name) throws IOException {
        return new TestEngine(folder.resolve(name), Identity.generate(), name);
    }

    /** An engine that goes by {@code clocks}. */
    static TestEngine start(Path folder, String name, Clocks clocks) throws IOException {
        return new TestEngine(folder.resolve(name), Identity.generate(), name, config -> config.withClocks(clocks));
    }

    /** An engine whose configuration {@code tuned} changes, e.g. a pace a test can exhaust. */
    static TestEngine start(Path folder, String name, UnaryOperator<EngineConfig> tuned) throws IOException {
        return new TestEngine(folder.resolve(name), Identity.generate(), name, tuned);
    }

    /** An engine on {@code profile} with {@code identity}: a user restored on another machine. */
    static TestEngine at(Path profile, Identity identity, String name) throws IOException {
        return new TestEngine(profile, identity, name);
    }

    /** Like {@link #at(Path, Identity, String)}, with a configuration that {@code tuned} changes. */
    static TestEngine at(Path profile, Identity identity, String name, UnaryOperator<EngineConfig> tuned)
            throws IOException {
        return new TestEngine(profile, identity, name, tuned);
    }

    /** The same profile, identity and configuration started again. */
    TestEngine restart() throws IOException {
        return new TestEngine(profile, identity, name, tuned);
    }

    PeerId peerId() {
        return engine.peerId();
    }

    /** Each adds the other from its invite code. */
    static void befriend(TestEngine a, TestEngine b) throws EngineException {
        a.engine.contacts().add(b.engine.invite());
        b.engine.contacts().add(a.engine.invite());
    }

    /** Waits until nothing waits in this engine's outbox for {@code peer} and nothing is in flight to it. */
    void awaitOutboxEmptyFor(PeerId peer) throws InterruptedException {
        long deadline = System.nanoTime() + EventLog.WAIT.toNanos();
        while (!engine.deliveredEverythingTo(peer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " still has envelopes for " + peer + " after " + EventLog.WAIT);
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }

    /** Waits until {@code done} holds, looking again every 20 ms, at most {@link EventLog#WAIT}. */
    static void awaitCondition(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + EventLog.WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + EventLog.WAIT + ": " + what);
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }

    /** The capability {@code owner} gave this engine to its mailbox; fails the test if there is none. */
    DepositCapability capabilityFrom(TestEngine owner) throws InvalidMailboxCodeException {
        return DepositCapability.decode(engine.store().mailboxes().held(owner.peerId().toBase58())
                .orElseThrow(() -> new AssertionError(name + " holds no capability from " + owner.name)));
    }

    /** This engine's outbox, to send what its user interface never would: a hostile contact or stranger. */
    Outgoing outgoing() throws ReflectiveOperationException {
        Field field = Engine.class.getDeclaredField("outgoing");
        field.setAccessible(true);
        return (Outgoing) field.get(engine);
    }

    /** Waits until what this engine's outbox holds for {@code peer} is all in a mailbox or with carriers too. */
    void awaitEverythingHeldFor(PeerId peer) throws InterruptedException {
        String recipient = peer.toBase58();
        awaitCondition(() -> engine.store().outbox().count(recipient) > 0
                && engine.store().outbox().unheld(recipient, 1).isEmpty(),
                name + " left what waits for " + peer + " with a mailbox or carriers");
    }

    /** The offer this engine's store keeps for its message {@code id} to {@code recipient}: a real one to alter. */
    FileOffer offerSent(PeerId recipient, MessageId id) throws InvalidProtocolBufferException {
        String conversation = engine.store().conversations().direct(recipient.toBase58()).orElseThrow().id();
        Attachment attachment = engine.store().attachments().get(new MessageKey(conversation, peerId().toBase58(),
                id.toString())).orElseThrow();
        return FileOffer.parseFrom(attachment.offer());
    }

    @Override
    public void close() {
        engine.close();
    }
}
