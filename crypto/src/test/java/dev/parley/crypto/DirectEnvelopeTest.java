package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.transport.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class DirectEnvelopeTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final Identity MALLORY = Identity.generate();
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final ContactCard MALLORY_CARD = ContactCard.create(MALLORY, "Mallory");
    private static final byte[] TEXT = "Meet at the station at nine.".getBytes(StandardCharsets.UTF_8);

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final ReplayGuard bobsGuard = new InMemoryReplayGuard(1000);
    private final HeaderFields fields = HeaderFields.of(
            ConversationId.direct(ALICE.peerId(), BOB.peerId()), 1_700_000_000_000L << 16, EnvelopeKind.TEXT);

    private byte[] sealToBob() throws EnvelopeException {
        return sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).encode();
    }

    private AbstractThrowableAssert<?, ?> assertBobRejects(byte[] encoded, Reason reason) {
        return assertThatThrownBy(() -> sealer.openDirect(BOB, encoded, bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(reason));
    }

    @Test
    void roundTrips() throws Exception {
        byte[] encoded = sealToBob();

        Opened opened = sealer.openDirect(BOB, encoded, bobsGuard);

        assertThat(opened.plaintext()).isEqualTo(TEXT);
        EnvelopeHeader header = opened.header();
        assertThat(header).isEqualTo(new EnvelopeHeader(Envelope.VERSION, fields.messageId(),
                fields.conversationId(), ALICE.peerId(), new Recipient.Peer(BOB.peerId()), 0, fields.hlc(),
                EnvelopeKind.TEXT, 0, EnvelopeHeader.Sealing.SIGNED));
        assertThat(Envelope.decode(encoded).header()).isEqualTo(header);
    }

    @Test
    void theCiphertextDoesNotShowThePlaintext() throws Exception {
        byte[] ciphertext = Envelope.decode(sealToBob()).ciphertext();

        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("station");
    }

    @Test
    void aReplayIsRejected() throws Exception {
        byte[] encoded = sealToBob();
        sealer.openDirect(BOB, encoded, bobsGuard);

        assertBobRejects(encoded, Reason.REPLAYED)
                .hasMessageContaining(fields.messageId().toString())
                .hasMessageContaining(ALICE.peerId().toString());
    }

    @Test
    void aChangedHeaderBreaksTheSignature() throws Exception {
        byte[] tampered = Forgery.editHeader(sealToBob(), header -> header.setHlc(header.getHlc() + 1));

        assertBobRejects(tampered, Reason.BAD_SIGNATURE).hasMessageContaining(fields.messageId().toString());
    }

    @Test
    void aChangedCiphertextBreaksTheSignature() throws Exception {
        assertBobRejects(Forgery.flipCiphertextBit(sealToBob(), 40), Reason.BAD_SIGNATURE);
    }

    @Test
    void aChangedSignatureIsRejected() throws Exception {
        assertBobRejects(Forgery.flipSignatureBit(sealToBob()), Reason.BAD_SIGNATURE);
    }

    @Test
    void aRejectedForgeryDoesNotUseUpTheMessageId() throws Exception {
        byte[] encoded = sealToBob();
        assertBobRejects(Forgery.flipCiphertextBit(encoded, 40), Reason.BAD_SIGNATURE);
        assertBobRejects(Forgery.spliceCiphertext(encoded, encoded, MALLORY), Reason.BAD_SIGNATURE);

        assertThat(sealer.openDirect(BOB, encoded, bobsGuard).plaintext()).isEqualTo(TEXT);
    }

    @Test
    void anEnvelopeForSomeoneElseIsRejected() throws Exception {
        byte[] encoded = sealToBob();

        assertThatThrownBy(() -> sealer.openDirect(MALLORY, encoded, new InMemoryReplayGuard(10)))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("addressed to peer " + BOB.peerId())
                .hasMessageContaining("not to " + MALLORY.peerId())
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_RECIPIENT));
    }

    @Test
    void redirectingAndResigningDoesNotMakeItReadable() throws Exception {
        byte[] redirected = Forgery.editHeader(sealToBob(), header -> header
                .setSender(ByteString.copyFrom(MALLORY.peerId().bytes()))
                .setRecipientPeer(ByteString.copyFrom(MALLORY.peerId().bytes())), MALLORY);

        assertThatThrownBy(() -> sealer.openDirect(MALLORY, redirected, new InMemoryReplayGuard(10)))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.DECRYPTION_FAILED));
    }

    @Test
    void aCiphertextMovedUnderAnotherHeaderDoesNotDecrypt() throws Exception {
        byte[] genuine = sealToBob();
        byte[] mallorysOwn = sealer.sealDirect(MALLORY, BOB_CARD, fields, new byte[TEXT.length]).encode();

        byte[] spliced = Forgery.spliceCiphertext(mallorysOwn, genuine, MALLORY);

        assertBobRejects(spliced, Reason.DECRYPTION_FAILED).hasMessageContaining(MALLORY.peerId().toString());
    }

    @Test
    void aMessageSealedToAnotherHpkeKeyDoesNotDecrypt() throws Exception {
        Identity bobWithOtherHpkeKey = Identity.fromEd25519(BOB.transportKey());
        ContactCard staleCard = ContactCard.create(bobWithOtherHpkeKey, "Bob");

        byte[] encoded = sealer.sealDirect(ALICE, staleCard, fields, TEXT).encode();

        assertBobRejects(encoded, Reason.DECRYPTION_FAILED).hasMessageContaining("HPKE key of " + BOB.peerId());
    }

    @Test
    void unknownKindsAreRejectedEvenWhenSigned() throws Exception {
        byte[] future = Forgery.editHeader(sealToBob(), header -> header.setKindValue(99), ALICE);
        byte[] unspecified = Forgery.editHeader(sealToBob(), header -> header.setKindValue(0), ALICE);

        assertBobRejects(future, Reason.UNKNOWN_KIND).hasMessageContaining("kind 99");
        assertBobRejects(unspecified, Reason.UNKNOWN_KIND).hasMessageContaining("kind 0");
    }

    @Test
    void anotherVersionIsRejectedEvenWhenSigned() throws Exception {
        byte[] version2 = Forgery.editHeader(sealToBob(), header -> header.setVersion(2), ALICE);

        assertBobRejects(version2, Reason.UNSUPPORTED_VERSION).hasMessageContaining("version 2");
    }

    @Test
    void headerFieldsOfTheWrongSizeAreMalformed() throws Exception {
        byte[] shortId = Forgery.editHeader(sealToBob(),
                header -> header.setMessageId(ByteString.copyFrom(new byte[15])), ALICE);
        byte[] noRecipient = Forgery.editHeader(sealToBob(), header -> header.clearRecipient(), ALICE);
        byte[] hashedSender = Forgery.editHeader(sealToBob(), header -> header.setSender(
                ByteString.copyFrom(Multihash.sha256(ALICE.publicKey().marshal()).bytes())), ALICE);

        assertBobRejects(shortId, Reason.MALFORMED).hasMessageContaining("16 bytes, got 15");
        assertBobRejects(noRecipient, Reason.MALFORMED).hasMessageContaining("names no recipient");
        assertBobRejects(hashedSender, Reason.MALFORMED).hasMessageContaining("does not inline");
    }

    @Test
    void garbageAndTruncatedEnvelopesAreMalformed() throws Exception {
        byte[] encoded = sealToBob();

        assertBobRejects(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, Reason.MALFORMED);
        assertBobRejects(new byte[0], Reason.MALFORMED).hasMessageContaining("no version");
        assertBobRejects(Arrays.copyOf(encoded, encoded.length - 10), Reason.MALFORMED);
    }

    @Test
    void oversizedEnvelopesAreRejectedOnSealAndOpen() {
        byte[] tooLarge = new byte[Envelope.MAX_SIZE + 1];
        byte[] almost = new byte[Envelope.MAX_SIZE - 50];

        assertThatThrownBy(() -> sealer.sealDirect(ALICE, BOB_CARD, fields, tooLarge))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("262145 bytes");
        assertThatThrownBy(() -> sealer.sealDirect(ALICE, BOB_CARD, fields, almost))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("over the limit of 262144")
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.OVERSIZED));
        assertBobRejects(tooLarge, Reason.OVERSIZED).hasMessageContaining("262145 bytes exceeds the limit of 262144");
    }

    @Test
    void aLargeMessageThatFitsRoundTrips() throws Exception {
        byte[] large = new byte[Envelope.MAX_SIZE - 1024];
        Arrays.fill(large, (byte) 'x');

        byte[] encoded = sealer.sealDirect(ALICE, BOB_CARD, fields, large).encode();

        assertThat(encoded.length).isLessThanOrEqualTo(Envelope.MAX_SIZE);
        assertThat(sealer.openDirect(BOB, encoded, bobsGuard).plaintext()).isEqualTo(large);
    }

    @Test
    void aRoomEnvelopeIsNotADirectOne() throws Exception {
        SenderKey key = SenderKey.generate(RoomId.random(), ALICE.peerId(), 1);
        byte[] roomEnvelope = sealer.sealRoom(ALICE, key, fields, 1, TEXT).encode();

        assertBobRejects(roomEnvelope, Reason.WRONG_RECIPIENT).hasMessageContaining("room " + key.room());
    }

    @Test
    void senderKeysCannotBePlantedInAnotherMembersName() throws Exception {
        SenderKey alicesNameForged = SenderKey.generate(RoomId.random(), ALICE.peerId(), 1);
        byte[] encoded = sealer.sealSenderKey(MALLORY, BOB_CARD, alicesNameForged, 1).encode();
        Opened opened = sealer.openDirect(BOB, encoded, bobsGuard);

        assertThatThrownBy(() -> sealer.openSenderKey(opened))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("not the sender's own")
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.INVALID_SENDER_KEY));
    }

    @Test
    void aTextMessageCarriesNoSenderKey() throws Exception {
        Opened opened = sealer.openDirect(BOB, sealToBob(), bobsGuard);

        assertThatThrownBy(() -> sealer.openSenderKey(opened))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("kind TEXT, not SENDER_KEY");
    }

    @Test
    void aCardThatIsNotTheRecipientsOwnIsTheSendersMistakeNotAWayIn() throws Exception {
        byte[] toMallory = sealer.sealDirect(ALICE, MALLORY_CARD, fields, TEXT).encode();

        assertBobRejects(toMallory, Reason.WRONG_RECIPIENT);
    }
}
