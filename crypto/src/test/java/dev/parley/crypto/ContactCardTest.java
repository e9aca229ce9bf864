package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.wire.CardProtos;
import dev.parley.transport.multiformats.Multihash;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactCardTest {
    private static final Identity ALICE = Identity.generate();
    private static final Instant ISSUED = Instant.parse("2025-01-02T03:04:05.678Z");

    /** A card whose body is {@code edit} applied to Alice's, signed by {@code signer}. */
    private static byte[] signedCard(Identity signer, UnaryOperator<CardProtos.CardBody.Builder> edit) {
        CardProtos.CardBody.Builder body = CardProtos.CardBody.newBuilder()
                .setPeerId(ByteString.copyFrom(ALICE.peerId().bytes()))
                .setDisplayName("Alice")
                .setHpkePublicKey(ByteString.copyFrom(ALICE.hpkePublicKey()))
                .setIssuedAtMillis(ISSUED.toEpochMilli());
        byte[] bodyBytes = edit.apply(body).build().toByteArray();
        return CardProtos.SignedCard.newBuilder()
                .setCard(ByteString.copyFrom(bodyBytes))
                .setSignature(ByteString.copyFrom(signer.sign(ContactCard.signedBytes(bodyBytes))))
                .build()
                .toByteArray();
    }

    @Test
    void roundTrips() throws Exception {
        ContactCard card = ContactCard.create(ALICE, "Alice 🙂", ISSUED);

        ContactCard decoded = ContactCard.decode(card.encode());

        assertThat(decoded).isEqualTo(card);
        assertThat(decoded.peerId()).isEqualTo(ALICE.peerId());
        assertThat(decoded.identityKey()).isEqualTo(ALICE.publicKey());
        assertThat(decoded.displayName()).isEqualTo("Alice 🙂");
        assertThat(decoded.hpkePublicKey()).isEqualTo(ALICE.hpkePublicKey());
        assertThat(decoded.issuedAt()).isEqualTo(ISSUED);
    }

    @Test
    void aChangedNameBreaksTheSignature() throws Exception {
        CardProtos.SignedCard signed = CardProtos.SignedCard.parseFrom(ContactCard.create(ALICE, "Alice").encode());
        byte[] renamed = CardProtos.CardBody.parseFrom(signed.getCard()).toBuilder()
                .setDisplayName("Mallory").build().toByteArray();
        byte[] forged = signed.toBuilder().setCard(ByteString.copyFrom(renamed)).build().toByteArray();

        assertThatThrownBy(() -> ContactCard.decode(forged))
                .isInstanceOf(InvalidCardException.class)
                .hasMessageContaining("not signed by its key")
                .hasMessageContaining(ALICE.peerId().toString());
    }

    @Test
    void aCardSignedByAnotherKeyThanItsPeerIdIsRejected() {
        byte[] forged = signedCard(Identity.generate(), body -> body);

        assertThatThrownBy(() -> ContactCard.decode(forged)).isInstanceOf(InvalidCardException.class)
                .hasMessageContaining("not signed by its key");
    }

    @Test
    void aSignedCardDecodes() throws Exception {
        assertThat(ContactCard.decode(signedCard(ALICE, body -> body)).displayName()).isEqualTo("Alice");
    }

    @Test
    void aPeerIdThatDoesNotInlineItsKeyIsRejected() {
        byte[] hashed = PeerId.fromBytes(Multihash.sha256(ALICE.publicKey().marshal()).bytes()).bytes();
        byte[] card = signedCard(ALICE, body -> body.setPeerId(ByteString.copyFrom(hashed)));

        assertThatThrownBy(() -> ContactCard.decode(card)).isInstanceOf(InvalidCardException.class)
                .hasMessageContaining("does not inline an Ed25519 key");
    }

    @Test
    void aShortHpkeKeyIsRejected() {
        byte[] card = signedCard(ALICE, body -> body.setHpkePublicKey(ByteString.copyFrom(new byte[31])));

        assertThatThrownBy(() -> ContactCard.decode(card)).isInstanceOf(InvalidCardException.class)
                .hasMessageContaining("HPKE key of 31 bytes");
    }

    @Test
    void aBadNameInASignedCardIsRejected() {
        byte[] card = signedCard(ALICE, body -> body.setDisplayName("Al\u0007ice"));

        assertThatThrownBy(() -> ContactCard.decode(card)).isInstanceOf(InvalidCardException.class)
                .hasMessageContaining("U+0007 at position 2");
    }

    @Test
    void garbageAndOversizedInputAreRejected() {
        assertThatThrownBy(() -> ContactCard.decode(new byte[] {(byte) 0xff, 1, 2}))
                .isInstanceOf(InvalidCardException.class).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> ContactCard.decode(new byte[ContactCard.MAX_ENCODED_SIZE + 1]))
                .isInstanceOf(InvalidCardException.class).hasMessageContaining("1025 bytes exceeds 1024");
    }

    @Test
    void theLongestNameOfWideCharactersFits() throws Exception {
        String name = "😀".repeat(ContactCard.MAX_NAME_CODE_POINTS);

        ContactCard card = ContactCard.create(ALICE, name);

        assertThat(ContactCard.decode(card.encode()).displayName()).isEqualTo(name);
    }

    @Test
    void emojiJoinedWithZeroWidthJoinersAreANameLikeAnyOther() {
        assertThat(ContactCard.displayNameProblem("👩‍👩‍👧 family")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " Alice", "Alice ", "Ali\nce", "Ali\u0000ce", "\u202Eecila", "Al\u2028ice"})
    void badNamesAreRefused(String name) {
        assertThat(ContactCard.displayNameProblem(name)).isPresent();
        assertThatThrownBy(() -> ContactCard.create(ALICE, name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameOverTheLimitIsRefusedWithItsLength() {
        assertThat(ContactCard.displayNameProblem("a".repeat(65)))
                .hasValueSatisfying(problem -> assertThat(problem).contains("65 characters exceeds 64"));
    }

    @Test
    void aCardListsItsFeaturesSignedWithTheRest() throws Exception {
        ContactCard card = ContactCard.decode(ContactCard.create(ALICE, "Alice", ISSUED).encode());

        assertThat(card.supports(ContactCard.Feature.CHAINED_SENDER_KEYS)).isTrue();
        assertThat(card.supports(ContactCard.Feature.FORWARD_SECRET_SESSIONS)).isTrue();
        assertThat(card.featureNumbers()).containsExactly(1, 2, 3, 4);
        ContactCard chainsOnly = ContactCard.create(ALICE, "Alice", ISSUED,
                java.util.EnumSet.of(ContactCard.Feature.CHAINED_SENDER_KEYS));
        ContactCard decoded = ContactCard.decode(chainsOnly.encode());
        assertThat(decoded.featureNumbers()).containsExactly(2);
        assertThat(decoded.supports(ContactCard.Feature.FORWARD_SECRET_SESSIONS)).isFalse();
    }

    @Test
    void aCardFromBeforeFeaturesDecodesWithNoneAndItsSignatureStillVerifies() throws Exception {
        byte[] old = signedCard(ALICE, body -> body);

        ContactCard card = ContactCard.decode(old);

        assertThat(card.featureNumbers()).isEmpty();
        assertThat(card.supports(ContactCard.Feature.CHAINED_SENDER_KEYS)).isFalse();
        assertThat(card.encode()).isEqualTo(old);
        assertThat(ContactCard.create(ALICE, "Alice", ISSUED, java.util.Set.of()).encode()).isEqualTo(old);
    }

    @Test
    void unknownFeatureNumbersAreKeptAndAddedOnesBreakTheSignature() throws Exception {
        ContactCard card = ContactCard.decode(signedCard(ALICE, body -> body.addFeatures(2).addFeatures(99)));
        assertThat(card.featureNumbers()).containsExactly(2, 99);
        assertThat(card.supports(ContactCard.Feature.CHAINED_SENDER_KEYS)).isTrue();

        CardProtos.SignedCard signed = CardProtos.SignedCard.parseFrom(signedCard(ALICE, body -> body));
        byte[] widened = CardProtos.CardBody.parseFrom(signed.getCard()).toBuilder().addFeatures(2).build().toByteArray();
        byte[] forged = signed.toBuilder().setCard(ByteString.copyFrom(widened)).build().toByteArray();
        assertThatThrownBy(() -> ContactCard.decode(forged)).isInstanceOf(InvalidCardException.class);
    }
}
