package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.session.SessionException.Reason;
import dev.parley.crypto.wire.SessionProtos;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RatchetTest {
    private static final byte[] TO_RESPONDER = "initiator to responder".getBytes(UTF_8);
    private static final byte[] TO_INITIATOR = "responder to initiator".getBytes(UTF_8);

    private final Party[] session = Party.newSession();
    private final Party alice = session[0];
    private final Party bob = session[1];

    private static byte[] text(String text) {
        return text.getBytes(UTF_8);
    }

    private static void assertRefused(ThrowingCallable open, Reason reason) {
        assertThatThrownBy(open).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isEqualTo(reason));
    }

    @Test
    void bothSidesTalkInTurnsAndInBurstsThroughStoredStates() throws SessionException {
        for (int turn = 0; turn < 6; turn++) {
            Party sender = turn % 2 == 0 ? alice : bob;
            Party receiver = turn % 2 == 0 ? bob : alice;
            byte[] associatedData = turn % 2 == 0 ? TO_RESPONDER : TO_INITIATOR;
            for (int i = 0; i <= turn; i++) {
                byte[] plaintext = text("turn " + turn + ", message " + i);
                assertThat(receiver.open(sender.seal(plaintext, associatedData), associatedData)).isEqualTo(plaintext);
            }
        }
        assertThat(alice.state.skippedKeyCount()).isZero();
        assertThat(bob.state.skippedKeyCount()).isZero();
    }

    @Test
    void theResponderSealsOnlyAfterItHasOpenedAMessage() throws SessionException {
        assertThat(bob.state.canSeal()).isFalse();
        assertThatThrownBy(() -> bob.seal(text("too early"), TO_INITIATOR))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("responder");

        bob.open(alice.seal(text("hello"), TO_RESPONDER), TO_RESPONDER);

        assertThat(bob.state.canSeal()).isTrue();
        assertThat(alice.open(bob.seal(text("hi"), TO_INITIATOR), TO_INITIATOR)).isEqualTo(text("hi"));
    }

    @Test
    void sealingAndOpeningNeverChangeTheStateTheyAreGiven() throws SessionException {
        SessionState aliceBefore = alice.state;
        byte[] aliceBytes = aliceBefore.encode();
        Ratchet.Sealed sealed = Ratchet.seal(aliceBefore, text("one"), TO_RESPONDER, Party.START);
        SessionState bobBefore = bob.state;
        byte[] bobBytes = bobBefore.encode();
        Ratchet.open(bobBefore, sealed.message(), TO_RESPONDER, Party.START);

        assertThat(aliceBefore.encode()).isEqualTo(aliceBytes);
        assertThat(bobBefore.encode()).isEqualTo(bobBytes);
        assertThat(sealed.next().encode()).isNotEqualTo(aliceBytes);
    }

    @Test
    void onlyTheVersionByteIsInTheClear() throws SessionException {
        byte[] plaintext = text("the same words twice");
        byte[] first = alice.seal(plaintext, TO_RESPONDER);
        byte[] second = alice.seal(plaintext, TO_RESPONDER);

        for (byte[] message : new byte[][] {first, second}) {
            assertThat(message).hasSize(Ratchet.OVERHEAD + plaintext.length);
            assertThat(message[0]).isEqualTo(Ratchet.VERSION);
            assertThat(ByteString.copyFrom(message).toStringUtf8()).doesNotContain("the same words");
            assertThat(containsSequence(message, alice.state.sendingRatchet.publicKey())).isFalse();
        }
        // Same chain, same text, consecutive numbers: nothing after the version byte lines up.
        int sameBytes = 0;
        for (int i = 1; i < first.length; i++) {
            sameBytes += first[i] == second[i] ? 1 : 0;
        }
        assertThat(sameBytes).isLessThan(8);
        assertThat(bob.open(second, TO_RESPONDER)).isEqualTo(plaintext);
        assertThat(bob.open(first, TO_RESPONDER)).isEqualTo(plaintext);
    }

    private static boolean containsSequence(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sealingTwiceFromOneStateUsesTwoPayloadKeysAndOnlyOneOpens() throws SessionException {
        SessionState once = alice.state;
        byte[] first = Ratchet.seal(once, text("same"), TO_RESPONDER, Party.START).message();
        byte[] second = Ratchet.seal(once, text("same"), TO_RESPONDER, Party.START).message();

        assertThat(Arrays.copyOfRange(first, Ratchet.OVERHEAD - AesGcm.TAG_SIZE, first.length))
                .isNotEqualTo(Arrays.copyOfRange(second, Ratchet.OVERHEAD - AesGcm.TAG_SIZE, second.length));
        assertThat(bob.open(second, TO_RESPONDER)).isEqualTo(text("same"));
        assertRefused(() -> bob.open(first, TO_RESPONDER), Reason.KEY_USED_OR_DROPPED);
    }

    @Test
    void otherAssociatedDataIsUndecryptableAndChangesNothing() throws SessionException {
        byte[] message = alice.seal(text("bound to its context"), TO_RESPONDER);

        assertRefused(() -> bob.open(message, TO_INITIATOR), Reason.UNDECRYPTABLE);
        assertThat(bob.open(message, TO_RESPONDER)).isEqualTo(text("bound to its context"));
    }

    @Test
    void everyAlteredByteIsRefusedAndChangesNothing() throws SessionException {
        bob.open(alice.seal(text("first"), TO_RESPONDER), TO_RESPONDER);
        byte[] message = alice.seal(text("second"), TO_RESPONDER);

        for (int i = 0; i < message.length; i++) {
            byte[] altered = message.clone();
            altered[i] ^= (byte) (1 << (i % 8));
            assertRefused(() -> bob.open(altered, TO_RESPONDER), i == 0 ? Reason.MALFORMED : Reason.UNDECRYPTABLE);
        }
        assertRefused(() -> bob.open(Arrays.copyOf(message, Ratchet.OVERHEAD - 1), TO_RESPONDER), Reason.MALFORMED);
        assertRefused(() -> bob.open(new byte[0], TO_RESPONDER), Reason.MALFORMED);
        assertThat(bob.open(message, TO_RESPONDER)).isEqualTo(text("second"));
    }

    @Test
    void aMessageOfAnotherSessionOrItsOwnSenderIsUndecryptable() throws SessionException {
        Party[] other = Party.newSession();
        byte[] foreign = other[0].seal(text("elsewhere"), TO_RESPONDER);
        byte[] own = alice.seal(text("mine"), TO_RESPONDER);

        assertRefused(() -> bob.open(foreign, TO_RESPONDER), Reason.UNDECRYPTABLE);
        assertRefused(() -> alice.open(own, TO_RESPONDER), Reason.UNDECRYPTABLE);
        assertThat(bob.open(own, TO_RESPONDER)).isEqualTo(text("mine"));
    }

    @Test
    void aReplayIsRefusedInTheCurrentChainAnEarlierOneAndFromAKeptKey() throws SessionException {
        byte[] first = alice.seal(text("1"), TO_RESPONDER);
        byte[] skipped = alice.seal(text("2"), TO_RESPONDER);
        byte[] third = alice.seal(text("3"), TO_RESPONDER);
        bob.open(first, TO_RESPONDER);
        bob.open(third, TO_RESPONDER);
        assertThat(bob.state.skippedKeyCount()).isEqualTo(1);
        bob.open(skipped, TO_RESPONDER);
        assertThat(bob.state.skippedKeyCount()).isZero();

        for (byte[] replay : new byte[][] {first, skipped, third}) {
            assertRefused(() -> bob.open(replay, TO_RESPONDER), Reason.KEY_USED_OR_DROPPED);
        }

        // After a round trip the three belong to an earlier chain of Bob's; one more is still missing there.
        byte[] late = alice.seal(text("4"), TO_RESPONDER);
        byte[] fifth = alice.seal(text("5"), TO_RESPONDER);
        bob.open(fifth, TO_RESPONDER);
        alice.open(bob.seal(text("reply"), TO_INITIATOR), TO_INITIATOR);
        bob.open(alice.seal(text("new chain"), TO_RESPONDER), TO_RESPONDER);
        for (byte[] replay : new byte[][] {first, third, fifth}) {
            assertRefused(() -> bob.open(replay, TO_RESPONDER), Reason.KEY_USED_OR_DROPPED);
        }
        assertThat(bob.open(late, TO_RESPONDER)).isEqualTo(text("4"));
        assertRefused(() -> bob.open(late, TO_RESPONDER), Reason.UNDECRYPTABLE);
    }

    @Test
    void aDamagedOrForeignStateIsMalformed() {
        byte[] good = alice.state.encode();
        SessionProtos.SessionState proto;
        try {
            proto = SessionProtos.SessionState.parseFrom(good);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }

        assertRefused(() -> SessionState.decode(new byte[] {(byte) 0xff, 1, 2}), Reason.MALFORMED);
        assertRefused(() -> SessionState.decode(new byte[0]), Reason.MALFORMED);
        assertRefused(() -> SessionState.decode(proto.toBuilder().setVersion(2).build().toByteArray()),
                Reason.MALFORMED);
        assertRefused(() -> SessionState.decode(proto.toBuilder().setRootKey(ByteString.copyFrom(new byte[31]))
                .build().toByteArray()), Reason.MALFORMED);
        assertRefused(() -> SessionState.decode(proto.toBuilder().clearSendingHeaderKey().build().toByteArray()),
                Reason.MALFORMED);
        assertRefused(() -> SessionState.decode(proto.toBuilder().clearSendingRatchetPrivate().build()
                .toByteArray()), Reason.MALFORMED);
        SessionProtos.SkippedMessageKey kept = SessionProtos.SkippedMessageKey.newBuilder()
                .setHeaderKey(ByteString.copyFrom(new byte[32])).setMessageKey(ByteString.copyFrom(new byte[32]))
                .build();
        SessionProtos.SessionState.Builder tooMany = proto.toBuilder();
        for (int i = 0; i <= Ratchet.MAX_SKIPPED_KEPT; i++) {
            tooMany.addSkipped(kept.toBuilder().setNumber(i));
        }
        assertRefused(() -> SessionState.decode(tooMany.build().toByteArray()), Reason.MALFORMED);
    }

    @Test
    void hostileBytesAreOnlyEverASessionException() throws SessionException {
        bob.open(alice.seal(text("first"), TO_RESPONDER), TO_RESPONDER);
        byte[] goodState = bob.state.encode();
        java.util.Random random = new java.util.Random(21);
        for (int i = 0; i < 2_000; i++) {
            byte[] message = new byte[random.nextInt(2 * Ratchet.OVERHEAD)];
            random.nextBytes(message);
            if (message.length > 0 && random.nextBoolean()) {
                message[0] = Ratchet.VERSION;
            }
            assertThatThrownBy(() -> bob.open(message, TO_RESPONDER)).isInstanceOf(SessionException.class);

            byte[] state = goodState.clone();
            state[random.nextInt(state.length)] ^= (byte) (1 + random.nextInt(255));
            try {
                SessionState.decode(state);
            } catch (SessionException refused) {
                assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
            }
        }
    }

    @Test
    void aStateNamesNoKey() {
        String shown = alice.state.toString() + bob.state + Ratchet.seal(alice.state, text("x"), TO_RESPONDER,
                Party.START);
        assertThat(shown).doesNotContain(java.util.HexFormat.of().formatHex(alice.state.rootKey))
                .doesNotContain(Arrays.toString(alice.state.rootKey));
    }
}
