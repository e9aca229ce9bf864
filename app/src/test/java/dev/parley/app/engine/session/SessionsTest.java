package dev.parley.app.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.session.SessionPair.Side;
import dev.parley.app.engine.session.SessionPair.Wire;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.Ratchet;
import dev.parley.crypto.session.SessionException;
import dev.parley.crypto.session.SessionState;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's sessions between two real stores, with the network in the test's hands ({@link SessionPair}): the
 * handshake, crossing starts, loss, reordering and duplication, renewal after a restore or damage, and the secrecy the
 * sessions promise, attacked with a thief's copy of the state.
 */
class SessionsTest {
    @TempDir
    Path temp;

    @Test
    void aFirstMessageWaitsForTheHandshakeThenGoesUnderTheSession() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            MessageId hello = pair.alice.send("hello");

            List<Wire> first = pair.alice.drain();
            assertThat(first).extracting(Wire::kind).as("only the INIT leaves; the text waits")
                    .containsExactly(EnvelopeKind.SESSION_INIT);
            assertThat(pair.alice.store.outbox().waiting(pair.bob.peerId().toBase58())).hasSize(1);

            pair.deliver(first.getFirst());
            List<Wire> accept = pair.bob.drain();
            assertThat(accept).extracting(Wire::kind).containsExactly(EnvelopeKind.SESSION_ACCEPT);
            pair.deliver(accept.getFirst());
            List<Wire> sealed = pair.alice.drain();
            assertThat(sealed).extracting(Wire::kind).as("READY first, then the text that waited")
                    .containsExactly(EnvelopeKind.SESSION_READY, EnvelopeKind.TEXT);
            for (Wire wire : sealed) {
                assertThat(Envelope.decode(wire.envelope()).header().sealing()).isEqualTo(EnvelopeHeader.Sealing.SESSION);
                assertThat(Envelope.decode(wire.envelope()).signature()).isEmpty();
                pair.deliver(wire);
            }

            assertThat(pair.bob.texts).containsExactly(Map.entry(hello, "hello"));
            MessageId reply = pair.bob.send("hi Alice");
            List<Wire> fromBob = pair.bob.drain();
            assertThat(fromBob).extracting(Wire::kind).as("Bob seals at once: he opened Alice's first message")
                    .containsExactly(EnvelopeKind.TEXT);
            pair.deliver(fromBob.getFirst());
            assertThat(pair.alice.texts).containsExactly(Map.entry(reply, "hi Alice"));
            assertThat(pair.alice.sessions.current(pair.bob.peerId())).isPresent()
                    .isEqualTo(pair.bob.sessions.current(pair.alice.peerId()));
            assertThat(pair.alice.outboxSize()).isZero();
            assertThat(pair.bob.outboxSize()).isZero();
            assertThat(pair.alice.renewedNotices).as("a first session renews nothing").isEmpty();
        }
    }

    @Test
    void bothStartingAtOnceConvergeOnOneSessionAndLoseNothing() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            List<MessageId> fromAlice = new ArrayList<>();
            List<MessageId> fromBob = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fromAlice.add(pair.alice.send("a" + i));
                fromBob.add(pair.bob.send("b" + i));
            }
            assertThat(pair.alice.drain()).extracting(Wire::kind).containsExactly(EnvelopeKind.SESSION_INIT);
            assertThat(pair.bob.drain()).extracting(Wire::kind).containsExactly(EnvelopeKind.SESSION_INIT);

            pair.settle(10);

            assertThat(pair.bob.texts.keySet()).containsExactlyInAnyOrderElementsOf(fromAlice);
            assertThat(pair.alice.texts.keySet()).containsExactlyInAnyOrderElementsOf(fromBob);
            assertThat(pair.alice.freshCounts.values()).containsOnly(1);
            assertThat(pair.bob.freshCounts.values()).containsOnly(1);
            assertThat(pair.alice.sessions.current(pair.bob.peerId())).isPresent()
                    .isEqualTo(pair.bob.sessions.current(pair.alice.peerId()));
        }
    }

    /**
     * Any interleaving of sends both ways, with envelopes lost, delivered out of order and delivered twice, ends with
     * every message delivered exactly once once the links resend what is unacknowledged.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void anyInterleavingWithLossReorderingAndDuplicationDeliversEveryMessageOnce(long seed) throws Exception {
        Random random = new Random(seed);
        try (SessionPair pair = new SessionPair(temp)) {
            List<Wire> network = new ArrayList<>();
            List<MessageId> fromAlice = new ArrayList<>();
            List<MessageId> fromBob = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                int action = random.nextInt(10);
                if (action < 2) {
                    fromAlice.add(pair.alice.send("a" + step));
                } else if (action < 4) {
                    fromBob.add(pair.bob.send("b" + step));
                } else if (action == 4 && !network.isEmpty()) {
                    network.remove(random.nextInt(network.size()));
                } else if (action == 5) {
                    network.addAll(pair.alice.unacknowledged());
                    network.addAll(pair.bob.unacknowledged());
                } else if (!network.isEmpty()) {
                    int index = random.nextInt(network.size());
                    Wire wire = random.nextInt(5) == 0 ? network.get(index) : network.remove(index);
                    pair.deliver(wire);
                }
                network.addAll(pair.alice.drain());
                network.addAll(pair.bob.drain());
                if (random.nextInt(100) == 0) {
                    pair.wall.advance(Sessions.RENEW_INTERVAL);
                }
            }
            for (int round = 0; round < 20 && (pair.alice.outboxSize() > 0 || pair.bob.outboxSize() > 0); round++) {
                pair.settle(5);
                pair.wall.advance(Sessions.RENEW_INTERVAL);
            }

            assertThat(pair.alice.outboxSize()).as("seed %d: Alice's outbox", seed).isZero();
            assertThat(pair.bob.outboxSize()).as("seed %d: Bob's outbox", seed).isZero();
            assertThat(pair.bob.texts.keySet()).containsExactlyInAnyOrderElementsOf(fromAlice);
            assertThat(pair.alice.texts.keySet()).containsExactlyInAnyOrderElementsOf(fromBob);
            assertThat(pair.bob.freshCounts.values()).as("each opened once").containsOnly(1);
            assertThat(pair.alice.freshCounts.values()).as("each opened once").containsOnly(1);
        }
    }

    /**
     * Forward secrecy: every envelope of a conversation is recorded on the wire; then the thief gets Bob's complete
     * current state (his stored session record and his long-term identity): it opens none of the recorded messages.
     */
    @Test
    void aStolenStateAndIdentityOpenNoEarlierMessage() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            List<Wire> recorded = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pair.alice.send("secret " + i);
                if (i % 3 == 0) {
                    pair.bob.send("reply " + i);
                }
                List<Wire> wires = new ArrayList<>(pair.alice.drain());
                wires.addAll(pair.bob.drain());
                recorded.addAll(wires);
                for (Wire wire : wires) {
                    pair.deliver(wire);
                }
                pair.settle(3);
                recorded.addAll(pair.alice.drain());
                recorded.addAll(pair.bob.drain());
            }
            assertThat(pair.bob.texts).hasSize(20);

            SessionState bobs = storedState(pair.bob, pair.alice);
            SessionState alices = storedState(pair.alice, pair.bob);
            List<Wire> texts = recorded.stream().filter(wire -> wire.kind() == EnvelopeKind.TEXT).toList();
            assertThat(texts).hasSizeGreaterThanOrEqualTo(27);
            for (Wire wire : texts) {
                EnvelopeHeader header = Envelope.decode(wire.envelope()).header();
                assertThat(header.sealing()).as("no text is signed and sealed to a long-term key")
                        .isEqualTo(EnvelopeHeader.Sealing.SESSION);
                assertThat(opensUnder(wire.to() == pair.bob ? bobs : alices, wire.to(), wire))
                        .as("recorded %s from %s", wire.id(), wire.from().name).isFalse();
                assertThat(opensWithIdentity(wire.to(), wire)).isFalse();
            }
        }
    }

    /**
     * Post-compromise security: with Bob's state stolen, the thief opens Alice's messages until the next round trip,
     * and none after it.
     */
    @Test
    void aStolenStateOpensMessagesOnlyUntilTheNextRoundTrip() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("before");
            pair.settle(5);
            pair.bob.send("ack");
            pair.settle(5);
            pair.alice.drain();
            pair.bob.drain();
            SessionState stolen = storedState(pair.bob, pair.alice);

            pair.alice.send("still readable by the thief");
            Wire beforeRoundTrip = pair.alice.drain().getFirst();
            pair.deliver(beforeRoundTrip);
            pair.bob.send("Bob answers: a new ratchet key");
            pair.deliver(pair.bob.drain().getFirst());
            pair.alice.send("after the round trip");
            Wire afterRoundTrip = pair.alice.drain().getFirst();
            pair.deliver(afterRoundTrip);

            assertThat(opensUnder(stolen, pair.bob, beforeRoundTrip)).as("before the round trip").isTrue();
            assertThat(opensUnder(stolen, pair.bob, afterRoundTrip)).as("after the round trip").isFalse();
            assertThat(pair.bob.texts.values()).contains("still readable by the thief", "after the round trip");
        }
    }

    @Test
    void aRestoredPeerAsksForANewSessionAndGetsEveryUnacknowledgedMessage() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("first");
            pair.settle(5);
            pair.bob.send("first back");
            pair.settle(5);
            pair.alice.drain();
            pair.bob.drain();
            var before = pair.alice.sessions.current(pair.bob.peerId()).orElseThrow();

            MessageId lost = pair.alice.send("sent while Bob restores");
            pair.bob.restoreOnNewMachine();
            pair.settle(10);

            assertThat(pair.bob.texts).containsEntry(lost, "sent while Bob restores");
            assertThat(pair.alice.sessions.current(pair.bob.peerId())).isPresent().isNotEqualTo(Optional.of(before))
                    .isEqualTo(pair.bob.sessions.current(pair.alice.peerId()));
            assertThat(pair.alice.renewedNotices).containsExactly(pair.bob.peerId());
            assertThat(pair.bob.renewedNotices).containsExactly(pair.alice.peerId());
            MessageId back = pair.bob.send("back on a new machine");
            pair.settle(5);
            assertThat(pair.alice.texts).containsEntry(back, "back on a new machine");
        }
    }

    @Test
    void aRestartKeepsTheSessionAndNeedsNoNewOne() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("one");
            pair.settle(5);
            pair.bob.send("two");
            pair.settle(5);
            var session = pair.alice.sessions.current(pair.bob.peerId());

            pair.alice.restart();
            pair.bob.restart();
            MessageId three = pair.alice.send("three");
            MessageId four = pair.bob.send("four");
            pair.settle(5);

            assertThat(pair.bob.texts).containsEntry(three, "three");
            assertThat(pair.alice.texts).containsEntry(four, "four");
            assertThat(pair.alice.sessions.current(pair.bob.peerId())).isEqualTo(session);
            assertThat(pair.alice.renewedNotices).isEmpty();
        }
    }

    @Test
    void aDamagedRecordHealsWithANewSession() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("one");
            pair.settle(5);
            pair.bob.send("two");
            pair.settle(5);

            pair.bob.store.sessions().stage(pair.alice.peerId().toBase58(), new byte[] {8, 1, 18, 3, 1, 2, 3});
            pair.bob.store.sessions().flushAsync().join();
            pair.bob.restart();
            MessageId three = pair.alice.send("three");
            MessageId four = pair.bob.send("four");
            for (int round = 0; round < 5 && (pair.alice.outboxSize() > 0 || pair.bob.outboxSize() > 0); round++) {
                pair.settle(5);
                pair.wall.advance(Sessions.RENEW_INTERVAL);
            }

            assertThat(pair.bob.texts).containsEntry(three, "three");
            assertThat(pair.alice.texts).containsEntry(four, "four");
            assertThat(pair.alice.outboxSize()).isZero();
            assertThat(pair.bob.outboxSize()).isZero();
        }
    }

    @Test
    void anInitSentAgainIsNotAnsweredAgain() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("hello");
            Wire init = pair.alice.drain().getFirst();
            pair.deliver(init);
            pair.settle(5);
            var session = pair.bob.sessions.current(pair.alice.peerId());
            pair.bob.drain();

            // The same signed INIT again, as a relay that kept it would send it: acknowledged, not answered.
            pair.bob.store.sessions().forgetOpenedBeforeAsync(pair.wall.instant().plusSeconds(1)).join();
            pair.bob.restart();
            assertThat(pair.deliver(init)).isTrue();

            assertThat(pair.bob.drain()).as("no ACCEPT for an INIT answered before").isEmpty();
            assertThat(pair.bob.sessions.current(pair.alice.peerId())).isEqualTo(session);
        }
    }

    @Test
    void keysKeptForMessagesThatNeverCameAreDroppedOnceExpiredEvenFromASilentSession() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.alice.send("hello");
            pair.settle(5);
            pair.alice.drain();
            for (int i = 0; i < 5; i++) {
                pair.bob.send("skipped " + i);
            }
            List<Wire> fromBob = pair.bob.drain();
            pair.deliver(fromBob.getLast());
            pair.alice.store.sessions().flushAsync().join();
            assertThat(storedState(pair.alice, pair.bob).skippedKeyCount()).isEqualTo(4);

            pair.wall.advance(Ratchet.SKIPPED_KEY_LIFETIME.plusDays(1));
            pair.alice.sessions.forgetExpired();
            pair.alice.store.sessions().flushAsync().join();

            assertThat(storedState(pair.alice, pair.bob).skippedKeyCount()).isZero();
        }
    }

    private static SessionState storedState(Side holder, Side peer) throws Exception {
        PeerSessions sessions = new PeerSessions(peer.peerId().toBase58());
        sessions.decode(holder.store.sessions().load(sessions.peer).orElseThrow());
        return sessions.current.state();
    }

    /** Whether {@code wire} opens under {@code state} for the identity of {@code recipient}. */
    private static boolean opensUnder(SessionState state, Side recipient, Wire wire) {
        try {
            new TinkEnvelopeSealer().openSession(recipient.identity, wire.envelope(), (ciphertext, headerBytes) -> {
                try {
                    return Ratchet.open(state, ciphertext, headerBytes, java.time.Instant.now()).plaintext();
                } catch (SessionException e) {
                    throw new GeneralSecurityException(e);
                }
            }, id -> true);
            return true;
        } catch (EnvelopeException e) {
            return false;
        }
    }

    private static boolean opensWithIdentity(Side recipient, Wire wire) {
        try {
            new TinkEnvelopeSealer().openDirect(recipient.identity, wire.envelope(), id -> true);
            return true;
        } catch (EnvelopeException e) {
            return false;
        }
    }
}
