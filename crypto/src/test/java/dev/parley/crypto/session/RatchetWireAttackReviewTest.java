package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.crypto.session.SessionException.Reason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A review of the ratchet by an attacker who records, replays, reorders, alters, truncates and re-encodes every byte
 * on the wire, and, where a test says so, by a hostile peer who holds the session's keys and sends authentic headers
 * with whatever they like inside. Every refused open goes through {@link Party#open}, which also checks that the
 * refusal left the receiver's encoded state byte for byte as it was.
 */
class RatchetWireAttackReviewTest {
    private static final byte[] TO_BOB = "to bob".getBytes(UTF_8);
    private static final byte[] TO_ALICE = "to alice".getBytes(UTF_8);
    private static final byte[] HEADER_ASSOCIATED_DATA = {Ratchet.VERSION};

    private final Party[] session = Party.newSession();
    private final Party alice = session[0];
    private final Party bob = session[1];

    private record Recorded(Party sender, Party receiver, byte[] message, byte[] associatedData, String text) {
    }

    private Recorded send(Party sender, String text) {
        Party receiver = sender == alice ? bob : alice;
        byte[] associatedData = sender == alice ? TO_BOB : TO_ALICE;
        return new Recorded(sender, receiver, sender.seal(text.getBytes(UTF_8), associatedData), associatedData, text);
    }

    private static void deliver(Recorded recorded) throws SessionException {
        assertThat(recorded.receiver().open(recorded.message(), recorded.associatedData())).asString(UTF_8)
                .isEqualTo(recorded.text());
    }

    private static void assertRefused(ThrowingCallable open, Reason... reasons) {
        assertThatThrownBy(open).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason()).isIn((Object[]) reasons));
    }

    /** Every way an attacker can re-encode a recorded message without a key: none of them may open. */
    private static List<byte[]> reencodings(byte[] message) {
        List<byte[]> variants = new ArrayList<>();
        variants.add(message.clone());
        for (int version : new int[] {0, 2, 0x81, 0xff}) {
            byte[] other = message.clone();
            other[0] = (byte) version;
            variants.add(other);
        }
        for (int i = 1; i <= AesGcm.NONCE_SIZE; i++) {
            byte[] otherNonce = message.clone();
            otherNonce[i] ^= 1;
            variants.add(otherNonce);
        }
        variants.add(Arrays.copyOf(message, message.length - 1));
        variants.add(Arrays.copyOf(message, message.length + 1));
        byte[] shiftedPayload = Arrays.copyOf(message, message.length + 1);
        System.arraycopy(message, 1 + RatchetHeader.ENCRYPTED_SIZE, shiftedPayload, 2 + RatchetHeader.ENCRYPTED_SIZE,
                message.length - 1 - RatchetHeader.ENCRYPTED_SIZE);
        variants.add(shiftedPayload);
        return variants;
    }

    /**
     * After every delivery, in a conversation of turns with reordering, losses that leave kept keys, kept keys that
     * expire and kept keys that are opened, every message delivered so far is replayed to its receiver as it was and
     * in every re-encoding, and reflected to its sender: none opens, and none changes the state.
     */
    @Test
    void everyDeliveredMessageReplayedAfterEveryLaterStepIsRefusedInEveryEncoding() throws SessionException {
        Random random = new Random(2121);
        List<Recorded> delivered = new ArrayList<>();
        List<Recorded> held = new ArrayList<>();
        for (int turn = 0; turn < 10; turn++) {
            if (turn == 5) {
                // A month passes: the keys kept for the messages held so far expire before these arrive.
                alice.now = alice.now.plus(Ratchet.SKIPPED_KEY_LIFETIME).plusSeconds(1);
                bob.now = bob.now.plus(Ratchet.SKIPPED_KEY_LIFETIME).plusSeconds(1);
                for (Recorded late : held) {
                    assertRefused(() -> late.receiver().open(late.message(), late.associatedData()),
                            Reason.KEY_USED_OR_DROPPED, Reason.UNDECRYPTABLE);
                }
                held.clear();
            }
            if (turn == 8) {
                // The keys kept since the month passed are still there: these late messages open, once.
                for (Recorded late : held) {
                    deliver(late);
                    delivered.add(late);
                    replayEverything(delivered);
                }
                held.clear();
            }
            Party sender = turn % 2 == 0 ? alice : bob;
            List<Recorded> burst = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                burst.add(send(sender, "turn " + turn + " message " + i));
            }
            // Never the last of a burst: a later message of the same chain makes the receiver keep the held one's key.
            held.add(burst.remove(random.nextInt(burst.size() - 1)));
            Collections.shuffle(burst, random);
            for (Recorded recorded : burst) {
                deliver(recorded);
                delivered.add(recorded);
                replayEverything(delivered);
            }
        }
        assertThat(delivered).hasSize(10 * 3 + 3);
    }

    private static void replayEverything(List<Recorded> delivered) {
        for (Recorded old : delivered) {
            for (byte[] variant : reencodings(old.message())) {
                assertRefused(() -> old.receiver().open(variant, old.associatedData()), Reason.MALFORMED,
                        Reason.UNDECRYPTABLE, Reason.KEY_USED_OR_DROPPED);
                assertRefused(() -> old.sender().open(variant, old.associatedData()), Reason.MALFORMED,
                        Reason.UNDECRYPTABLE);
            }
        }
    }

    /**
     * A wire attacker who holds a message that starts the peer's next chain (its header opens under the receiver's
     * next header key) damages its payload and sends it again and again: each try makes the receiver take a DH step
     * in a draft, and each is refused without a change, so the real message still opens.
     */
    @Test
    void aDamagedMessageThatStartsANewChainChangesNothingHoweverOftenItIsSent() throws SessionException {
        deliver(send(alice, "hello"));
        deliver(send(bob, "hi"));
        Recorded newChain = send(alice, "a new chain of alice's");
        byte[] before = bob.state.encode();
        for (int i = 0; i < 5; i++) {
            byte[] damaged = newChain.message().clone();
            damaged[damaged.length - 1 - i] ^= 0x40;
            assertRefused(() -> bob.open(damaged, TO_BOB), Reason.UNDECRYPTABLE);
            assertRefused(() -> bob.open(damaged, "another context".getBytes(UTF_8)), Reason.UNDECRYPTABLE);
        }
        assertThat(bob.state.encode()).isEqualTo(before);
        deliver(newChain);
    }

    /**
     * The payload's associated data is the caller's followed by the encrypted header, without a length: since the
     * header is always the last 68 bytes, no other caller data (a prefix, an extension, moved bytes) opens.
     */
    @Test
    void theCallersAssociatedDataIsBoundExactly() throws SessionException {
        byte[] context = "envelope header".getBytes(UTF_8);
        byte[] message = alice.seal("bound".getBytes(UTF_8), context);
        byte[] header = Arrays.copyOfRange(message, 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
        List<byte[]> others = new ArrayList<>();
        others.add(new byte[0]);
        others.add(Arrays.copyOf(context, context.length - 1));
        others.add(Arrays.copyOf(context, context.length + 1));
        others.add(Arrays.copyOfRange(context, 1, context.length));
        byte[] withHeader = Arrays.copyOf(context, context.length + header.length);
        System.arraycopy(header, 0, withHeader, context.length, header.length);
        others.add(withHeader);
        for (byte[] other : others) {
            assertRefused(() -> bob.open(message, other), Reason.UNDECRYPTABLE);
        }
        assertThat(bob.open(message, context)).asString(UTF_8).isEqualTo("bound");
    }

    /** Two initiators or two responders started from the same secrets fail closed: nothing opens either way. */
    @Test
    void sidesStartedInTheWrongRolesOpenNothing() throws SessionException {
        SecureRandom random = new SecureRandom();
        byte[][] keys = new byte[3][32];
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
        SessionSecrets secrets = new SessionSecrets(keys[0], keys[1], keys[2]);
        RatchetKeyPair bobsRatchet = RatchetKeyPair.generate();
        Party first = new Party("initiator", SessionState.initiator(secrets, bobsRatchet.publicKey()));
        Party second = new Party("second initiator", SessionState.initiator(secrets, bobsRatchet.publicKey()));
        byte[] fromFirst = first.seal("one".getBytes(UTF_8), TO_BOB);
        byte[] fromSecond = second.seal("two".getBytes(UTF_8), TO_BOB);
        assertRefused(() -> second.open(fromFirst, TO_BOB), Reason.UNDECRYPTABLE);
        assertRefused(() -> first.open(fromSecond, TO_BOB), Reason.UNDECRYPTABLE);

        Party bothResponders = new Party("responder", SessionState.responder(secrets, bobsRatchet));
        assertThat(bothResponders.state.canSeal()).isFalse();
        assertThatThrownBy(() -> bothResponders.seal("x".getBytes(UTF_8), TO_BOB))
                .isInstanceOf(IllegalStateException.class);
        // The right responder opens exactly one of the two initiators' sessions: the other's first message is not
        // another first message of the same session.
        assertThat(bothResponders.open(fromFirst, TO_BOB)).asString(UTF_8).isEqualTo("one");
        assertRefused(() -> bothResponders.open(fromSecond, TO_BOB), Reason.UNDECRYPTABLE, Reason.KEY_USED_OR_DROPPED);
    }

    /**
     * Points of small order (0, 1, order 8, p - 1, and the non-canonical p, p + 1) with bit 255 set: X25519 ignores
     * that bit (RFC 7748, 5), so each of them is the small-order point without it and gives an all-zero secret.
     */
    private static final String[] SMALL_ORDER_WITH_HIGH_BIT = {
        "0000000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"};

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void aSmallOrderKeyWithItsHighBitSetIsRefusedByTheKeyPairAndTheInitiator(int which) {
        byte[] smallOrder = HexFormat.of().parseHex(SMALL_ORDER_WITH_HIGH_BIT[which]);
        assertThatThrownBy(() -> RatchetKeyPair.generate().agree(smallOrder))
                .isInstanceOf(GeneralSecurityException.class);
        SessionSecrets secrets = new SessionSecrets(new byte[32], new byte[32], new byte[32]);
        assertRefused(() -> SessionState.initiator(secrets, smallOrder), Reason.MALFORMED);
    }

    /**
     * A hostile peer, who holds the header key the receiver expects for its next chain, sends an authentic header
     * carrying a small-order ratchet key (canonical, or with its high bit set): MALFORMED, and nothing changes.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"})
    void anAuthenticHeaderWithASmallOrderRatchetKeyIsMalformedAndChangesNothing(String smallOrderHex)
            throws SessionException {
        deliver(send(alice, "hello"));
        deliver(send(bob, "hi"));
        // Having opened Bob's message, Alice's sending header key is the one Bob expects for her next chain.
        byte[] hostile = hostileMessage(alice.state.sendingHeaderKey,
                new RatchetHeader(HexFormat.of().parseHex(smallOrderHex), 0, 0));
        assertRefused(() -> bob.open(hostile, TO_BOB), Reason.MALFORMED);
        deliver(send(alice, "still fine"));
    }

    /** An encrypted header sealed under {@code headerKey}, followed by a payload no key opens. */
    static byte[] hostileMessage(byte[] headerKey, RatchetHeader header) {
        byte[] encryptedHeader = header.seal(headerKey, HEADER_ASSOCIATED_DATA);
        byte[] message = new byte[1 + encryptedHeader.length + 32];
        message[0] = Ratchet.VERSION;
        System.arraycopy(encryptedHeader, 0, message, 1, encryptedHeader.length);
        return message;
    }

    /**
     * A hostile peer announces a previous chain far longer than the receiver has seen: refused before any key is kept,
     * and the honest peer's next messages still open.
     */
    @Test
    void aHostilePeersPreviousChainLengthBeyondTheBoundIsRefusedAndChangesNothing() throws SessionException {
        deliver(send(alice, "hello"));
        deliver(send(bob, "hi"));
        byte[] hostile = hostileMessage(alice.state.sendingHeaderKey,
                new RatchetHeader(RatchetKeyPair.generate().publicKey(), 1 + Ratchet.MAX_SKIP + 1, 0));
        assertRefused(() -> bob.open(hostile, TO_BOB), Reason.TOO_FAR_AHEAD);
        byte[] farInNewChain = hostileMessage(alice.state.sendingHeaderKey,
                new RatchetHeader(RatchetKeyPair.generate().publicKey(), 1, RatchetHeader.MAX_NUMBER));
        assertRefused(() -> bob.open(farInNewChain, TO_BOB), Reason.TOO_FAR_AHEAD);
        deliver(send(alice, "still fine"));
        assertThat(bob.state.skippedKeyCount()).isZero();
    }

    /** Keys kept for lost messages live their lifetime from when they were kept, counted on the receiver's clock. */
    @Test
    void aMessageLostLongerThanTheLifetimeIsRefusedAndItsKeyIsGone() throws SessionException {
        Recorded lost = send(alice, "lost");
        deliver(send(alice, "arrives"));
        assertThat(bob.state.skippedKeyCount()).isEqualTo(1);
        bob.now = bob.now.plus(Ratchet.SKIPPED_KEY_LIFETIME).minus(Duration.ofSeconds(1));
        deliver(send(alice, "a day before expiry"));
        assertThat(bob.state.skippedKeyCount()).isEqualTo(1);
        bob.now = bob.now.plus(Duration.ofSeconds(1));
        assertRefused(() -> bob.open(lost.message(), TO_BOB), Reason.KEY_USED_OR_DROPPED);
        deliver(send(alice, "after expiry"));
        assertThat(bob.state.skippedKeyCount()).isZero();
        assertRefused(() -> bob.open(lost.message(), TO_BOB), Reason.KEY_USED_OR_DROPPED);
    }

    /**
     * Header keys are never reused across chains or directions: each sending chain of either side (told apart by its
     * ratchet key) seals its headers under a header key no other chain uses, so a header of one chain can never be
     * read as a header of another.
     */
    @Test
    void everyChainOfEitherSideHasAHeaderKeyOfItsOwn() throws SessionException {
        java.util.Map<String, String> chainByHeaderKey = new java.util.HashMap<>();
        HexFormat hex = HexFormat.of();
        Random random = new Random(7);
        for (int turn = 0; turn < 12; turn++) {
            Party sender = random.nextInt(3) == 0 ? bob : alice;
            if (!sender.state.canSeal()) {
                sender = alice;
            }
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                Recorded recorded = send(sender, "turn " + turn);
                String chain = sender.name + " " + hex.formatHex(sender.state.sendingRatchet.publicKey());
                String previous = chainByHeaderKey.putIfAbsent(hex.formatHex(sender.state.sendingHeaderKey), chain);
                assertThat(previous == null ? chain : previous).isEqualTo(chain);
                deliver(recorded);
            }
        }
        assertThat(chainByHeaderKey).hasSizeGreaterThan(4);
        assertThat(chainByHeaderKey.keySet()).doesNotContain(hex.formatHex(alice.state.nextReceivingHeaderKey),
                hex.formatHex(bob.state.nextReceivingHeaderKey));
    }

    /**
     * The payload salt: a caller who seals twice from one state uses one message key twice. The two payloads must
     * still not share a keystream (under one AES-GCM key and nonce, the XOR of the ciphertexts would be the XOR of the
     * plaintexts), and each payload key comes from the message key and that message's own header nonce.
     */
    @Test
    void sealingTwiceFromOneStateSharesNoKeystreamBetweenTheTwoPayloads() throws SessionException {
        SessionState once = alice.state;
        byte[] messageKey = RatchetKdf.chain(once.sendingChainKey).messageKey();
        byte[] first = "attack at dawn, the eastern gate".getBytes(UTF_8);
        byte[] second = "retreat at dusk, the western gate".getBytes(UTF_8);
        byte[] sealedFirst = Ratchet.seal(once, first, TO_BOB, Party.START).message();
        byte[] sealedSecond = Ratchet.seal(once, Arrays.copyOf(second, first.length), TO_BOB, Party.START).message();

        int payload = 1 + RatchetHeader.ENCRYPTED_SIZE;
        boolean keystreamShared = true;
        for (int i = 0; i < first.length; i++) {
            keystreamShared &= (sealedFirst[payload + i] ^ sealedSecond[payload + i]) == (first[i] ^ second[i]);
        }
        assertThat(keystreamShared).isFalse();
        RatchetKdf.PayloadKey firstKey = RatchetKdf.payload(messageKey, Arrays.copyOfRange(sealedFirst, 1, 13));
        RatchetKdf.PayloadKey secondKey = RatchetKdf.payload(messageKey, Arrays.copyOfRange(sealedSecond, 1, 13));
        assertThat(firstKey.key()).isNotEqualTo(secondKey.key());
        assertThat(firstKey.nonce()).isNotEqualTo(secondKey.nonce());
        assertThat(bob.open(sealedSecond, TO_BOB)).isEqualTo(Arrays.copyOf(second, first.length));
        assertRefused(() -> bob.open(sealedFirst, TO_BOB), Reason.KEY_USED_OR_DROPPED);
    }
}
