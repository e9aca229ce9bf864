package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.session.SessionException.Reason;
import dev.parley.crypto.session.SessionState.SkippedKey;
import dev.parley.crypto.wire.SessionProtos;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A thief of a stored state, and a state that is not what {@code encode} wrote. The thief tries every secret in the
 * state as a message key, as a chain key followed {@link #CHAIN_STEPS_TRIED} steps, and as a root key stepped with
 * the one DH output it can compute; the sender's side is tried as well as the recipient's.
 */
class RatchetTheftReviewTest {
    private static final byte[] TO_BOB = "to bob".getBytes(UTF_8);
    private static final byte[] TO_ALICE = "to alice".getBytes(UTF_8);
    private static final int CHAIN_STEPS_TRIED = 64;

    private final Party[] session = Party.newSession();
    private final Party alice = session[0];
    private final Party bob = session[1];

    private record Recorded(byte[] message, byte[] associatedData) {
    }

    private final List<Recorded> wire = new ArrayList<>();

    private byte[] send(Party sender, String text) {
        byte[] associatedData = sender == alice ? TO_BOB : TO_ALICE;
        byte[] message = sender.seal(text.getBytes(UTF_8), associatedData);
        wire.add(new Recorded(message, associatedData));
        return message;
    }

    /** Every 32-byte secret in {@code state}, and what the KDFs make of them, as message keys to try. */
    private static List<byte[]> candidateMessageKeys(SessionState state) {
        List<byte[]> secrets = new ArrayList<>();
        for (byte[] key : new byte[][] {state.rootKey, state.sendingRatchet.privateKey(), state.receivingRatchetPublic,
            state.sendingChainKey, state.sendingHeaderKey, state.receivingChainKey, state.receivingHeaderKey,
            state.nextSendingHeaderKey, state.nextReceivingHeaderKey}) {
            if (key != null) {
                secrets.add(key);
            }
        }
        for (SkippedKey kept : state.skipped) {
            secrets.add(kept.messageKey());
            secrets.add(kept.headerKey());
        }
        if (state.receivingRatchetPublic != null) {
            try {
                byte[] dh = state.sendingRatchet.agree(state.receivingRatchetPublic);
                secrets.add(dh);
                RatchetKdf.RootStep step = RatchetKdf.root(state.rootKey, dh);
                secrets.addAll(List.of(step.rootKey(), step.chainKey(), step.nextHeaderKey()));
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
        List<byte[]> messageKeys = new ArrayList<>(secrets);
        for (byte[] chainKey : secrets) {
            byte[] next = chainKey;
            for (int i = 0; i < CHAIN_STEPS_TRIED; i++) {
                RatchetKdf.ChainStep step = RatchetKdf.chain(next);
                messageKeys.add(step.messageKey());
                next = step.nextChainKey();
            }
        }
        return messageKeys;
    }

    private static boolean anyKeyOpens(List<byte[]> messageKeys, Recorded recorded) {
        byte[] message = recorded.message();
        byte[] header = Arrays.copyOfRange(message, 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
        byte[] associatedData = Arrays.copyOf(recorded.associatedData(),
                recorded.associatedData().length + header.length);
        System.arraycopy(header, 0, associatedData, recorded.associatedData().length, header.length);
        for (byte[] messageKey : messageKeys) {
            RatchetKdf.PayloadKey payloadKey = RatchetKdf.payload(messageKey, Ratchet.headerNonce(header));
            int offset = 1 + RatchetHeader.ENCRYPTED_SIZE;
            try {
                AesGcm.open(payloadKey.key(), payloadKey.nonce(), message, offset, message.length - offset,
                        associatedData);
                return true;
            } catch (GeneralSecurityException notThisKey) {
                // the next candidate
            }
        }
        return false;
    }

    /**
     * Sender-side forward secrecy, which the recipient-side test does not try: a thief of the initiator's state after it
     * has sealed its first chain (no reply yet) reads none of those messages, and a thief of either side's state after
     * several round trips reads nothing that side sealed or opened.
     */
    @Test
    void aThiefOfEitherSidesStateReadsNoMessageThatSideAlreadySealedOrOpened() throws SessionException {
        for (int i = 0; i < 3; i++) {
            send(alice, "first chain " + i);
        }
        List<byte[]> fromAlicesFirstState = candidateMessageKeys(alice.stolenCopy());
        for (Recorded recorded : wire) {
            assertThat(anyKeyOpens(fromAlicesFirstState, recorded)).isFalse();
        }
        List<Recorded> firstChain = new ArrayList<>(wire);
        for (Recorded recorded : firstChain) {
            bob.open(recorded.message(), recorded.associatedData());
        }
        for (int turn = 0; turn < 6; turn++) {
            Party sender = turn % 2 == 0 ? bob : alice;
            Party receiver = sender == alice ? bob : alice;
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                burst.add(send(sender, "turn " + turn + " message " + i));
            }
            // The first of each burst arrives last: the receiver keeps its key, then uses and drops it.
            receiver.open(burst.get(1), sender == alice ? TO_BOB : TO_ALICE);
            receiver.open(burst.get(2), sender == alice ? TO_BOB : TO_ALICE);
            receiver.open(burst.get(0), sender == alice ? TO_BOB : TO_ALICE);
        }
        assertThat(alice.state.skippedKeyCount()).isZero();
        assertThat(bob.state.skippedKeyCount()).isZero();
        for (Party victim : session) {
            List<byte[]> keys = candidateMessageKeys(victim.stolenCopy());
            for (Recorded recorded : wire) {
                assertThat(anyKeyOpens(keys, recorded)).as("a thief of %s's state reads message %d", victim,
                        wire.indexOf(recorded)).isFalse();
            }
        }
    }

    /**
     * Post-compromise: a passive thief runs the stolen copy of Bob's state on every message it records. It reads
     * Alice's answers to Bob's stolen chain; once Bob has answered with a fresh ratchet key and Alice has answered
     * that, the copy's opens are refused, and stay refused.
     */
    @Test
    void aPassiveThiefRunningTheStolenStateIsLockedOutAfterOneRoundTrip() throws SessionException {
        bob.open(send(alice, "hello"), TO_BOB);
        alice.open(send(bob, "hi"), TO_ALICE);
        Party thief = new Party("thief", bob.stolenCopy());

        byte[] answer = send(alice, "read by the thief");
        assertThat(thief.open(answer, TO_BOB)).asString(UTF_8).isEqualTo("read by the thief");
        bob.open(answer, TO_BOB);
        byte[] healing = send(bob, "from a fresh key");
        assertThat(anyKeyOpens(candidateMessageKeys(thief.state), new Recorded(healing, TO_ALICE)))
                .as("the thief's copy, having followed Alice's answer, reads Bob's message from a fresh key").isFalse();
        alice.open(healing, TO_ALICE);
        for (int i = 0; i < 3; i++) {
            byte[] after = send(alice, "after the round trip " + i);
            assertThatThrownBy(() -> thief.open(after, TO_BOB)).isInstanceOf(SessionException.class);
            bob.open(after, TO_BOB);
            alice.open(send(bob, "and back " + i), TO_ALICE);
        }
    }

    /**
     * The stored state keeps its ratchet public key beside the private one, and {@code decode} trusts the pair. A
     * damaged public key (one flipped bit in the store) then decodes as a working state; the next chain it starts
     * announces a key that is not its own, and the peer can open nothing of it: the session is dead without an
     * error on the side whose state is damaged.
     */
    @Test
    void aStoredRatchetPublicKeyThatIsNotItsPrivateKeysIsMalformed() throws Exception {
        bob.open(send(alice, "hello"), TO_BOB);
        SessionProtos.SessionState proto = SessionProtos.SessionState.parseFrom(bob.state.encode());
        byte[] damaged = proto.getSendingRatchetPublic().toByteArray();
        damaged[5] ^= 0x10;
        byte[] encoded = proto.toBuilder().setSendingRatchetPublic(ByteString.copyFrom(damaged)).build()
                .toByteArray();

        SessionState decoded = null;
        try {
            decoded = SessionState.decode(encoded);
        } catch (SessionException refused) {
            assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
        }
        if (decoded != null) {
            Party damagedBob = new Party("bob with a damaged store", decoded);
            byte[] reply = damagedBob.seal("can you read me".getBytes(UTF_8), TO_ALICE);
            assertThat(alice.open(reply, TO_ALICE)).asString(UTF_8).isEqualTo("can you read me");
        }
    }

    /**
     * A kept key lives {@link Ratchet#SKIPPED_KEY_LIFETIME} from when it was kept. If the receiver's clock once ran
     * ahead (a wrong clock, a clock an attacker set) when the key was kept, the key carries that future time and lives
     * until a month after it, however long has really passed: the lost message stays readable to a later thief.
     */
    @Test
    void aKeyKeptWhileTheClockRanAheadStillExpiresAMonthLater() throws SessionException {
        send(alice, "lost");
        byte[] arrives = send(alice, "arrives");
        bob.now = Party.START.plus(Duration.ofDays(3650));
        bob.open(arrives, TO_BOB);
        assertThat(bob.state.skippedKeyCount()).isEqualTo(1);

        bob.now = Party.START.plus(Ratchet.SKIPPED_KEY_LIFETIME).plus(Duration.ofDays(1));
        bob.open(send(alice, "a month later by the corrected clock"), TO_BOB);
        assertThat(bob.state.skippedKeyCount()).as("the key kept a month ago").isZero();
    }

    /**
     * A stored state holding the same kept key twice decodes, and then opens its message twice: a replay accepted.
     * Only a state that {@code encode} never writes does this, so it takes someone who can write the store; a decode
     * that refuses repeated kept keys (as it refuses too many) closes it.
     */
    @Test
    void aStoredStateWithARepeatedKeptKeyIsMalformedOrOpensItsMessageOnce() throws Exception {
        byte[] lost = send(alice, "lost");
        bob.open(send(alice, "arrives"), TO_BOB);
        SessionProtos.SessionState proto = SessionProtos.SessionState.parseFrom(bob.state.encode());
        assertThat(proto.getSkippedCount()).isEqualTo(1);
        byte[] encoded = proto.toBuilder().addSkipped(proto.getSkipped(0)).build().toByteArray();

        SessionState decoded;
        try {
            decoded = SessionState.decode(encoded);
        } catch (SessionException refused) {
            assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
            return;
        }
        Party repeated = new Party("bob with a repeated kept key", decoded);
        assertThat(repeated.open(lost, TO_BOB)).asString(UTF_8).isEqualTo("lost");
        assertThatThrownBy(() -> repeated.open(lost, TO_BOB)).isInstanceOf(SessionException.class);
    }

    /**
     * Expiry happens only when a seal or an open succeeds, and the public API has no other way to drop expired keys: a
     * session that falls silent keeps its kept keys in the store for as long as it stays silent. A thief of the store
     * a year later holds the message key of a message lost a year ago, and, choosing {@code now} itself, opens it.
     * What the lifetime promises is that the key is gone from the stored state once the lifetime has passed.
     */
    @Test
    void aThiefOfASilentSessionsStoreAYearLaterReadsNoMessageLostAYearAgo() throws SessionException {
        byte[] lost = send(alice, "lost a year ago");
        bob.open(send(alice, "arrives"), TO_BOB);
        bob.now = Party.START.plus(Duration.ofDays(365));
        // Nothing more arrives and Bob sends nothing; the engine's timer drops the expired keys and stores the result.
        Optional<SessionState> withoutExpired = Ratchet.dropExpired(bob.state, bob.now);
        assertThat(withoutExpired).as("the state changed, so the engine stores it").isPresent();
        bob.state = Party.storedAndLoaded(withoutExpired.get());
        assertThat(Ratchet.dropExpired(bob.state, bob.now)).as("nothing more to drop, nothing to store").isEmpty();
        SessionState stolenAYearLater = bob.stolenCopy();

        assertThat(anyKeyOpens(candidateMessageKeys(stolenAYearLater), new Recorded(lost, TO_BOB)))
                .as("the key of a message lost a year ago, in the stored state").isFalse();
        assertThatThrownBy(() -> Ratchet.open(stolenAYearLater, lost, TO_BOB, Party.START))
                .isInstanceOf(SessionException.class);
    }
}
