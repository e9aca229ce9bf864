package dev.parley.crypto.session;

import com.google.crypto.tink.subtle.Hkdf;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.SessionHandshakeException.Reason;
import dev.parley.crypto.wire.SessionStartProtos;
import dev.parley.transport.multiformats.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Starts a forward-secret 1:1 session between two online peers (crypto/README.md, "Sessions: starting one"): the
 * initiator sends a SESSION_INIT with a fresh ephemeral X25519 key, the responder answers with a SESSION_ACCEPT with
 * its own, and both derive the same {@link SessionSecrets} from the two ephemeral keys. Both messages are ordinary
 * signed 1:1 envelopes (HPKE to the recipient's card key, Ed25519 by the sender), so the session is bound to both
 * identities; because both keys are ephemeral, the very first session message is forward secret as well.
 *
 * <pre>
 * secrets = HKDF-SHA256(ikm  = X25519(initiator ephemeral, responder ephemeral),
 *                       salt = SHA-256(INIT body || ACCEPT body),
 *                       info = "parley/session/1" || initiator PeerId bytes || responder PeerId bytes) → 96 bytes
 *         = root key (0..31) || initiator header key (32..63) || responder next header key (64..95)
 * </pre>
 *
 * <p>Pure functions of their arguments except for the random keys and session ids: the caller stores what they return
 * (a {@link PendingStart}, an {@link Accepted} session) in the same transaction as the envelope it sends. Thread-safe.
 */
public final class SessionHandshake {
    /** The HKDF info's prefix: names the protocol and its version, so no other derivation can yield these keys. */
    private static final byte[] INFO_PREFIX = "parley/session/1".getBytes(StandardCharsets.UTF_8);
    private static final int SECRETS_SIZE = 3 * SessionSecrets.KEY_SIZE;
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionHandshake() {
    }

    /** A session's 16-byte id, chosen at random by its initiator. Not secret: it names the session. */
    public record SessionId(long high, long low) {
        public static final int SIZE = 16;

        public static SessionId random() {
            byte[] bytes = new byte[SIZE];
            RANDOM.nextBytes(bytes);
            return fromBytes(bytes);
        }

        /** @throws IllegalArgumentException if {@code bytes} is not 16 bytes long */
        public static SessionId fromBytes(byte[] bytes) {
            if (bytes.length != SIZE) {
                throw new IllegalArgumentException("a session id has " + SIZE + " bytes, got " + bytes.length);
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new SessionId(in.getLong(), in.getLong());
        }

        public byte[] bytes() {
            return ByteBuffer.allocate(SIZE).putLong(high).putLong(low).array();
        }

        @Override
        public String toString() {
            return HexFormat.of().formatHex(bytes());
        }
    }

    /**
     * What an INIT offers, read without any key: who starts which session and when. Enough to refuse an INIT whose
     * session id was seen before (a replay: an old INIT is still a valid envelope) and to settle two crossing INITs
     * with {@link #winner}.
     */
    public record StartOffer(PeerId initiator, SessionId sessionId, Instant createdAt) {
    }

    /** What {@link #start} gives: the INIT envelope to send, and what to keep until the ACCEPT comes. */
    public record Started(Envelope init, PendingStart pending) {
    }

    /**
     * What {@link #accept} gives the responder: the ACCEPT envelope to send, and the session to keep. The responder
     * starts its ratchet with {@code secrets} and {@code responderRatchet} as its first DH key pair; it can send once
     * the initiator's first session message has come (the specification's Bob has no sending chain before then).
     *
     * @param initiator the peer that started the session
     * @param initiatedAt the initiator's clock when it started: an engine may refuse an INIT far older than any it
     *        could still be waiting for
     */
    public record Accepted(Envelope accept, SessionSecrets secrets, RatchetKeyPair responderRatchet,
            SessionId sessionId, PeerId initiator, Instant initiatedAt) {
        /** Never the secrets. */
        @Override
        public String toString() {
            return "Accepted[session " + sessionId + " from " + initiator + "]";
        }
    }

    /**
     * What {@link #complete} gives the initiator: the session's secrets and the responder's first ratchet public key,
     * with which the initiator's ratchet makes its first DH step.
     */
    public record Completed(SessionSecrets secrets, byte[] responderRatchetPublic, SessionId sessionId,
            PeerId responder) {
        public Completed {
            responderRatchetPublic = responderRatchetPublic.clone();
        }

        @Override
        public byte[] responderRatchetPublic() {
            return responderRatchetPublic.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Completed other && secrets.equals(other.secrets)
                    && Arrays.equals(responderRatchetPublic, other.responderRatchetPublic)
                    && sessionId.equals(other.sessionId) && responder.equals(other.responder);
        }

        @Override
        public int hashCode() {
            return sessionId.hashCode();
        }

        /** Never the secrets. */
        @Override
        public String toString() {
            return "Completed[session " + sessionId + " with " + responder + "]";
        }
    }

    /**
     * What a SESSION_RENEW asks for.
     *
     * @param session the session the requester cannot open, when it could tell which
     * @param unreadable the envelope it could not open, when there was one
     */
    public record RenewRequest(PeerId requester, Optional<SessionId> session, Optional<MessageId> unreadable,
            Instant requestedAt) {
    }

    /**
     * The initiator's side of a handshake in flight, from INIT until ACCEPT. It holds the ephemeral private key, so
     * it is secret like session state: stored in the profile ({@link #encode}), never exported, and deleted once
     * {@link #complete} has used it (or when a crossing INIT wins, {@link #winner}).
     */
    public static final class PendingStart {
        private final SessionId sessionId;
        private final PeerId initiator;
        private final PeerId responder;
        private final RatchetKeyPair ephemeral;
        private final byte[] initBody;
        private final Instant createdAt;

        private PendingStart(SessionId sessionId, PeerId initiator, PeerId responder, RatchetKeyPair ephemeral,
                byte[] initBody, Instant createdAt) {
            this.sessionId = sessionId;
            this.initiator = initiator;
            this.responder = responder;
            this.ephemeral = ephemeral;
            this.initBody = initBody;
            this.createdAt = createdAt;
        }

        public SessionId sessionId() {
            return sessionId;
        }

        /** This side, which sent the INIT. */
        public PeerId initiator() {
            return initiator;
        }

        /** The contact the INIT went to, and the only one whose ACCEPT can complete it. */
        public PeerId responder() {
            return responder;
        }

        /** When the INIT was made, as it says: a start left unanswered for long can be given up and made anew. */
        public Instant createdAt() {
            return createdAt;
        }

        /** This start as {@link #winner} sees it. */
        public StartOffer offer() {
            return new StartOffer(initiator, sessionId, createdAt);
        }

        /** The stored form, secret: it holds the ephemeral private key. */
        public byte[] encode() {
            return SessionStartProtos.PendingSessionStart.newBuilder()
                    .setSessionId(ByteString.copyFrom(sessionId.bytes()))
                    .setInitiator(ByteString.copyFrom(initiator.bytes()))
                    .setResponder(ByteString.copyFrom(responder.bytes()))
                    .setEphemeralPrivate(ByteString.copyFrom(ephemeral.privateKey()))
                    .setInit(ByteString.copyFrom(initBody))
                    .build()
                    .toByteArray();
        }

        /**
         * A pending start from its stored form.
         *
         * @throws SessionHandshakeException MALFORMED if it does not parse, or its parts do not fit together
         */
        public static PendingStart decode(byte[] encoded) throws SessionHandshakeException {
            SessionStartProtos.PendingSessionStart stored;
            SessionStartProtos.SessionInit init;
            try {
                stored = SessionStartProtos.PendingSessionStart.parseFrom(encoded);
                init = SessionStartProtos.SessionInit.parseFrom(stored.getInit());
            } catch (InvalidProtocolBufferException e) {
                throw new SessionHandshakeException(Reason.MALFORMED, "stored pending session start does not parse",
                        e);
            }
            try {
                RatchetKeyPair ephemeral = RatchetKeyPair.fromPrivate(stored.getEphemeralPrivate().toByteArray());
                SessionId sessionId = SessionId.fromBytes(stored.getSessionId().toByteArray());
                if (!sessionId.equals(SessionId.fromBytes(init.getSessionId().toByteArray()))
                        || !MessageDigest.isEqual(ephemeral.publicKey(), init.getInitiatorEphemeral().toByteArray())) {
                    throw new SessionHandshakeException(Reason.MALFORMED, "stored pending session start " + sessionId
                            + " does not match the INIT it keeps");
                }
                return new PendingStart(sessionId, PeerId.fromBytes(stored.getInitiator().toByteArray()),
                        PeerId.fromBytes(stored.getResponder().toByteArray()), ephemeral,
                        stored.getInit().toByteArray(), Instant.ofEpochMilli(init.getCreatedAtMillis()));
            } catch (IllegalArgumentException e) {
                throw new SessionHandshakeException(Reason.MALFORMED, "stored pending session start is invalid: "
                        + e.getMessage(), e);
            }
        }

        /** Never the private key. */
        @Override
        public String toString() {
            return "PendingStart[session " + sessionId + " to " + responder + "]";
        }
    }

    /**
     * Starts a session with {@code contact}: a fresh ephemeral key and session id, sent in a SESSION_INIT envelope.
     *
     * @param hlc the envelope's hybrid-logical-clock timestamp
     * @param now the INIT's creation time, carried in it
     */
    public static Started start(Identity me, ContactCard contact, long hlc, Instant now) {
        RatchetKeyPair ephemeral = RatchetKeyPair.generate();
        SessionId sessionId = SessionId.random();
        byte[] body = SessionStartProtos.SessionInit.newBuilder()
                .setSessionId(ByteString.copyFrom(sessionId.bytes()))
                .setInitiatorEphemeral(ByteString.copyFrom(ephemeral.publicKey()))
                .setCreatedAtMillis(now.toEpochMilli())
                .build()
                .toByteArray();
        Envelope init = sealSigned(me, contact, hlc, EnvelopeKind.SESSION_INIT, body);
        Instant createdAt = Instant.ofEpochMilli(now.toEpochMilli());
        return new Started(init, new PendingStart(sessionId, me.peerId(), contact.peerId(), ephemeral, body,
                createdAt));
    }

    /**
     * Reads what an opened INIT offers without answering it: for the replay check (refuse a session id seen before)
     * and for {@link #winner} when this side has a start of its own pending with the same contact.
     *
     * @throws SessionHandshakeException NOT_A_HANDSHAKE, MALFORMED or BAD_KEY (a key of the wrong size)
     */
    public static StartOffer offer(Opened init) throws SessionHandshakeException {
        checkKind(init.header(), EnvelopeKind.SESSION_INIT);
        SessionStartProtos.SessionInit body = parseInit(init);
        return new StartOffer(init.header().sender(), sessionId(init.header(), body.getSessionId()),
                Instant.ofEpochMilli(body.getCreatedAtMillis()));
    }

    /**
     * Answers an INIT from {@code initiator} that {@code me} opened: a fresh ephemeral key, which becomes the
     * responder's first ratchet key pair, sent back in a SESSION_ACCEPT; and the session's secrets. The caller checks
     * first, with {@link #offer}, that it has not seen this session id before.
     *
     * @param hlc the ACCEPT envelope's hybrid-logical-clock timestamp
     * @throws SessionHandshakeException NOT_A_HANDSHAKE, WRONG_PEER (from another peer than {@code initiator}, or
     *         not to {@code me}), MALFORMED or BAD_KEY
     */
    public static Accepted accept(Identity me, ContactCard initiator, Opened init, long hlc)
            throws SessionHandshakeException {
        EnvelopeHeader header = init.header();
        checkKind(header, EnvelopeKind.SESSION_INIT);
        checkPeers(header, initiator.peerId(), me.peerId());
        SessionStartProtos.SessionInit body = parseInit(init);
        SessionId sessionId = sessionId(header, body.getSessionId());
        byte[] initBody = init.plaintext();
        RatchetKeyPair responder = RatchetKeyPair.generate();
        byte[] shared = agree(responder, body.getInitiatorEphemeral().toByteArray(), header, sessionId);
        byte[] acceptBody = SessionStartProtos.SessionAccept.newBuilder()
                .setSessionId(body.getSessionId())
                .setInitSha256(ByteString.copyFrom(sha256(initBody)))
                .setResponderEphemeral(ByteString.copyFrom(responder.publicKey()))
                .build()
                .toByteArray();
        SessionSecrets secrets = derive(shared, initBody, acceptBody, initiator.peerId(), me.peerId());
        Envelope accept = sealSigned(me, initiator, hlc, EnvelopeKind.SESSION_ACCEPT, acceptBody);
        return new Accepted(accept, secrets, responder, sessionId, initiator.peerId(),
                Instant.ofEpochMilli(body.getCreatedAtMillis()));
    }

    /**
     * Completes {@code pending} with the ACCEPT its responder sent: the same secrets the responder derived. A refused
     * ACCEPT leaves {@code pending} usable, so a forgery does not stop the genuine ACCEPT from completing it.
     *
     * @param responder the card of the contact the INIT went to
     * @throws SessionHandshakeException NOT_A_HANDSHAKE, WRONG_PEER (from another peer than the INIT went to, or not
     *         to this side), MALFORMED, SESSION_MISMATCH, INIT_MISMATCH or BAD_KEY
     */
    public static Completed complete(PendingStart pending, Opened accept, ContactCard responder)
            throws SessionHandshakeException {
        EnvelopeHeader header = accept.header();
        checkKind(header, EnvelopeKind.SESSION_ACCEPT);
        if (!responder.peerId().equals(pending.responder)) {
            throw new SessionHandshakeException(Reason.WRONG_PEER, "session " + pending.sessionId + " was started"
                    + " with " + pending.responder + ", not with " + responder.peerId());
        }
        checkPeers(header, pending.responder, pending.initiator);
        SessionStartProtos.SessionAccept body;
        try {
            body = SessionStartProtos.SessionAccept.parseFrom(accept.plaintext());
        } catch (InvalidProtocolBufferException e) {
            throw new SessionHandshakeException(Reason.MALFORMED, describe(header) + ": the ACCEPT does not parse",
                    e);
        }
        SessionId sessionId = sessionId(header, body.getSessionId());
        if (!sessionId.equals(pending.sessionId)) {
            throw new SessionHandshakeException(Reason.SESSION_MISMATCH, describe(header) + " accepts session "
                    + sessionId + ", not the pending " + pending.sessionId);
        }
        if (!MessageDigest.isEqual(sha256(pending.initBody), body.getInitSha256().toByteArray())) {
            throw new SessionHandshakeException(Reason.INIT_MISMATCH, describe(header) + " accepts session "
                    + sessionId + " for another INIT than the one sent");
        }
        byte[] responderPublic = body.getResponderEphemeral().toByteArray();
        byte[] shared = agree(pending.ephemeral, responderPublic, header, sessionId);
        SessionSecrets secrets = derive(shared, pending.initBody, accept.plaintext(), pending.initiator,
                pending.responder);
        return new Completed(secrets, responderPublic, sessionId, pending.responder);
    }

    /**
     * Which of two crossing INITs both peers keep, when each started a session with the other before the other's INIT
     * came: the one whose initiator's PeerId bytes sort lower (unsigned), or for one initiator, whose session id
     * does. The same answer whichever side asks and in whichever order it names them, so both converge on one
     * session: the side whose start wins ignores the other's INIT (its own is answered), and the side whose start
     * loses drops its {@link PendingStart}, accepts the winning INIT and re-seals under that session whatever it had
     * queued, so nothing is lost.
     */
    public static StartOffer winner(StartOffer one, StartOffer other) {
        int byInitiator = Arrays.compareUnsigned(one.initiator().bytes(), other.initiator().bytes());
        if (byInitiator != 0) {
            return byInitiator < 0 ? one : other;
        }
        return Arrays.compareUnsigned(one.sessionId().bytes(), other.sessionId().bytes()) <= 0 ? one : other;
    }

    /**
     * Asks {@code peer} for a new session because a session envelope from it did not open: a signed SESSION_RENEW,
     * since no session works between the two.
     *
     * @param unknownSession the session that did not open, when this side can tell which
     * @param unreadable the envelope that did not open, when there was one
     */
    public static Envelope renew(Identity me, ContactCard peer, Optional<SessionId> unknownSession,
            Optional<MessageId> unreadable, long hlc, Instant now) {
        SessionStartProtos.SessionRenew.Builder body = SessionStartProtos.SessionRenew.newBuilder()
                .setCreatedAtMillis(now.toEpochMilli());
        unknownSession.ifPresent(id -> body.setSessionId(ByteString.copyFrom(id.bytes())));
        unreadable.ifPresent(id -> body.setUnreadableMessageId(ByteString.copyFrom(id.bytes())));
        return sealSigned(me, peer, hlc, EnvelopeKind.SESSION_RENEW, body.build().toByteArray());
    }

    /**
     * Reads an opened SESSION_RENEW from {@code peer}. The engine answers one by starting a new session and re-sealing
     * under it every message the peer has not acknowledged; it should start at most one per peer at a time, since
     * each renew asks for the same thing.
     *
     * @throws SessionHandshakeException NOT_A_HANDSHAKE, WRONG_PEER or MALFORMED
     */
    public static RenewRequest openRenew(Identity me, ContactCard peer, Opened renew)
            throws SessionHandshakeException {
        EnvelopeHeader header = renew.header();
        checkKind(header, EnvelopeKind.SESSION_RENEW);
        checkPeers(header, peer.peerId(), me.peerId());
        SessionStartProtos.SessionRenew body;
        try {
            body = SessionStartProtos.SessionRenew.parseFrom(renew.plaintext());
        } catch (InvalidProtocolBufferException e) {
            throw new SessionHandshakeException(Reason.MALFORMED, describe(header) + ": the RENEW does not parse", e);
        }
        Optional<SessionId> session = body.getSessionId().isEmpty() ? Optional.empty()
                : Optional.of(sessionId(header, body.getSessionId()));
        Optional<MessageId> unreadable;
        try {
            unreadable = body.getUnreadableMessageId().isEmpty() ? Optional.empty()
                    : Optional.of(MessageId.fromBytes(body.getUnreadableMessageId().toByteArray()));
        } catch (IllegalArgumentException e) {
            throw new SessionHandshakeException(Reason.MALFORMED, describe(header) + ": the unreadable message id"
                    + " is invalid: " + e.getMessage(), e);
        }
        return new RenewRequest(header.sender(), session, unreadable, Instant.ofEpochMilli(body.getCreatedAtMillis()));
    }

    private static Envelope sealSigned(Identity me, ContactCard to, long hlc, EnvelopeKind kind, byte[] body) {
        HeaderFields fields = HeaderFields.of(ConversationId.direct(me.peerId(), to.peerId()), hlc, kind);
        try {
            return SEALER.sealDirect(me, to, fields, body);
        } catch (EnvelopeException e) {
            throw new IllegalStateException("a " + kind + " body of " + body.length + " bytes fits any envelope", e);
        }
    }

    /**
     * Handshakes travel signed: a SESSION-sealed one would need the session it starts, and the Envelope decoder
     * refuses one anyway; checked here too because everything the secrets rest on is the signature.
     */
    private static void checkKind(EnvelopeHeader header, EnvelopeKind expected) throws SessionHandshakeException {
        if (header.kind() != expected || header.sealing() != EnvelopeHeader.Sealing.SIGNED) {
            throw new SessionHandshakeException(Reason.NOT_A_HANDSHAKE, describe(header) + " is a " + header.sealing()
                    + " envelope of kind " + header.kind() + ", not a signed " + expected);
        }
    }

    private static void checkPeers(EnvelopeHeader header, PeerId from, PeerId to) throws SessionHandshakeException {
        if (!header.sender().equals(from)) {
            throw new SessionHandshakeException(Reason.WRONG_PEER, describe(header) + " is from " + header.sender()
                    + ", not from " + from);
        }
        if (!(header.recipient() instanceof Recipient.Peer peer) || !peer.peer().equals(to)) {
            throw new SessionHandshakeException(Reason.WRONG_PEER, describe(header) + " is addressed to "
                    + header.recipient() + ", not to " + to);
        }
    }

    private static SessionStartProtos.SessionInit parseInit(Opened init) throws SessionHandshakeException {
        SessionStartProtos.SessionInit body;
        try {
            body = SessionStartProtos.SessionInit.parseFrom(init.plaintext());
        } catch (InvalidProtocolBufferException e) {
            throw new SessionHandshakeException(Reason.MALFORMED, describe(init.header()) + ": the INIT does not"
                    + " parse", e);
        }
        checkKeySize(init.header(), body.getInitiatorEphemeral().size());
        return body;
    }

    private static SessionId sessionId(EnvelopeHeader header, ByteString bytes) throws SessionHandshakeException {
        if (bytes.size() != SessionId.SIZE) {
            throw new SessionHandshakeException(Reason.MALFORMED, describe(header) + " names a session id of "
                    + bytes.size() + " bytes; session ids have " + SessionId.SIZE);
        }
        return SessionId.fromBytes(bytes.toByteArray());
    }

    private static void checkKeySize(EnvelopeHeader header, int size) throws SessionHandshakeException {
        if (size != RatchetKeyPair.KEY_SIZE) {
            throw new SessionHandshakeException(Reason.BAD_KEY, describe(header) + " carries an ephemeral key of "
                    + size + " bytes; X25519 keys have " + RatchetKeyPair.KEY_SIZE);
        }
    }

    /**
     * X25519 of our ephemeral key with theirs. Tink refuses the small-order public keys, whose shared secret is the
     * same whatever our key; the all-zero check holds if it ever let one through.
     */
    private static byte[] agree(RatchetKeyPair ours, byte[] theirPublic, EnvelopeHeader header, SessionId sessionId)
            throws SessionHandshakeException {
        checkKeySize(header, theirPublic.length);
        byte[] shared;
        try {
            shared = ours.agree(theirPublic);
        } catch (GeneralSecurityException e) {
            throw new SessionHandshakeException(Reason.BAD_KEY, describe(header) + " carries an ephemeral key for"
                    + " session " + sessionId + " that X25519 refuses (small order or not on the curve)", e);
        }
        if (MessageDigest.isEqual(shared, new byte[shared.length])) {
            throw new SessionHandshakeException(Reason.BAD_KEY, describe(header) + " carries an ephemeral key for"
                    + " session " + sessionId + " of small order");
        }
        return shared;
    }

    private static SessionSecrets derive(byte[] shared, byte[] initBody, byte[] acceptBody, PeerId initiator,
            PeerId responder) {
        byte[] salt = sha256(initBody, acceptBody);
        byte[] initiatorBytes = initiator.bytes();
        byte[] responderBytes = responder.bytes();
        byte[] info = ByteBuffer.allocate(INFO_PREFIX.length + initiatorBytes.length + responderBytes.length)
                .put(INFO_PREFIX)
                .put(initiatorBytes)
                .put(responderBytes)
                .array();
        byte[] okm;
        try {
            okm = Hkdf.computeHkdf("HMACSHA256", shared, salt, info, SECRETS_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 of " + SECRETS_SIZE + " bytes is always available", e);
        }
        int size = SessionSecrets.KEY_SIZE;
        SessionSecrets secrets = new SessionSecrets(Arrays.copyOfRange(okm, 0, size),
                Arrays.copyOfRange(okm, size, 2 * size), Arrays.copyOfRange(okm, 2 * size, 3 * size));
        Arrays.fill(okm, (byte) 0);
        Arrays.fill(shared, (byte) 0);
        return secrets;
    }

    private static byte[] sha256(byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static String describe(EnvelopeHeader header) {
        return "message " + header.messageId() + " from " + header.sender();
    }
}
