package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.crypto.session.SessionException.Reason;
import dev.parley.crypto.wire.SessionProtos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds on skipped message keys: per gap, in all, and in time. */
class RatchetBoundsTest {
    private static final byte[] AD = "bounds".getBytes(UTF_8);

    private final Party[] session = Party.newSession();
    private final Party alice = session[0];
    private final Party bob = session[1];

    private List<byte[]> aliceSends(int count) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(alice.seal(("message " + i).getBytes(UTF_8), AD));
        }
        return messages;
    }

    @Test
    void aGapOverMaxSkipIsRefusedWithoutChangingTheStateAndOneOfMaxSkipIsKept() throws SessionException {
        List<byte[]> messages = aliceSends(Ratchet.MAX_SKIP + 2);

        assertThatThrownBy(() -> bob.open(messages.get(Ratchet.MAX_SKIP + 1), AD))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(Reason.TOO_FAR_AHEAD));

        assertThat(bob.open(messages.get(Ratchet.MAX_SKIP), AD)).isEqualTo(("message " + Ratchet.MAX_SKIP)
                .getBytes(UTF_8));
        assertThat(bob.state.skippedKeyCount()).isEqualTo(Ratchet.MAX_SKIP);
        assertThat(bob.open(messages.get(Ratchet.MAX_SKIP + 1), AD)).isNotEmpty();
        assertThat(bob.open(messages.get(0), AD)).isEqualTo("message 0".getBytes(UTF_8));
        assertThat(bob.state.skippedKeyCount()).isEqualTo(Ratchet.MAX_SKIP - 1);
    }

    @Test
    void theKeptSkippedKeysNeverExceedTheBoundAndTheOldestGoFirst() throws SessionException {
        List<List<byte[]>> gaps = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<byte[]> messages = aliceSends(Ratchet.MAX_SKIP + 1);
            gaps.add(messages);
            bob.open(messages.get(Ratchet.MAX_SKIP), AD);
            assertThat(bob.state.skippedKeyCount()).isLessThanOrEqualTo(Ratchet.MAX_SKIPPED_KEPT);
            alice.open(bob.seal("next round".getBytes(UTF_8), AD), AD);
        }

        assertThat(bob.state.skippedKeyCount()).isEqualTo(Ratchet.MAX_SKIPPED_KEPT);
        assertThat(Party.storedAndLoaded(bob.state).skippedKeyCount()).isEqualTo(Ratchet.MAX_SKIPPED_KEPT);
        assertThatThrownBy(() -> bob.open(gaps.get(0).get(0), AD)).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(Reason.UNDECRYPTABLE));
        assertThat(bob.open(gaps.get(1).get(0), AD)).isEqualTo("message 0".getBytes(UTF_8));
        assertThat(bob.open(gaps.get(2).get(Ratchet.MAX_SKIP - 1), AD))
                .isEqualTo(("message " + (Ratchet.MAX_SKIP - 1)).getBytes(UTF_8));
        assertThat(bob.state.skippedKeyCount()).isEqualTo(Ratchet.MAX_SKIPPED_KEPT - 2);
    }

    @Test
    void aSkippedKeyExpiresAfterItsLifetime() throws SessionException {
        List<byte[]> messages = aliceSends(4);
        bob.open(messages.get(3), AD);
        assertThat(bob.state.skippedKeyCount()).isEqualTo(3);

        bob.now = Party.START.plus(Ratchet.SKIPPED_KEY_LIFETIME).minusSeconds(1);
        assertThat(bob.open(messages.get(0), AD)).isEqualTo("message 0".getBytes(UTF_8));

        bob.now = Party.START.plus(Ratchet.SKIPPED_KEY_LIFETIME);
        assertThatThrownBy(() -> bob.open(messages.get(1), AD)).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(Reason.KEY_USED_OR_DROPPED));
        assertThat(bob.state.skippedKeyCount()).as("a failed open changes nothing, not even expiry").isEqualTo(2);

        bob.seal("a seal drops expired keys too".getBytes(UTF_8), AD);
        assertThat(bob.state.skippedKeyCount()).isZero();
    }

    @Test
    void keysSkippedLaterLiveTheirOwnLifetime() throws SessionException {
        List<byte[]> messages = aliceSends(4);
        bob.open(messages.get(1), AD);
        bob.now = Party.START.plus(Duration.ofDays(20));
        bob.open(messages.get(3), AD);
        assertThat(bob.state.skippedKeyCount()).isEqualTo(2);

        bob.now = Party.START.plus(Duration.ofDays(40));
        assertThat(bob.open(messages.get(2), AD)).isEqualTo("message 2".getBytes(UTF_8));
        assertThat(bob.state.skippedKeyCount()).isZero();
    }

    @Test
    void aClockSteppedBackWithinTheToleranceKeepsTheKeysItJustKept() throws SessionException {
        List<byte[]> messages = aliceSends(3);
        bob.now = Party.START.plus(Ratchet.CLOCK_STEP_BACK_TOLERATED);
        bob.open(messages.get(2), AD);
        assertThat(bob.state.skippedKeyCount()).isEqualTo(2);

        bob.now = Party.START;
        assertThat(Ratchet.dropExpired(bob.state, bob.now)).isEmpty();
        assertThat(bob.open(messages.get(0), AD)).isEqualTo("message 0".getBytes(UTF_8));

        bob.now = Party.START.minusSeconds(1);
        assertThat(Ratchet.dropExpired(bob.state, bob.now)).as("kept further ahead than the tolerance")
                .hasValueSatisfying(dropped -> assertThat(dropped.skippedKeyCount()).isZero());
    }

    @Test
    void dropExpiredChangesNothingBeforeTheLifetimeAndDropsOnlyTheExpiredAfter() throws SessionException {
        List<byte[]> messages = aliceSends(4);
        bob.open(messages.get(1), AD);
        bob.now = Party.START.plus(Duration.ofDays(20));
        bob.open(messages.get(3), AD);
        SessionState before = bob.state;

        assertThat(Ratchet.dropExpired(before, Party.START.plus(Ratchet.SKIPPED_KEY_LIFETIME).minusSeconds(1)))
                .isEmpty();
        SessionState after = Ratchet.dropExpired(before, Party.START.plus(Ratchet.SKIPPED_KEY_LIFETIME)).orElseThrow();
        assertThat(before.skippedKeyCount()).as("the state given is never changed").isEqualTo(2);
        assertThat(after.skippedKeyCount()).isEqualTo(1);
        bob.state = Party.storedAndLoaded(after);
        assertThatThrownBy(() -> bob.open(messages.get(0), AD)).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(Reason.KEY_USED_OR_DROPPED));
        assertThat(bob.open(messages.get(2), AD)).isEqualTo("message 2".getBytes(UTF_8));
    }

    /** The engine starts a new session when this happens (crypto/README.md, "For the engine"). */
    @Test
    void aSendingChainAtItsLastMessageNumberRefusesToSealAndStaysAsItWas() throws Exception {
        SessionProtos.SessionState proto = SessionProtos.SessionState.parseFrom(alice.state.encode());
        alice.state = SessionState.decode(proto.toBuilder().setSentInChain((int) (RatchetHeader.MAX_NUMBER - 1)).build()
                .toByteArray());
        alice.seal("the last one".getBytes(UTF_8), AD);
        byte[] atTheLast = alice.state.encode();

        assertThatThrownBy(() -> alice.seal("one too many".getBytes(UTF_8), AD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("last message number");
        assertThat(alice.state.encode()).isEqualTo(atTheLast);
    }
}
