package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.crypto.EnvelopeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomEnvelopeTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final Identity CAROL = Identity.generate();
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final ContactCard CAROL_CARD = ContactCard.create(CAROL, "Carol");
    private static final RoomId ROOM = RoomId.random();
    private static final byte[] TEXT = "Hello, room.".getBytes(StandardCharsets.UTF_8);

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final SenderKeyRing alicesRing = new SenderKeyRing(ALICE.peerId());
    private final SenderKeyRing bobsRing = new SenderKeyRing(BOB.peerId());
    private final SenderKeyRing carolsRing = new SenderKeyRing(CAROL.peerId());
    private long clock = 1;

    @BeforeEach
    void aliceCreatesTheRoomAndSendsHerKeyToBothMembers() throws Exception {
        SenderKey key = alicesRing.rotate(ROOM, 1);
        distribute(key, BOB, BOB_CARD, bobsRing);
        distribute(key, CAROL, CAROL_CARD, carolsRing);
    }

    /** The real path: a SENDER_KEY envelope sealed 1:1, opened, checked, and added to the member's ring. */
    private void distribute(SenderKey key, Identity member, ContactCard card, SenderKeyRing ring) throws Exception {
        Identity owner = key.owner().equals(ALICE.peerId()) ? ALICE : BOB;
        byte[] encoded = sealer.sealSenderKey(owner, card, key, clock++).encode();
        ring.add(sealer.openSenderKey(sealer.openDirect(member, encoded, new InMemoryReplayGuard(10))));
    }

    private byte[] aliceSays(byte[] text) throws EnvelopeException {
        SenderKey current = alicesRing.current(ROOM).orElseThrow();
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), clock++, EnvelopeKind.TEXT);
        return sealer.sealRoom(ALICE, current, fields, 1, text).encode();
    }

    private AbstractThrowableAssert<?, ?> assertRejected(byte[] encoded, SenderKeyRing ring, Reason reason) {
        return assertThatThrownBy(() -> sealer.openRoom(encoded, ring, new InMemoryReplayGuard(10)))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(reason));
    }

    @Test
    void everyMemberOpensTheMessageAndSoDoesTheSender() throws Exception {
        byte[] encoded = aliceSays(TEXT);

        for (SenderKeyRing ring : new SenderKeyRing[] {bobsRing, carolsRing, alicesRing}) {
            Opened opened = sealer.openRoom(encoded, ring, new InMemoryReplayGuard(10));
            assertThat(opened.plaintext()).isEqualTo(TEXT);
            assertThat(opened.header().recipient()).isEqualTo(new Recipient.Room(ROOM));
            assertThat(opened.header().sender()).isEqualTo(ALICE.peerId());
            assertThat(opened.header().epoch()).isEqualTo(1);
        }
    }

    @Test
    void theSequenceNumberTravelsSignedAndAnyoneCanVerifyWithoutTheKey() throws Exception {
        SenderKey current = alicesRing.current(ROOM).orElseThrow();
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), clock++, EnvelopeKind.TEXT);
        byte[] seventh = sealer.sealRoom(ALICE, current, fields, 7, TEXT).encode();

        VerifiedEnvelope verified = sealer.verify(seventh);
        assertThat(verified.header().sequence()).isEqualTo(7);
        assertThat(sealer.openRoom(seventh, bobsRing, new InMemoryReplayGuard(10)).header().sequence()).isEqualTo(7);
        assertThatThrownBy(() -> sealer.verify(Forgery.editHeader(seventh, header -> header.setSequence(8))))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE));
        assertThatThrownBy(() -> sealer.sealRoom(ALICE, current, fields, 0, TEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1");
    }

    @Test
    void roomEnvelopesAreNumberedAndDirectOnesAreNot() throws Exception {
        byte[] unnumbered = Forgery.editHeader(aliceSays(TEXT), header -> header.setSequence(0), ALICE);
        HeaderFields fields = HeaderFields.of(ConversationId.direct(ALICE.peerId(), BOB.peerId()), 1, EnvelopeKind.TEXT);
        byte[] numbered = Forgery.editHeader(sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).encode(),
                header -> header.setSequence(3), ALICE);

        assertRejected(unnumbered, bobsRing, Reason.MALFORMED).hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> sealer.openDirect(BOB, numbered, new InMemoryReplayGuard(10)))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("only room envelopes are numbered");
    }

    @Test
    void aRingKeptKeyByKeyComesBackWithTheNewestOwnKeyCurrent() throws Exception {
        SenderKey first = alicesRing.current(ROOM).orElseThrow();
        SenderKey second = alicesRing.rotate(ROOM, 5);
        SenderKey bobs = new SenderKeyRing(BOB.peerId()).rotate(ROOM, 3);

        SenderKeyRing restored = SenderKeyRing.of(ALICE.peerId(), List.of(second, bobs, first));

        assertThat(restored.current(ROOM)).contains(second);
        assertThat(restored.find(ROOM, ALICE.peerId(), first.epoch())).contains(first);
        assertThat(restored.find(ROOM, BOB.peerId(), 3)).contains(bobs);
    }

    @Test
    void aReplayIsRejected() throws Exception {
        byte[] encoded = aliceSays(TEXT);
        ReplayGuard guard = new InMemoryReplayGuard(10);
        sealer.openRoom(encoded, bobsRing, guard);

        assertThatThrownBy(() -> sealer.openRoom(encoded, bobsRing, guard))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("replay")
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.REPLAYED));
    }

    @Test
    void tamperingIsRejected() throws Exception {
        byte[] encoded = aliceSays(TEXT);

        assertRejected(Forgery.editHeader(encoded, header -> header.setEpoch(2)), bobsRing, Reason.BAD_SIGNATURE);
        assertRejected(Forgery.editHeader(encoded, header -> header.setHlc(0)), bobsRing, Reason.BAD_SIGNATURE);
        assertRejected(Forgery.flipCiphertextBit(encoded, 20), bobsRing, Reason.BAD_SIGNATURE);
        assertRejected(Forgery.flipSignatureBit(encoded), bobsRing, Reason.BAD_SIGNATURE);
    }

    @Test
    void theHeaderIsTheAssociatedData() throws Exception {
        byte[] resigned = Forgery.editHeader(aliceSays(TEXT), header -> header.setHlc(12345), ALICE);

        assertRejected(resigned, bobsRing, Reason.DECRYPTION_FAILED).hasMessageContaining("epoch 1");
    }

    @Test
    void theWrongKeyInTheRightSlotDoesNotDecrypt() throws Exception {
        SenderKeyRing misled = new SenderKeyRing(CAROL.peerId());
        misled.add(SenderKey.generate(ROOM, ALICE.peerId(), 1));

        assertRejected(aliceSays(TEXT), misled, Reason.DECRYPTION_FAILED);
    }

    @Test
    void aMemberWhoMissedTheRotationCannotReadTheNewEpoch() throws Exception {
        byte[] beforeRotation = aliceSays(TEXT);
        SenderKey rotated = alicesRing.rotate(ROOM, 2);
        distribute(rotated, BOB, BOB_CARD, bobsRing);

        byte[] afterRotation = aliceSays("Carol has left.".getBytes(StandardCharsets.UTF_8));

        assertThat(sealer.openRoom(afterRotation, bobsRing, new InMemoryReplayGuard(10)).plaintext())
                .asString(StandardCharsets.UTF_8).isEqualTo("Carol has left.");
        assertRejected(afterRotation, carolsRing, Reason.UNKNOWN_SENDER_KEY)
                .hasMessageContaining("room " + ROOM + " epoch 2")
                .hasMessageContaining(ALICE.peerId().toString());
        assertThat(sealer.openRoom(beforeRotation, carolsRing, new InMemoryReplayGuard(10)).plaintext()).isEqualTo(TEXT);
    }

    @Test
    void aKeyOpensOnlyItsOwnRoomSenderAndEpoch() throws Exception {
        SenderKeyRing bobsOwnRing = new SenderKeyRing(BOB.peerId());
        SenderKey bobsKey = bobsOwnRing.rotate(ROOM, 1);
        SenderKey otherRoomKey = alicesRing.rotate(RoomId.random(), 1);
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), clock++, EnvelopeKind.TEXT);

        byte[] fromBob = sealer.sealRoom(BOB, bobsKey, fields, 1, TEXT).encode();
        byte[] otherRoom = sealer.sealRoom(ALICE, otherRoomKey, fields, 1, TEXT).encode();

        assertRejected(fromBob, carolsRing, Reason.UNKNOWN_SENDER_KEY).hasMessageContaining(BOB.peerId().toString());
        assertRejected(otherRoom, carolsRing, Reason.UNKNOWN_SENDER_KEY)
                .hasMessageContaining("room " + otherRoomKey.room());
    }

    @Test
    void aDirectEnvelopeIsNotARoomOne() throws Exception {
        HeaderFields fields = HeaderFields.of(ConversationId.direct(ALICE.peerId(), BOB.peerId()), 1, EnvelopeKind.TEXT);
        byte[] direct = sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).encode();

        assertRejected(direct, bobsRing, Reason.WRONG_RECIPIENT).hasMessageContaining("not to a room");
    }

    @Test
    void aMemberSealsOnlyWithItsOwnKey() {
        SenderKey alicesKey = alicesRing.current(ROOM).orElseThrow();
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), 1, EnvelopeKind.TEXT);

        assertThatThrownBy(() -> sealer.sealRoom(BOB, alicesKey, fields, 1, TEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not its own");
    }

    @Test
    void epochsOnlyMoveForward() {
        assertThatThrownBy(() -> alicesRing.rotate(ROOM, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at epoch 1");
    }

    @Test
    void aRingRebuiltFromItsStoredKeysOpensAndRotatesOn() throws Exception {
        byte[] encoded = aliceSays(TEXT);
        byte[] alicesKey = alicesRing.current(ROOM).orElseThrow().encode();
        SenderKeyRing restoredAlice = SenderKeyRing.of(ALICE.peerId(), List.of(SenderKey.decode(alicesKey)));
        SenderKeyRing restoredCarol = SenderKeyRing.of(CAROL.peerId(), List.of(SenderKey.decode(alicesKey)));

        assertThat(restoredAlice.current(ROOM)).isEqualTo(alicesRing.current(ROOM));
        assertThat(restoredCarol.current(ROOM)).isEmpty();
        assertThat(sealer.openRoom(encoded, restoredCarol, new InMemoryReplayGuard(10)).plaintext()).isEqualTo(TEXT);
        assertThat(restoredAlice.rotate(ROOM, 2).epoch()).isEqualTo(2);
    }

    @Test
    void forgettingARoomDropsItsKeys() throws Exception {
        byte[] encoded = aliceSays(TEXT);

        carolsRing.forget(ROOM);

        assertRejected(encoded, carolsRing, Reason.UNKNOWN_SENDER_KEY);
    }

    @Test
    void aSenderKeyRoundTripsAndNeverShowsItsSecret() throws Exception {
        SenderKey key = alicesRing.current(ROOM).orElseThrow();

        assertThat(SenderKey.decode(key.encode())).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(key.toString()).contains(ROOM.toString()).contains("epoch 1").doesNotContain("key=");
        assertThatThrownBy(() -> SenderKey.decode(new byte[] {0x22, 0x03, 1, 2, 3}))
                .isInstanceOf(InvalidSenderKeyException.class).hasMessageContaining("3 bytes; expected 32");
    }
}
