package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.SteppingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a contact was last seen, across restarts of ours: Alice's wall clock runs hours ahead when the test says so,
 * so a last-seen time kept at the right moment is told apart from one kept when the contact connected. The store
 * keeps milliseconds.
 */
class LastSeenTest {
    @TempDir
    Path temp;

    /** How far Alice's wall clock runs ahead of the machine's. */
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
    private final Clocks aliceClocks = new Clocks(() -> Instant.now().plus(ahead.get()), new SteppingClock());

    @Test
    void aContactThatDisconnectsIsLastSeenThenAfterOurRestart() throws Exception {
        TestEngine alice = TestEngine.start(temp, "Alice", aliceClocks);
        TestEngine bob = TestEngine.start(temp, "Bob");
        try {
            connect(alice, bob);
            ahead.set(Duration.ofHours(1));
            Instant disconnected = aliceClocks.wall().instant().truncatedTo(ChronoUnit.MILLIS);

            bob.close();

            alice.events.await(EngineEvent.Presence.class, event -> event.peer().equals(bob.peerId()) && !event.online());
            awaitLastSeenAfter(alice, bob, disconnected);
            alice.close();
            alice = alice.restart();
            assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().lastSeen()).hasValueSatisfying(
                    seen -> assertThat(seen).isAfterOrEqualTo(disconnected));
        } finally {
            alice.close();
            bob.close();
        }
    }

    @Test
    void contactsConnectedWhenWeCloseAreLastSeenThenAfterOurRestart() throws Exception {
        TestEngine alice = TestEngine.start(temp, "Alice", aliceClocks);
        TestEngine bob = TestEngine.start(temp, "Bob");
        try {
            connect(alice, bob);
            ahead.set(Duration.ofHours(2));
            Instant closed = aliceClocks.wall().instant().truncatedTo(ChronoUnit.MILLIS);

            alice.close();
            bob.close();
            alice = alice.restart();

            Optional<Instant> seen = alice.engine.contacts().get(bob.peerId()).orElseThrow().lastSeen();
            assertThat(seen).as("kept when Alice closed, not when Bob connected two hours before")
                    .hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(closed));
        } finally {
            alice.close();
            bob.close();
        }
    }

    /** Alice and Bob become contacts and connect; Alice has noted Bob as seen on connecting. */
    private static void connect(TestEngine alice, TestEngine bob) throws Exception {
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "hi");
        alice.events.await(EngineEvent.Presence.class, event -> event.peer().equals(bob.peerId()) && event.online());
        awaitLastSeenAfter(alice, bob, Instant.EPOCH);
    }

    private static void awaitLastSeenAfter(TestEngine alice, TestEngine bob, Instant after) throws InterruptedException {
        long deadline = System.nanoTime() + EventLog.WAIT.toNanos();
        while (alice.engine.contacts().get(bob.peerId()).orElseThrow().lastSeen().filter(seen -> !seen.isBefore(after))
                .isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Bob was not noted as seen after " + after + " within " + EventLog.WAIT);
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }
}
