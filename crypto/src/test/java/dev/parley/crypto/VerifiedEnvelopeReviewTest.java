package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.transport.multiformats.PeerId;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A review by attack of the room envelopes verified once: {@link TinkEnvelopeSealer#verify} hands out a
 * {@link VerifiedEnvelope} that is opened without a second check, and the senders' keys are decoded once and kept
 * ({@link SignerKeys}). An attacker tries to get an envelope through with another's name on it, altered after it was
 * signed, under a key the cache confused, or to make the cache grow.
 */
class VerifiedEnvelopeReviewTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity MALLORY = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final RoomId ROOM = RoomId.random();
    private static final RoomId OTHER_ROOM = RoomId.random();

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final SenderKeyRing alicesRing = new SenderKeyRing(ALICE.peerId());
    private final SenderKeyRing bobsRing = new SenderKeyRing(BOB.peerId());
    private long clock = 1;

    private byte[] aliceSays(long sequence) throws EnvelopeException {
        if (alicesRing.current(ROOM).isEmpty()) {
            SenderKey key = alicesRing.rotate(ROOM, 1);
            byte[] handOut = sealer.sealSenderKey(ALICE, BOB_CARD, key, clock++).encode();
            bobsRing.add(sealer.openSenderKey(sealer.openDirect(BOB, handOut, new InMemoryReplayGuard(10))));
        }
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), clock++, EnvelopeKind.TEXT);
        return sealer.sealRoom(ALICE, alicesRing.current(ROOM).orElseThrow(), fields, sequence,
                ("message " + sequence).getBytes(StandardCharsets.UTF_8)).encode();
    }

    private void assertRefused(byte[] encoded, Reason reason) {
        assertThatThrownBy(() -> sealer.verify(encoded))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(reason));
        assertThatThrownBy(() -> sealer.openRoomKeepingKey(encoded, bobsRing, id -> true))
                .isInstanceOf(EnvelopeException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<PeerId, ?> keptSignerKeys() throws ReflectiveOperationException {
        Field points = SignerKeys.class.getDeclaredField("points");
        points.setAccessible(true);
        return (Map<PeerId, ?>) points.get(null);
    }

    /** A PeerId inlining 32 bytes as an Ed25519 key, whatever they are (protobuf type 1, then the data). */
    private static PeerId inliningKeyBytes(byte[] key) {
        byte[] protobuf = new byte[4 + key.length];
        protobuf[0] = 0x08;
        protobuf[1] = 0x01;
        protobuf[2] = 0x12;
        protobuf[3] = (byte) key.length;
        System.arraycopy(key, 0, protobuf, 4, key.length);
        byte[] multihash = new byte[2 + protobuf.length];
        multihash[0] = 0x00;
        multihash[1] = (byte) protobuf.length;
        System.arraycopy(protobuf, 0, multihash, 2, protobuf.length);
        return PeerId.fromBytes(multihash);
    }

    /** The envelope with its header edited and its signature replaced by {@code signature}. */
    private static byte[] withSignature(byte[] encoded, UnaryOperator<EnvelopeProtos.EnvelopeHeader.Builder> edit,
            byte[] signature) throws InvalidProtocolBufferException {
        EnvelopeProtos.Envelope envelope = EnvelopeProtos.Envelope.parseFrom(encoded);
        EnvelopeProtos.EnvelopeHeader header = EnvelopeProtos.EnvelopeHeader.parseFrom(envelope.getHeader());
        return envelope.toBuilder()
                .setHeader(edit.apply(header.toBuilder()).build().toByteString())
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }

    /**
     * Alice's key is in the cache (her genuine envelope was verified); Mallory then signs with his own key envelopes
     * that name Alice as their sender, and signs Alice's own header and ciphertext again: each is refused.
     */
    @Test
    void anEnvelopeSignedByAnotherThanItsHeadersSenderIsRefusedWhileTheSendersKeyIsCached() throws Exception {
        byte[] genuine = aliceSays(1);
        assertThat(sealer.verify(genuine).header().sender()).isEqualTo(ALICE.peerId());
        assertThat(keptSignerKeys()).containsKey(ALICE.peerId());

        assertRefused(Forgery.editHeader(genuine, header -> header.setSequence(2), MALLORY), Reason.BAD_SIGNATURE);
        assertRefused(Forgery.editHeader(genuine, header -> header, MALLORY), Reason.BAD_SIGNATURE);
        // Mallory's key cached too: neither key answers for the other's name.
        byte[] mallorysOwn = Forgery.editHeader(genuine,
                header -> header.setSender(ByteString.copyFrom(MALLORY.peerId().bytes())), MALLORY);
        assertThat(sealer.verify(mallorysOwn).header().sender()).isEqualTo(MALLORY.peerId());
        assertRefused(Forgery.editHeader(mallorysOwn,
                header -> header.setSender(ByteString.copyFrom(ALICE.peerId().bytes()))), Reason.BAD_SIGNATURE);
        assertThat(sealer.verify(genuine).header().sender()).isEqualTo(ALICE.peerId());
    }

    /** Every field a member stores or checks by, altered after Alice signed: number, epoch, room, sender, kind, id. */
    @Test
    void anEnvelopeAlteredAfterItWasSignedIsRefusedInEveryHeaderField() throws Exception {
        byte[] genuine = aliceSays(5);
        sealer.verify(genuine);

        List<UnaryOperator<EnvelopeProtos.EnvelopeHeader.Builder>> edits = List.of(
                header -> header.setSequence(6),
                header -> header.setSequence(Long.MAX_VALUE),
                header -> header.setEpoch(2),
                header -> header.setRoomId(ByteString.copyFrom(OTHER_ROOM.bytes())),
                header -> header.setConversationId(ByteString.copyFrom(ConversationId.of(OTHER_ROOM).bytes())),
                header -> header.setSender(ByteString.copyFrom(MALLORY.peerId().bytes())),
                header -> header.setKind(EnvelopeProtos.Kind.EDIT),
                header -> header.setHlc(header.getHlc() + 1),
                header -> header.setMessageId(ByteString.copyFrom(MessageId.random().bytes())));
        for (UnaryOperator<EnvelopeProtos.EnvelopeHeader.Builder> edit : edits) {
            assertRefused(Forgery.editHeader(genuine, edit), Reason.BAD_SIGNATURE);
        }
        assertRefused(Forgery.flipCiphertextBit(genuine, 3), Reason.BAD_SIGNATURE);
        assertRefused(Forgery.flipSignatureBit(genuine), Reason.BAD_SIGNATURE);
        assertThat(sealer.openRoomKeepingKey(sealer.verify(genuine), bobsRing, id -> true).opened().plaintext())
                .isEqualTo("message 5".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A sender PeerId that inlines a small-order point (the identity) with the signature every lax verifier accepts
     * under it (R the identity, S zero), and one that inlines bytes off the curve: refused as malformed, and neither
     * is kept, so no later envelope is checked against it.
     */
    @Test
    void aPeerIdInliningABadPointNeitherVerifiesNorPoisonsTheCache() throws Exception {
        byte[] genuine = aliceSays(1);
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 1;
        byte[] universalSignature = new byte[64];
        universalSignature[0] = 1;
        byte[] offTheCurve = new byte[32];
        Arrays.fill(offTheCurve, (byte) 0xff);
        offTheCurve[31] = 0x7f;
        offTheCurve[0] = (byte) 0xed;

        for (byte[] point : List.of(identityPoint, offTheCurve)) {
            PeerId bad = inliningKeyBytes(point);
            byte[] forged = withSignature(genuine,
                    header -> header.setSender(ByteString.copyFrom(bad.bytes())), universalSignature);
            assertThatThrownBy(() -> sealer.verify(forged))
                    .isInstanceOf(EnvelopeException.class)
                    .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isIn(Reason.MALFORMED,
                            Reason.BAD_SIGNATURE));
            assertThat(keptSignerKeys()).doesNotContainKey(bad);
        }
        assertThat(sealer.verify(genuine).header().sender()).isEqualTo(ALICE.peerId());
    }

    /**
     * Envelopes from 1,500 strangers verified from 4 threads at once: the cache never holds much more than
     * {@link SignerKeys#MAX_KEPT} (a race may add one a thread past the bound before it is cleared), and after the
     * flood a genuine envelope verifies and a forged one still does not.
     */
    @Test
    void aFloodOfStrangersFromSeveralThreadsKeepsTheCacheBoundedAndCorrect() throws Exception {
        int threads = 4;
        List<Identity> strangers = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            strangers.add(Identity.generate());
        }
        byte[] genuine = aliceSays(1);
        List<byte[]> signed = new ArrayList<>();
        for (Identity stranger : strangers) {
            signed.add(Forgery.editHeader(genuine,
                    header -> header.setSender(ByteString.copyFrom(stranger.peerId().bytes())), stranger));
        }
        int largest = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    int seen = 0;
                    for (int i = first; i < signed.size(); i += threads) {
                        sealer.verify(signed.get(i));
                        seen = Math.max(seen, keptSignerKeys().size());
                    }
                    return seen;
                }));
            }
            for (Future<Integer> part : parts) {
                largest = Math.max(largest, part.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(largest).isLessThanOrEqualTo(SignerKeys.MAX_KEPT + threads);
        assertThat(keptSignerKeys().size()).isLessThanOrEqualTo(SignerKeys.MAX_KEPT + threads);
        assertThat(sealer.verify(genuine).header().sender()).isEqualTo(ALICE.peerId());
        assertRefused(Forgery.editHeader(genuine, header -> header.setSequence(9), strangers.getLast()),
                Reason.BAD_SIGNATURE);
    }

    /** Only the sealer makes a VerifiedEnvelope: code outside the package cannot wrap an unchecked envelope. */
    @Test
    void noCodeOutsideTheCryptoPackageCanMakeAVerifiedEnvelope() {
        assertThat(VerifiedEnvelope.class.getDeclaredConstructors())
                .allSatisfy(constructor -> assertThat(Modifier.isPublic(constructor.getModifiers())
                        || Modifier.isProtected(constructor.getModifiers())).isFalse());
        assertThat(Modifier.isFinal(VerifiedEnvelope.class.getModifiers())).isTrue();
    }
}
