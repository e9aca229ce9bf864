package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.EnvelopeHeader.Sealing;
import dev.parley.crypto.wire.EnvelopeProtos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelopes sealed under a session: unsigned, the session's AEAD over the header bytes. The session here is one
 * AES-256-GCM key both sides share, standing in for the Double Ratchet's message keys that the engine plugs in.
 */
class SessionEnvelopeTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final Identity MALLORY = Identity.generate();
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final byte[] TEXT = "Meet at the station at nine.".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final ReplayGuard bobsGuard = new InMemoryReplayGuard(1000);
    private final HeaderFields fields = HeaderFields.of(
            ConversationId.direct(ALICE.peerId(), BOB.peerId()), 1_700_000_000_000L << 16, EnvelopeKind.TEXT);
    private final byte[] sessionKey = randomBytes(32);

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Envelope.Encryptor encryptor(byte[] key, byte[] plaintext) {
        return headerBytes -> {
            byte[] nonce = randomBytes(12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(headerBytes);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        };
    }

    private static Envelope.Decryptor decryptor(byte[] key) {
        return (ciphertext, headerBytes) -> {
            if (ciphertext.length < 12 + 16) {
                throw new GeneralSecurityException("too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, ciphertext, 0, 12));
            cipher.updateAAD(headerBytes);
            return cipher.doFinal(ciphertext, 12, ciphertext.length - 12);
        };
    }

    private byte[] sealToBob() throws EnvelopeException {
        return sealer.sealSession(ALICE, BOB.peerId(), fields, encryptor(sessionKey, TEXT)).encode();
    }

    private AbstractThrowableAssert<?, ?> assertBobRejects(byte[] encoded, Reason reason) {
        return assertThatThrownBy(() -> sealer.openSession(BOB, encoded, decryptor(sessionKey), bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(reason));
    }

    @Test
    void roundTripsWithoutASignature() throws Exception {
        byte[] encoded = sealToBob();

        Opened opened = sealer.openSession(BOB, encoded, decryptor(sessionKey), bobsGuard);

        assertThat(opened.plaintext()).isEqualTo(TEXT);
        assertThat(opened.header()).isEqualTo(new EnvelopeHeader(Envelope.VERSION, fields.messageId(),
                fields.conversationId(), ALICE.peerId(), new Recipient.Peer(BOB.peerId()), 0, fields.hlc(),
                EnvelopeKind.TEXT, 0, Sealing.SESSION));
        Envelope decoded = Envelope.decode(encoded);
        assertThat(decoded.signature()).isEmpty();
        assertThat(decoded.header().sealing()).isEqualTo(Sealing.SESSION);
        assertThat(new String(decoded.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("station");
    }

    @Test
    void theSessionAuthenticatesTheHeader() throws Exception {
        byte[] laterHlc = Forgery.editHeader(sealToBob(), header -> header.setHlc(header.getHlc() + 1));
        byte[] fromMallory = Forgery.editHeader(sealToBob(),
                header -> header.setSender(ByteString.copyFrom(MALLORY.peerId().bytes())));
        byte[] otherKind = Forgery.editHeader(sealToBob(), header -> header.setKind(EnvelopeProtos.Kind.DELETE));

        assertBobRejects(laterHlc, Reason.DECRYPTION_FAILED).hasMessageContaining(fields.messageId().toString());
        assertBobRejects(fromMallory, Reason.DECRYPTION_FAILED).hasMessageContaining(MALLORY.peerId().toString());
        assertBobRejects(otherKind, Reason.DECRYPTION_FAILED);
        assertBobRejects(Forgery.flipCiphertextBit(sealToBob(), 20), Reason.DECRYPTION_FAILED);
    }

    @Test
    void anotherSessionsKeyDoesNotOpenIt() throws Exception {
        byte[] encoded = sealToBob();

        assertThatThrownBy(() -> sealer.openSession(BOB, encoded, decryptor(randomBytes(32)), bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("does not open under the session")
                .hasCauseInstanceOf(GeneralSecurityException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.DECRYPTION_FAILED));
        assertThat(sealer.openSession(BOB, encoded, decryptor(sessionKey), bobsGuard).plaintext())
                .as("the failed attempt did not use up the message id").isEqualTo(TEXT);
    }

    @Test
    void aReplayIsRejected() throws Exception {
        byte[] encoded = sealToBob();
        sealer.openSession(BOB, encoded, decryptor(sessionKey), bobsGuard);

        assertBobRejects(encoded, Reason.REPLAYED);
    }

    @Test
    void aSessionEnvelopeForSomeoneElseIsRejected() throws Exception {
        byte[] encoded = sealToBob();

        assertThatThrownBy(() -> sealer.openSession(MALLORY, encoded, decryptor(sessionKey),
                new InMemoryReplayGuard(10)))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("not to " + MALLORY.peerId())
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_RECIPIENT));
    }

    @Test
    void aSignatureOnASessionEnvelopeIsRefused() throws Exception {
        byte[] signed = Forgery.editHeader(sealToBob(), header -> header, ALICE);

        assertBobRejects(signed, Reason.BAD_SIGNATURE).hasMessageContaining("carries no signature, yet has one");
    }

    @Test
    void aSignedEnvelopeWithoutItsSignatureIsRefused() throws Exception {
        byte[] genuine = sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).encode();
        byte[] stripped = EnvelopeProtos.Envelope.parseFrom(genuine).toBuilder().clearSignature().build()
                .toByteArray();

        assertThatThrownBy(() -> Envelope.decode(stripped))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("carries no signature")
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void eachOpenerTakesOnlyItsOwnSealing() throws Exception {
        byte[] session = sealToBob();
        byte[] signed = sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).encode();
        SenderKeyRing ring = SenderKeyRing.of(ALICE.peerId(), List.of());

        assertThatThrownBy(() -> sealer.openDirect(BOB, session, bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .hasMessageContaining("sealed under a session")
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_SEALING));
        assertThatThrownBy(() -> sealer.verify(session))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_SEALING));
        assertThatThrownBy(() -> sealer.openRoom(session, ring, bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_SEALING));
        assertBobRejects(signed, Reason.WRONG_SEALING).hasMessageContaining("is a signed envelope");
        assertThat(sealer.openSession(BOB, session, decryptor(sessionKey), bobsGuard).plaintext())
                .as("the refusals used up no message id").isEqualTo(TEXT);
    }

    @Test
    void aSessionEnvelopeToARoomIsRefused() throws Exception {
        byte[] toRoom = Forgery.editHeader(sealToBob(),
                header -> header.setRoomId(ByteString.copyFrom(RoomId.random().bytes())).setSequence(1));

        assertBobRejects(toRoom, Reason.WRONG_SEALING).hasMessageContaining("sessions are 1:1");
    }

    @Test
    void handshakeKindsAreNeverSealedUnderASession() throws Exception {
        for (EnvelopeKind kind : new EnvelopeKind[] {EnvelopeKind.SESSION_INIT, EnvelopeKind.SESSION_ACCEPT,
                EnvelopeKind.SESSION_RENEW}) {
            HeaderFields handshake = HeaderFields.of(fields.conversationId(), fields.hlc(), kind);
            assertThatThrownBy(() -> sealer.sealSession(ALICE, BOB.peerId(), handshake, encryptor(sessionKey, TEXT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("always signed");

            byte[] forged = Forgery.editHeader(sealToBob(), header -> header.setKindValue(kind.wireNumber()));
            assertBobRejects(forged, Reason.WRONG_SEALING).hasMessageContaining("kind " + kind);
        }
    }

    @Test
    void aSessionReadyIsNeverSigned() throws Exception {
        HeaderFields ready = HeaderFields.of(fields.conversationId(), fields.hlc(), EnvelopeKind.SESSION_READY);
        byte[] signed = sealer.sealDirect(ALICE, BOB_CARD, ready, new byte[0]).encode();

        assertThatThrownBy(() -> sealer.openDirect(BOB, signed, bobsGuard))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.WRONG_SEALING))
                .hasMessageContaining("SESSION_READY is signed");
        byte[] underSession = sealer.sealSession(ALICE, BOB.peerId(), ready, encryptor(sessionKey, new byte[0]))
                .encode();
        assertThat(sealer.openSession(BOB, underSession, decryptor(sessionKey), bobsGuard).header().kind())
                .isEqualTo(EnvelopeKind.SESSION_READY);
    }

    @Test
    void anUnknownSealingIsRejected() throws Exception {
        byte[] future = Forgery.editHeader(sealToBob(), header -> header.setSealingValue(7));

        assertBobRejects(future, Reason.UNKNOWN_SEALING).hasMessageContaining("sealing 7");
    }

    @Test
    void aSealedEnvelopeOverTheLimitIsRefused() {
        byte[] large = new byte[Envelope.MAX_SIZE];

        assertThatThrownBy(() -> sealer.sealSession(ALICE, BOB.peerId(), fields, encryptor(sessionKey, large)))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason()).isEqualTo(Reason.OVERSIZED));
    }

    /**
     * An envelope made the way every Parley before sessions made one, field by field from the format in the README
     * (no field 11), still opens as before; and a signed envelope made today has exactly those header bytes.
     */
    @Test
    void anEnvelopeMadeBeforeSessionsOpensAsBefore() throws Exception {
        byte[] headerBytes = EnvelopeProtos.EnvelopeHeader.newBuilder()
                .setVersion(1)
                .setMessageId(ByteString.copyFrom(fields.messageId().bytes()))
                .setConversationId(ByteString.copyFrom(fields.conversationId().bytes()))
                .setSender(ByteString.copyFrom(ALICE.peerId().bytes()))
                .setRecipientPeer(ByteString.copyFrom(BOB.peerId().bytes()))
                .setHlc(fields.hlc())
                .setKind(EnvelopeProtos.Kind.TEXT)
                .build()
                .toByteArray();
        byte[] ciphertext = BOB_CARD.hpkeEncrypt().encrypt(TEXT, headerBytes);
        byte[] domain = "parley/envelope/1\0".getBytes(StandardCharsets.UTF_8);
        byte[] signed = ByteBuffer.allocate(domain.length + 4 + headerBytes.length + ciphertext.length)
                .put(domain).putInt(headerBytes.length).put(headerBytes).put(ciphertext).array();
        byte[] old = EnvelopeProtos.Envelope.newBuilder()
                .setHeader(ByteString.copyFrom(headerBytes))
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setSignature(ByteString.copyFrom(ALICE.sign(signed)))
                .build()
                .toByteArray();

        Opened opened = sealer.openDirect(BOB, old, bobsGuard);

        assertThat(opened.plaintext()).isEqualTo(TEXT);
        assertThat(opened.header().sealing()).isEqualTo(Sealing.SIGNED);
        assertThat(opened.header().messageId()).isEqualTo(fields.messageId());
        assertThat(sealer.sealDirect(ALICE, BOB_CARD, fields, TEXT).headerBytes()).isEqualTo(headerBytes);
        assertThat(Arrays.equals(Envelope.decode(old).headerBytes(), headerBytes)).isTrue();
    }

    /** Envelopes the code of before sessions made (before-sessions/README.txt) open, and keep their bytes. */
    @Test
    void envelopesMadeBeforeSessionsStillOpen(@TempDir Path temp) throws Exception {
        Path fixture = Path.of(getClass().getResource("before-sessions").toURI());
        Path bobsProfile = Files.createDirectories(temp.resolve("bob"));
        for (String file : List.of(IdentityFiles.SIGNING_KEYSET, IdentityFiles.HPKE_KEYSET)) {
            Files.copy(fixture.resolve("bob").resolve(file), bobsProfile.resolve(file));
        }
        Identity bob = IdentityFiles.load(bobsProfile, null);
        byte[] direct = Files.readAllBytes(fixture.resolve("direct.envelope"));
        byte[] room = Files.readAllBytes(fixture.resolve("room.envelope"));
        SenderKey alicesKey = SenderKey.decode(Files.readAllBytes(fixture.resolve("room.senderkey")));

        Opened opened = sealer.openDirect(bob, direct, new InMemoryReplayGuard(10));
        Opened roomOpened = sealer.openRoom(room, SenderKeyRing.of(bob.peerId(), List.of(alicesKey)),
                new InMemoryReplayGuard(10));

        assertThat(new String(opened.plaintext(), StandardCharsets.UTF_8)).isEqualTo("made before sessions");
        assertThat(opened.header().sealing()).isEqualTo(Sealing.SIGNED);
        assertThat(opened.header().sender()).isEqualTo(alicesKey.owner());
        assertThat(new String(roomOpened.plaintext(), StandardCharsets.UTF_8))
                .isEqualTo("a room message made before sessions");
        assertThat(roomOpened.header().sequence()).isEqualTo(5);
        assertThat(roomOpened.header().sealing()).isEqualTo(Sealing.SIGNED);
        assertThat(Envelope.decode(direct).encode()).isEqualTo(direct);
        assertThat(Envelope.decode(room).encode()).isEqualTo(room);
    }

    @Test
    void sealingsMatchTheWireEnum() {
        assertThat(Arrays.stream(EnvelopeProtos.Sealing.values())
                .filter(sealing -> sealing != EnvelopeProtos.Sealing.UNRECOGNIZED)
                .map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Sealing.values()).map(Enum::name).toList());
        for (Sealing sealing : Sealing.values()) {
            assertThat(Sealing.fromWire(sealing.wireNumber())).contains(sealing);
        }
        assertThat(Sealing.SIGNED.wireNumber()).isZero();
        assertThat(Sealing.fromWire(2)).isEmpty();
    }
}
