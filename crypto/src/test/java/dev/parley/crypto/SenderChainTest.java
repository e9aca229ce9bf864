package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.Hkdf;
import com.google.protobuf.ByteString;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.wire.EnvelopeProtos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Chained sender keys: the derivation, skipped keys and their bounds, and what a stolen key does not open. */
class SenderChainTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity CAROL = Identity.generate();
    private static final ContactCard CAROL_CARD = ContactCard.create(CAROL, "Carol");
    private static final RoomId ROOM = RoomId.random();
    private static final long EPOCH = 4;

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final SenderKeyRing alicesRing = new SenderKeyRing(ALICE.peerId(), clock);
    private final SenderKeyRing carolsRing = new SenderKeyRing(CAROL.peerId(), clock);
    private long hlc = 1;

    private SenderKey aliceRotates(long firstIteration) {
        return alicesRing.rotate(ROOM, EPOCH, firstIteration);
    }

    /** Alice's key handed to Carol the real way: a SENDER_KEY envelope sealed 1:1, opened and checked. */
    private SenderKey handToCarol(SenderKey key) throws EnvelopeException {
        byte[] sealed = sealer.sealSenderKey(ALICE, CAROL_CARD, key, hlc++).encode();
        return carolsRing.add(sealer.openSenderKey(sealer.openDirect(CAROL, sealed, id -> true)));
    }

    private byte[] aliceSays(long sequence) throws EnvelopeException {
        SenderKey key = alicesRing.current(ROOM).orElseThrow();
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), hlc++, EnvelopeKind.TEXT);
        return sealer.sealRoom(ALICE, key, fields, sequence, text(sequence)).encode();
    }

    private static byte[] text(long sequence) {
        return ("message " + sequence).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] open(byte[] envelope, SenderKeyRing ring) throws EnvelopeException {
        return sealer.openRoom(envelope, ring, id -> true).plaintext();
    }

    private void assertRefused(byte[] envelope, SenderKeyRing ring, Reason reason) {
        assertThatThrownBy(() -> open(envelope, ring)).isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(reason));
    }

    @Test
    void messageKeysFollowTheSpecifiedChain() throws Exception {
        SenderKey key = aliceRotates(1);
        byte[] chainKey = EnvelopeProtos.SenderKey.parseFrom(key.encodeForMembers()).getKey().toByteArray();
        byte[] first = aliceSays(1);
        byte[] second = aliceSays(2);

        // Derived here from the specification with the JDK and Tink, apart from SenderKey's own code.
        byte[] nextChainKey = hmac(chainKey, (byte) 0x02);
        assertThat(decryptWith(messageKey(chainKey), first)).isEqualTo(text(1));
        assertThat(decryptWith(messageKey(nextChainKey), second)).isEqualTo(text(2));
        assertThat(EnvelopeProtos.SenderKey.parseFrom(key.encodeForMembers()).getKey().toByteArray())
                .isEqualTo(hmac(nextChainKey, (byte) 0x02));
        assertThat(key.iteration()).isEqualTo(3);
    }

    private static byte[] hmac(byte[] key, byte seed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(new byte[] {seed});
    }

    private static byte[] messageKey(byte[] chainKey) throws Exception {
        return Hkdf.computeHkdf("HMACSHA256", hmac(chainKey, (byte) 0x01), new byte[0],
                "parley/sender-chain/message/1".getBytes(StandardCharsets.UTF_8), 32);
    }

    private static byte[] decryptWith(byte[] messageKey, byte[] encoded) throws Exception {
        Envelope envelope = Envelope.decode(encoded);
        byte[] sealed = envelope.ciphertext();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(messageKey, "AES"),
                new GCMParameterSpec(128, sealed, 0, 12));
        cipher.updateAAD(envelope.headerBytes());
        return cipher.doFinal(sealed, 12, sealed.length - 12);
    }

    @Test
    void messagesOpenInAnyOrderAndEachOnlyOnce() throws Exception {
        handToCarol(aliceRotates(1));
        List<byte[]> envelopes = new ArrayList<>();
        for (long n = 1; n <= 60; n++) {
            envelopes.add(aliceSays(n));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(21));

        for (int i : order) {
            assertThat(open(envelopes.get(i), carolsRing)).isEqualTo(text(i + 1));
        }

        SenderKey carols = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();
        assertThat(carols.skippedKeys()).isZero();
        assertThat(carols.iteration()).isEqualTo(61);
        for (byte[] envelope : envelopes) {
            assertRefused(envelope, carolsRing, Reason.MESSAGE_KEY_GONE);
        }
    }

    @Test
    void aGapBeyondTheMaximumSkipWaitsAndChangesNothing() throws Exception {
        handToCarol(aliceRotates(1));
        byte[] first = aliceSays(1);
        byte[] farAhead = aliceSays(SenderKey.MAX_SKIP + 2);

        assertRefused(farAhead, carolsRing, Reason.TOO_FAR_AHEAD);
        SenderKey carols = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();
        assertThat(carols.iteration()).isEqualTo(1);
        assertThat(carols.skippedKeys()).isZero();

        assertThat(open(first, carolsRing)).isEqualTo(text(1));
        assertThat(open(farAhead, carolsRing)).isEqualTo(text(SenderKey.MAX_SKIP + 2));
        assertThat(carols.skippedKeys()).isEqualTo(SenderKey.MAX_SKIP);
    }

    @Test
    void skippedKeysAreBoundedOldestDroppedAndExpire() throws Exception {
        handToCarol(aliceRotates(1));
        List<byte[]> envelopes = new ArrayList<>();
        envelopes.add(null);
        for (long n = 1; n <= 2 * SenderKey.MAX_SKIP + 2; n++) {
            envelopes.add(aliceSays(n));
        }
        SenderKey carols = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();

        open(envelopes.get(SenderKey.MAX_SKIP + 1), carolsRing);
        open(envelopes.get(2 * SenderKey.MAX_SKIP + 2), carolsRing);

        assertThat(carols.skippedKeys()).isEqualTo(SenderKey.MAX_SKIPPED_KEYS);
        assertRefused(envelopes.get(1), carolsRing, Reason.MESSAGE_KEY_GONE);
        assertRefused(envelopes.get(SenderKey.MAX_SKIP), carolsRing, Reason.MESSAGE_KEY_GONE);
        assertThat(open(envelopes.get(2 * SenderKey.MAX_SKIP + 1), carolsRing))
                .isEqualTo(text(2 * SenderKey.MAX_SKIP + 1));

        now.set(now.get().plus(SenderKey.SKIPPED_KEY_LIFETIME).plus(Duration.ofMinutes(1)));
        assertRefused(envelopes.get(2 * SenderKey.MAX_SKIP), carolsRing, Reason.MESSAGE_KEY_GONE);
        assertThat(carols.skippedKeys()).isZero();
    }

    @Test
    void aStolenCurrentKeyOpensNoEarlierMessageOfItsEpoch() throws Exception {
        handToCarol(aliceRotates(1));
        List<byte[]> recorded = new ArrayList<>();
        for (long n = 1; n <= 40; n++) {
            recorded.add(aliceSays(n));
        }
        List<byte[]> delivered = new ArrayList<>(recorded);
        Collections.shuffle(delivered, new Random(7));
        for (byte[] envelope : delivered) {
            open(envelope, carolsRing);
        }

        byte[] carolsStoredKey = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow().encode();
        byte[] alicesStoredKey = alicesRing.current(ROOM).orElseThrow().encode();
        for (byte[] stolen : List.of(carolsStoredKey, alicesStoredKey)) {
            SenderKeyRing thief = SenderKeyRing.of(CAROL.peerId(), List.of(SenderKey.decode(stolen)), clock);
            for (byte[] envelope : recorded) {
                assertRefused(envelope, thief, Reason.MESSAGE_KEY_GONE);
            }
        }
        // What the key is for still works: the next message opens with the stolen state too.
        byte[] next = aliceSays(41);
        SenderKeyRing thief = SenderKeyRing.of(CAROL.peerId(), List.of(SenderKey.decode(carolsStoredKey)), clock);
        assertThat(open(next, thief)).isEqualTo(text(41));
    }

    @Test
    void aStolenKeyOpensOfTheEarlierMessagesOnlyThoseNotYetArrived() throws Exception {
        handToCarol(aliceRotates(1));
        List<byte[]> recorded = new ArrayList<>();
        for (long n = 1; n <= 20; n++) {
            recorded.add(aliceSays(n));
        }
        for (int i = 0; i < recorded.size(); i++) {
            if (i + 1 != 13) {
                open(recorded.get(i), carolsRing);
            }
        }
        SenderKeyRing thief = SenderKeyRing.of(CAROL.peerId(),
                List.of(SenderKey.decode(carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow().encode())), clock);

        for (int i = 0; i < recorded.size(); i++) {
            if (i + 1 == 13) {
                assertThat(open(recorded.get(i), thief)).isEqualTo(text(13));
            } else {
                assertRefused(recorded.get(i), thief, Reason.MESSAGE_KEY_GONE);
            }
        }
    }

    @Test
    void aMemberHandedTheKeyMidEpochReadsFromThenOnNotBefore() throws Exception {
        aliceRotates(1);
        List<byte[]> before = new ArrayList<>();
        for (long n = 1; n <= 5; n++) {
            before.add(aliceSays(n));
        }
        SenderKey carols = handToCarol(alicesRing.current(ROOM).orElseThrow());
        byte[] after = aliceSays(6);

        assertThat(carols.iteration()).isEqualTo(6);
        for (byte[] envelope : before) {
            assertRefused(envelope, carolsRing, Reason.MESSAGE_KEY_GONE);
        }
        assertThat(open(after, carolsRing)).isEqualTo(text(6));
    }

    @Test
    void anEarlierHandOutArrivingLateAddsTheMessagesBeforeWithoutGoingBack() throws Exception {
        SenderKey first = aliceRotates(1);
        byte[] handedAtOne = sealer.sealSenderKey(ALICE, CAROL_CARD, first, hlc++).encode();
        List<byte[]> envelopes = new ArrayList<>();
        for (long n = 1; n <= 5; n++) {
            envelopes.add(aliceSays(n));
        }
        handToCarol(first);
        byte[] sixth = aliceSays(6);
        assertThat(open(sixth, carolsRing)).isEqualTo(text(6));

        carolsRing.add(sealer.openSenderKey(sealer.openDirect(CAROL, handedAtOne, id -> true)));

        for (int i = 0; i < envelopes.size(); i++) {
            assertThat(open(envelopes.get(i), carolsRing)).isEqualTo(text(i + 1));
        }
        assertRefused(sixth, carolsRing, Reason.MESSAGE_KEY_GONE);
        assertThat(carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow().iteration()).isEqualTo(7);
    }

    @Test
    void aMessageThatDoesNotDecryptMovesNothingOn() throws Exception {
        handToCarol(aliceRotates(1));
        SenderKeyRing forger = new SenderKeyRing(ALICE.peerId(), clock);
        forger.rotate(ROOM, EPOCH, 1);
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), hlc++, EnvelopeKind.TEXT);
        byte[] forged = sealer.sealRoom(ALICE, forger.current(ROOM).orElseThrow(), fields, 30, text(30)).encode();

        assertRefused(forged, carolsRing, Reason.DECRYPTION_FAILED);
        SenderKey carols = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();
        assertThat(carols.iteration()).isEqualTo(1);
        assertThat(carols.skippedKeys()).isZero();
        assertThat(open(aliceSays(1), carolsRing)).isEqualTo(text(1));
    }

    @Test
    void theOwnerNeverSealsTwoMessagesUnderOneKey() {
        aliceRotates(10);
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), hlc++, EnvelopeKind.TEXT);
        SenderKey key = alicesRing.current(ROOM).orElseThrow();

        assertThatThrownBy(() -> sealer.sealRoom(ALICE, key, fields, 9, text(9)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theStoredFormKeepsSkippedKeysAndTheHandedOutFormNever() throws Exception {
        handToCarol(aliceRotates(1));
        byte[] first = aliceSays(1);
        byte[] third = aliceSays(3);
        byte[] fourth = aliceSays(4);
        open(first, carolsRing);
        open(fourth, carolsRing);
        SenderKey carols = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();

        SenderKey restored = SenderKey.decode(carols.encode());
        assertThat(restored).isEqualTo(carols);
        assertThat(restored.skippedKeys()).isEqualTo(2);
        SenderKeyRing afterRestart = SenderKeyRing.of(CAROL.peerId(), List.of(restored), clock);
        assertThat(open(third, afterRestart)).isEqualTo(text(3));

        byte[] withSkipped = carols.encode();
        assertThatThrownBy(() -> SenderKey.decodeHandedOut(withSkipped)).isInstanceOf(InvalidSenderKeyException.class);
        assertThat(EnvelopeProtos.SenderKey.parseFrom(carols.encodeForMembers()).getSkippedCount()).isZero();
    }

    @Test
    void aKeyStoredBeforeChainsReadsAsStatic() throws Exception {
        byte[] aesKey = new byte[32];
        Arrays.fill(aesKey, (byte) 7);
        byte[] storedBefore = EnvelopeProtos.SenderKey.newBuilder()
                .setRoomId(ByteString.copyFrom(ROOM.bytes())).setOwner(ByteString.copyFrom(ALICE.peerId().bytes()))
                .setEpoch(2).setKey(ByteString.copyFrom(aesKey)).build().toByteArray();

        SenderKey key = SenderKey.decode(storedBefore);

        assertThat(key.isChained()).isFalse();
        assertThat(key.iteration()).isZero();
        assertThat(key.encode()).isEqualTo(storedBefore);
    }
}
