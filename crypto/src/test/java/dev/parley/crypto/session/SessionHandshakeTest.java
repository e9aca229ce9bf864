package dev.parley.crypto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.X25519;
import com.google.protobuf.ByteString;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.SessionHandshake.Accepted;
import dev.parley.crypto.session.SessionHandshake.Completed;
import dev.parley.crypto.session.SessionHandshake.PendingStart;
import dev.parley.crypto.session.SessionHandshake.RenewRequest;
import dev.parley.crypto.session.SessionHandshake.SessionId;
import dev.parley.crypto.session.SessionHandshake.StartOffer;
import dev.parley.crypto.session.SessionHandshake.Started;
import dev.parley.crypto.session.SessionHandshakeException.Reason;
import dev.parley.crypto.wire.SessionStartProtos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The session start between real identities, with every message sealed, signed, encoded and opened as it travels;
 * and every refusal attacked with envelopes a real peer (the genuine responder misbehaving, or a third one) signs.
 */
class SessionHandshakeTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final Identity MALLORY = Identity.generate();
    private static final ContactCard ALICE_CARD = ContactCard.create(ALICE, "Alice");
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final ContactCard MALLORY_CARD = ContactCard.create(MALLORY, "Mallory");
    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00.123Z");
    private static final long HLC = NOW.toEpochMilli() << 16;
    /** Little-endian u-coordinates of small order, or not reduced: 0, 1, two points of order 8, p - 1. */
    private static final List<String> SMALL_ORDER = List.of(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    /** Every envelope here is opened once, or replayed on purpose to the handshake rather than the opener. */
    private final ReplayGuard acceptsAll = id -> true;

    private Opened open(Identity me, Envelope envelope) throws Exception {
        return sealer.openDirect(me, envelope.encode(), acceptsAll);
    }

    /** A signed 1:1 envelope with any body: what a peer can send whatever the handshake says. */
    private Opened signedBy(Identity from, ContactCard to, Identity recipient, EnvelopeKind kind, byte[] body)
            throws Exception {
        HeaderFields fields = HeaderFields.of(ConversationId.direct(from.peerId(), to.peerId()), HLC, kind);
        return open(recipient, sealer.sealDirect(from, to, fields, body));
    }

    private static AbstractThrowableAssert<?, ?> assertRefused(ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(SessionHandshakeException.class)
                .satisfies(e -> assertThat(((SessionHandshakeException) e).reason()).isEqualTo(reason));
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static SessionStartProtos.SessionInit initBody(Opened init) throws Exception {
        return SessionStartProtos.SessionInit.parseFrom(init.plaintext());
    }

    /** The ACCEPT Bob would send for {@code init}, with {@code edit} applied, signed by {@code from}. */
    private Opened acceptFrom(Identity from, Opened init, byte[] responderPublic,
            java.util.function.UnaryOperator<SessionStartProtos.SessionAccept.Builder> edit) throws Exception {
        SessionStartProtos.SessionAccept.Builder body = SessionStartProtos.SessionAccept.newBuilder()
                .setSessionId(initBody(init).getSessionId())
                .setInitSha256(ByteString.copyFrom(sha256(init.plaintext())))
                .setResponderEphemeral(ByteString.copyFrom(responderPublic));
        return signedBy(from, ALICE_CARD, ALICE, EnvelopeKind.SESSION_ACCEPT, edit.apply(body).build().toByteArray());
    }

    @Test
    void bothSidesEndWithTheSameSecrets() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        assertThat(started.init().header().kind()).isEqualTo(EnvelopeKind.SESSION_INIT);
        Opened init = open(BOB, started.init());

        Accepted accepted = SessionHandshake.accept(BOB, ALICE_CARD, init, HLC + 1);
        Completed completed = SessionHandshake.complete(started.pending(), open(ALICE, accepted.accept()), BOB_CARD);

        assertThat(completed.secrets()).isEqualTo(accepted.secrets());
        assertThat(completed.sessionId()).isEqualTo(accepted.sessionId()).isEqualTo(started.pending().sessionId());
        assertThat(completed.responderRatchetPublic()).isEqualTo(accepted.responderRatchet().publicKey());
        assertThat(completed.responder()).isEqualTo(BOB.peerId());
        assertThat(accepted.initiator()).isEqualTo(ALICE.peerId());
        assertThat(accepted.initiatedAt()).isEqualTo(NOW);
        assertThat(accepted.accept().header().kind()).isEqualTo(EnvelopeKind.SESSION_ACCEPT);
        SessionSecrets secrets = completed.secrets();
        assertThat(List.of(HexFormat.of().formatHex(secrets.rootKey()),
                HexFormat.of().formatHex(secrets.initiatorHeaderKey()),
                HexFormat.of().formatHex(secrets.responderNextHeaderKey()))).doesNotHaveDuplicates();
    }

    /** The secrets are the README's formula, computed here with the JDK's HMAC (RFC 5869 written out). */
    @Test
    void theSecretsAreTheDocumentedDerivation() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened init = open(BOB, started.init());
        Accepted accepted = SessionHandshake.accept(BOB, ALICE_CARD, init, HLC);
        Opened accept = open(ALICE, accepted.accept());
        byte[] initiatorPrivate = SessionStartProtos.PendingSessionStart.parseFrom(started.pending().encode())
                .getEphemeralPrivate().toByteArray();

        byte[] ikm = X25519.computeSharedSecret(initiatorPrivate, accepted.responderRatchet().publicKey());
        byte[] salt = sha256(init.plaintext(), accept.plaintext());
        byte[] info = ByteBuffer.allocate(16 + 2 * ALICE.peerId().bytes().length)
                .put("parley/session/1".getBytes(StandardCharsets.UTF_8))
                .put(ALICE.peerId().bytes()).put(BOB.peerId().bytes()).array();
        Mac extract = Mac.getInstance("HmacSHA256");
        extract.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = extract.doFinal(ikm);
        Mac expand = Mac.getInstance("HmacSHA256");
        expand.init(new SecretKeySpec(prk, "HmacSHA256"));
        ByteBuffer okm = ByteBuffer.allocate(96);
        byte[] block = new byte[0];
        for (int i = 1; i <= 3; i++) {
            expand.update(block);
            expand.update(info);
            expand.update((byte) i);
            block = expand.doFinal();
            okm.put(block);
        }
        byte[] expected = okm.array();

        SessionSecrets secrets = SessionHandshake.complete(started.pending(), accept, BOB_CARD).secrets();
        assertThat(secrets.rootKey()).isEqualTo(java.util.Arrays.copyOfRange(expected, 0, 32));
        assertThat(secrets.initiatorHeaderKey()).isEqualTo(java.util.Arrays.copyOfRange(expected, 32, 64));
        assertThat(secrets.responderNextHeaderKey()).isEqualTo(java.util.Arrays.copyOfRange(expected, 64, 96));
    }

    @Test
    void twoSessionsBetweenTheSamePeersShareNoSecret() throws Exception {
        Accepted first = SessionHandshake.accept(BOB, ALICE_CARD,
                open(BOB, SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW).init()), HLC);
        Accepted second = SessionHandshake.accept(BOB, ALICE_CARD,
                open(BOB, SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW).init()), HLC);

        assertThat(second.sessionId()).isNotEqualTo(first.sessionId());
        assertThat(second.secrets().rootKey()).isNotEqualTo(first.secrets().rootKey());
        assertThat(second.secrets().initiatorHeaderKey()).isNotEqualTo(first.secrets().initiatorHeaderKey());
    }

    @Test
    void aStoredPendingStartCompletesAfterARestart() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Accepted accepted = SessionHandshake.accept(BOB, ALICE_CARD, open(BOB, started.init()), HLC);

        PendingStart restored = PendingStart.decode(started.pending().encode());

        assertThat(restored.sessionId()).isEqualTo(started.pending().sessionId());
        assertThat(restored.responder()).isEqualTo(BOB.peerId());
        assertThat(restored.initiator()).isEqualTo(ALICE.peerId());
        assertThat(restored.createdAt()).isEqualTo(NOW);
        assertThat(SessionHandshake.complete(restored, open(ALICE, accepted.accept()), BOB_CARD).secrets())
                .isEqualTo(accepted.secrets());
    }

    @Test
    void aDamagedStoredPendingStartIsRefused() throws Exception {
        byte[] stored = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW).pending().encode();
        byte[] otherKey = SessionStartProtos.PendingSessionStart.parseFrom(stored).toBuilder()
                .setEphemeralPrivate(ByteString.copyFrom(RatchetKeyPair.generate().privateKey())).build().toByteArray();
        byte[] otherSession = SessionStartProtos.PendingSessionStart.parseFrom(stored).toBuilder()
                .setSessionId(ByteString.copyFrom(SessionId.random().bytes())).build().toByteArray();
        byte[] noResponder = SessionStartProtos.PendingSessionStart.parseFrom(stored).toBuilder()
                .clearResponder().build().toByteArray();

        assertRefused(() -> PendingStart.decode(new byte[] {(byte) 0xff, 0x01}), Reason.MALFORMED);
        assertRefused(() -> PendingStart.decode(otherKey), Reason.MALFORMED).hasMessageContaining("does not match");
        assertRefused(() -> PendingStart.decode(otherSession), Reason.MALFORMED);
        assertRefused(() -> PendingStart.decode(noResponder), Reason.MALFORMED);
    }

    @Test
    void anAcceptForAnotherInitIsRefusedAndThePendingStartStillCompletes() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened init = open(BOB, started.init());
        byte[] bobsKey = RatchetKeyPair.generate().publicKey();
        Opened wrongHash = acceptFrom(BOB, init, bobsKey, body -> body.setInitSha256(
                ByteString.copyFrom(new byte[32])));
        Opened noHash = acceptFrom(BOB, init, bobsKey, body -> body.clearInitSha256());

        assertRefused(() -> SessionHandshake.complete(started.pending(), wrongHash, BOB_CARD), Reason.INIT_MISMATCH)
                .hasMessageContaining(started.pending().sessionId().toString());
        assertRefused(() -> SessionHandshake.complete(started.pending(), noHash, BOB_CARD), Reason.INIT_MISMATCH);

        Accepted genuine = SessionHandshake.accept(BOB, ALICE_CARD, init, HLC);
        assertThat(SessionHandshake.complete(started.pending(), open(ALICE, genuine.accept()), BOB_CARD).secrets())
                .isEqualTo(genuine.secrets());
    }

    @Test
    void anAcceptOfAnotherSessionIsRefused() throws Exception {
        Started first = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Started second = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Accepted ofSecond = SessionHandshake.accept(BOB, ALICE_CARD, open(BOB, second.init()), HLC);
        Opened init = open(BOB, first.init());
        Opened otherId = acceptFrom(BOB, init, RatchetKeyPair.generate().publicKey(),
                body -> body.setSessionId(ByteString.copyFrom(SessionId.random().bytes())));

        assertRefused(() -> SessionHandshake.complete(first.pending(), open(ALICE, ofSecond.accept()), BOB_CARD),
                Reason.SESSION_MISMATCH).hasMessageContaining("not the pending " + first.pending().sessionId());
        assertRefused(() -> SessionHandshake.complete(first.pending(), otherId, BOB_CARD), Reason.SESSION_MISMATCH);
    }

    /** Mallory knows (here) the session id and the INIT's hash, and still cannot answer in Bob's place. */
    @Test
    void anAcceptFromAnotherPeerIsRefused() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened init = open(BOB, started.init());
        Opened mallorys = acceptFrom(MALLORY, init, RatchetKeyPair.generate().publicKey(), body -> body);

        assertRefused(() -> SessionHandshake.complete(started.pending(), mallorys, BOB_CARD), Reason.WRONG_PEER)
                .hasMessageContaining("from " + MALLORY.peerId());
        assertRefused(() -> SessionHandshake.complete(started.pending(), mallorys, MALLORY_CARD), Reason.WRONG_PEER)
                .hasMessageContaining("was started with " + BOB.peerId());
    }

    @Test
    void anInitFromAnotherPeerOrToAnotherIsRefused() throws Exception {
        Opened mallorysInit = open(BOB, SessionHandshake.start(MALLORY, BOB_CARD, HLC, NOW).init());
        Opened alicesToMallory = open(MALLORY, SessionHandshake.start(ALICE, MALLORY_CARD, HLC, NOW).init());

        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, mallorysInit, HLC), Reason.WRONG_PEER)
                .hasMessageContaining("from " + MALLORY.peerId());
        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, alicesToMallory, HLC), Reason.WRONG_PEER)
                .hasMessageContaining("not to " + BOB.peerId());
    }

    @Test
    void aResponderKeyOfTheWrongSizeOrOfSmallOrderIsRefused() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened init = open(BOB, started.init());

        for (int size : new int[] {0, 31, 33}) {
            Opened accept = acceptFrom(BOB, init, new byte[size], body -> body);
            assertRefused(() -> SessionHandshake.complete(started.pending(), accept, BOB_CARD), Reason.BAD_KEY)
                    .hasMessageContaining("key of " + size + " bytes");
        }
        for (String point : SMALL_ORDER) {
            Opened accept = acceptFrom(BOB, init, HexFormat.of().parseHex(point), body -> body);
            assertRefused(() -> SessionHandshake.complete(started.pending(), accept, BOB_CARD), Reason.BAD_KEY)
                    .as(point);
        }
    }

    @Test
    void anInitiatorKeyOfTheWrongSizeOrOfSmallOrderIsRefused() throws Exception {
        for (String point : SMALL_ORDER) {
            Opened init = signedBy(ALICE, BOB_CARD, BOB, EnvelopeKind.SESSION_INIT, initWith(
                    HexFormat.of().parseHex(point), SessionId.random().bytes()));
            assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, init, HLC), Reason.BAD_KEY).as(point);
        }
        Opened shortKey = signedBy(ALICE, BOB_CARD, BOB, EnvelopeKind.SESSION_INIT,
                initWith(new byte[31], SessionId.random().bytes()));
        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, shortKey, HLC), Reason.BAD_KEY);
        assertRefused(() -> SessionHandshake.offer(shortKey), Reason.BAD_KEY);
    }

    private static byte[] initWith(byte[] ephemeral, byte[] sessionId) {
        return SessionStartProtos.SessionInit.newBuilder()
                .setSessionId(ByteString.copyFrom(sessionId))
                .setInitiatorEphemeral(ByteString.copyFrom(ephemeral))
                .setCreatedAtMillis(NOW.toEpochMilli())
                .build()
                .toByteArray();
    }

    @Test
    void malformedBodiesAreRefused() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened garbageInit = signedBy(ALICE, BOB_CARD, BOB, EnvelopeKind.SESSION_INIT, new byte[] {(byte) 0xff, 1});
        Opened shortId = signedBy(ALICE, BOB_CARD, BOB, EnvelopeKind.SESSION_INIT,
                initWith(RatchetKeyPair.generate().publicKey(), new byte[15]));
        Opened garbageAccept = signedBy(BOB, ALICE_CARD, ALICE, EnvelopeKind.SESSION_ACCEPT, new byte[] {(byte) 0xff});
        Opened noIdAccept = acceptFrom(BOB, open(BOB, started.init()), RatchetKeyPair.generate().publicKey(),
                body -> body.clearSessionId());

        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, garbageInit, HLC), Reason.MALFORMED);
        assertRefused(() -> SessionHandshake.offer(garbageInit), Reason.MALFORMED);
        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, shortId, HLC), Reason.MALFORMED)
                .hasMessageContaining("session id of 15 bytes");
        assertRefused(() -> SessionHandshake.complete(started.pending(), garbageAccept, BOB_CARD), Reason.MALFORMED);
        assertRefused(() -> SessionHandshake.complete(started.pending(), noIdAccept, BOB_CARD), Reason.MALFORMED);
    }

    @Test
    void envelopesOfOtherKindsAreNotHandshakes() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Opened init = open(BOB, started.init());
        Opened text = signedBy(ALICE, BOB_CARD, BOB, EnvelopeKind.TEXT, init.plaintext());
        Opened accept = open(ALICE, SessionHandshake.accept(BOB, ALICE_CARD, init, HLC).accept());
        Opened initToAlice = open(ALICE, SessionHandshake.start(BOB, ALICE_CARD, HLC, NOW).init());

        assertRefused(() -> SessionHandshake.accept(BOB, ALICE_CARD, text, HLC), Reason.NOT_A_HANDSHAKE)
                .hasMessageContaining("kind TEXT, not a signed SESSION_INIT");
        assertRefused(() -> SessionHandshake.offer(text), Reason.NOT_A_HANDSHAKE);
        assertRefused(() -> SessionHandshake.accept(ALICE, BOB_CARD, accept, HLC), Reason.NOT_A_HANDSHAKE);
        assertRefused(() -> SessionHandshake.complete(started.pending(), initToAlice, BOB_CARD),
                Reason.NOT_A_HANDSHAKE);
        assertRefused(() -> SessionHandshake.openRenew(BOB, ALICE_CARD, init), Reason.NOT_A_HANDSHAKE);
    }

    /**
     * A replayed INIT is a genuine envelope, and accepting it again would start a session nobody asked for: the
     * engine refuses it by its session id, which {@link SessionHandshake#offer} reads and {@link Accepted} records.
     */
    @Test
    void aReplayedInitNamesTheSessionItStartedBefore() throws Exception {
        Envelope init = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW).init();
        Accepted first = SessionHandshake.accept(BOB, ALICE_CARD, open(BOB, init), HLC);

        StartOffer replayed = SessionHandshake.offer(open(BOB, init));

        assertThat(replayed.sessionId()).isEqualTo(first.sessionId());
        assertThat(replayed.initiator()).isEqualTo(ALICE.peerId());
        assertThat(replayed.createdAt()).isEqualTo(first.initiatedAt()).isEqualTo(NOW);
    }

    @Test
    void theWinnerOfTwoStartsIsTheSameWhicheverSideAsks() {
        StartOffer alices = new StartOffer(ALICE.peerId(), SessionId.random(), NOW);
        StartOffer bobs = new StartOffer(BOB.peerId(), SessionId.random(), NOW);
        StartOffer alicesOther = new StartOffer(ALICE.peerId(), SessionId.random(), NOW);

        assertThat(SessionHandshake.winner(alices, bobs)).isSameAs(SessionHandshake.winner(bobs, alices));
        assertThat(SessionHandshake.winner(alices, alicesOther))
                .isSameAs(SessionHandshake.winner(alicesOther, alices));
        boolean aliceSortsLower = java.util.Arrays.compareUnsigned(ALICE.peerId().bytes(), BOB.peerId().bytes()) < 0;
        assertThat(SessionHandshake.winner(alices, bobs)).isSameAs(aliceSortsLower ? alices : bobs);
    }

    /** Alice and Bob start at once; each follows the rule on its own side and both end in one session. */
    @Test
    void crossingStartsConvergeOnOneSession() throws Exception {
        Started alicesStart = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Started bobsStart = SessionHandshake.start(BOB, ALICE_CARD, HLC, NOW);
        Opened bobsInitAtAlice = open(ALICE, bobsStart.init());
        Opened alicesInitAtBob = open(BOB, alicesStart.init());

        StartOffer alicesWinner = SessionHandshake.winner(alicesStart.pending().offer(),
                SessionHandshake.offer(bobsInitAtAlice));
        StartOffer bobsWinner = SessionHandshake.winner(SessionHandshake.offer(alicesInitAtBob),
                bobsStart.pending().offer());
        assertThat(alicesWinner.sessionId()).isEqualTo(bobsWinner.sessionId());

        SessionSecrets atAlice;
        SessionSecrets atBob;
        if (alicesWinner.initiator().equals(ALICE.peerId())) {
            Accepted accepted = SessionHandshake.accept(BOB, ALICE_CARD, alicesInitAtBob, HLC);
            atBob = accepted.secrets();
            atAlice = SessionHandshake.complete(alicesStart.pending(), open(ALICE, accepted.accept()), BOB_CARD)
                    .secrets();
        } else {
            Accepted accepted = SessionHandshake.accept(ALICE, BOB_CARD, bobsInitAtAlice, HLC);
            atAlice = accepted.secrets();
            atBob = SessionHandshake.complete(bobsStart.pending(), open(BOB, accepted.accept()), ALICE_CARD)
                    .secrets();
        }
        assertThat(atAlice).isEqualTo(atBob);
    }

    @Test
    void aRenewRequestNamesWhatDidNotOpen() throws Exception {
        SessionId lost = SessionId.random();
        MessageId unreadable = MessageId.random();

        Envelope withSession = SessionHandshake.renew(BOB, ALICE_CARD, Optional.of(lost), Optional.of(unreadable),
                HLC, NOW);
        Envelope withNothing = SessionHandshake.renew(BOB, ALICE_CARD, Optional.empty(), Optional.empty(), HLC, NOW);

        assertThat(withSession.header().kind()).isEqualTo(EnvelopeKind.SESSION_RENEW);
        RenewRequest request = SessionHandshake.openRenew(ALICE, BOB_CARD, open(ALICE, withSession));
        assertThat(request).isEqualTo(new RenewRequest(BOB.peerId(), Optional.of(lost), Optional.of(unreadable), NOW));
        assertThat(SessionHandshake.openRenew(ALICE, BOB_CARD, open(ALICE, withNothing)))
                .isEqualTo(new RenewRequest(BOB.peerId(), Optional.empty(), Optional.empty(), NOW));
    }

    @Test
    void aRenewRequestFromAnotherPeerOrMalformedIsRefused() throws Exception {
        Opened mallorys = open(ALICE, SessionHandshake.renew(MALLORY, ALICE_CARD, Optional.empty(), Optional.empty(),
                HLC, NOW));
        Opened shortSession = signedBy(BOB, ALICE_CARD, ALICE, EnvelopeKind.SESSION_RENEW,
                SessionStartProtos.SessionRenew.newBuilder().setSessionId(ByteString.copyFrom(new byte[3])).build()
                        .toByteArray());
        Opened shortMessage = signedBy(BOB, ALICE_CARD, ALICE, EnvelopeKind.SESSION_RENEW,
                SessionStartProtos.SessionRenew.newBuilder().setUnreadableMessageId(ByteString.copyFrom(new byte[3]))
                        .build().toByteArray());
        Opened garbage = signedBy(BOB, ALICE_CARD, ALICE, EnvelopeKind.SESSION_RENEW, new byte[] {(byte) 0xff});

        assertRefused(() -> SessionHandshake.openRenew(ALICE, BOB_CARD, mallorys), Reason.WRONG_PEER);
        assertRefused(() -> SessionHandshake.openRenew(ALICE, BOB_CARD, shortSession), Reason.MALFORMED);
        assertRefused(() -> SessionHandshake.openRenew(ALICE, BOB_CARD, shortMessage), Reason.MALFORMED);
        assertRefused(() -> SessionHandshake.openRenew(ALICE, BOB_CARD, garbage), Reason.MALFORMED);
    }

    @Test
    void textFormsShowNoSecret() throws Exception {
        Started started = SessionHandshake.start(ALICE, BOB_CARD, HLC, NOW);
        Accepted accepted = SessionHandshake.accept(BOB, ALICE_CARD, open(BOB, started.init()), HLC);
        Completed completed = SessionHandshake.complete(started.pending(), open(ALICE, accepted.accept()), BOB_CARD);
        byte[] ephemeralPrivate = SessionStartProtos.PendingSessionStart.parseFrom(started.pending().encode())
                .getEphemeralPrivate().toByteArray();

        String shown = started.pending() + " " + accepted + " " + completed;

        for (byte[] secret : List.of(ephemeralPrivate, accepted.responderRatchet().privateKey(),
                accepted.secrets().rootKey(), accepted.secrets().initiatorHeaderKey(),
                accepted.secrets().responderNextHeaderKey())) {
            assertThat(shown).doesNotContain(HexFormat.of().formatHex(secret, 0, 4));
        }
        assertThat(shown).contains(accepted.sessionId().toString());
    }
}
