package dev.parley.crypto;

import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.EnvelopeHeader.Sealing;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.PeerId;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Seals and opens {@link Envelope}s with Tink: 1:1 payloads with HPKE to the recipient's card key (context
 * info = header bytes), room payloads with AES-256-GCM under the sender's {@link SenderKey} (associated data =
 * header bytes; a chained key's message key for the envelope's number), both signed with the sender's Ed25519
 * identity key; and 1:1 payloads under a session, unsigned, with the session's keys plugged in by the caller
 * ({@link #sealSession}, {@link #openSession}).
 *
 * <p>Opening checks, in this order, and stops at the first failure with its {@link Reason}: size, parsing,
 * version, kind, sealing ({@link Envelope#decode}); the signature (not for a session envelope), with the key the sender's PeerId inlines; that the
 * envelope is for this peer, or that the ring holds the key for its (room, sender, epoch); decryption; and
 * last the replay guard, so an envelope that fails a check never uses up its message id. Stateless and
 * thread-safe; a chained sender key moves on as it seals and opens.
 */
public final class TinkEnvelopeSealer {
    /** A 1:1 envelope to the owner of {@code recipient}, sealed to the HPKE key on that card. */
    public Envelope sealDirect(Identity sender, ContactCard recipient, HeaderFields fields, byte[] plaintext)
            throws EnvelopeException {
        checkPlaintextSize(fields, plaintext);
        EnvelopeHeader header = header(sender, new Recipient.Peer(recipient.peerId()), 0, 0, fields, Sealing.SIGNED);
        return Envelope.signed(header, headerBytes -> recipient.hpkeEncrypt().encrypt(plaintext, headerBytes), sender);
    }

    /**
     * A room envelope under the sender's own key for that room and epoch. A chained key moves on past
     * {@code sequence} before the envelope exists: keep {@link SenderKey#encode()} durably before the envelope leaves.
     *
     * @param sequence the sender's number for this envelope in the room: one more than its previous one, from 1
     * @throws IllegalArgumentException if {@code key} is not {@code sender}'s, or {@code sequence} is below 1
     * @throws IllegalStateException    if a chained {@code key} is past {@code sequence} already
     */
    public Envelope sealRoom(Identity sender, SenderKey key, HeaderFields fields, long sequence, byte[] plaintext)
            throws EnvelopeException {
        if (!key.owner().equals(sender.peerId())) {
            throw new IllegalArgumentException(sender.peerId() + " cannot seal with " + key + ", which is not its own");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("room envelopes are numbered from 1, not " + sequence);
        }
        checkPlaintextSize(fields, plaintext);
        EnvelopeHeader header = header(sender, new Recipient.Room(key.room()), key.epoch(), sequence, fields,
                Sealing.SIGNED);
        return Envelope.signed(header, headerBytes -> key.seal(sequence, plaintext, headerBytes), sender);
    }

    /**
     * Distributes {@code key} to one room member: a 1:1 envelope of kind SENDER_KEY carrying
     * {@link SenderKey#encodeForMembers()}, a chained key as it stands now.
     */
    public Envelope sealSenderKey(Identity sender, ContactCard member, SenderKey key, long hlc)
            throws EnvelopeException {
        HeaderFields fields = HeaderFields.of(
                ConversationId.direct(sender.peerId(), member.peerId()), hlc, EnvelopeKind.SENDER_KEY);
        return sealDirect(sender, member, fields, key.encodeForMembers());
    }

    /**
     * A 1:1 envelope under a session: no signature, and {@code encryptor} (the session's next message key) gets the
     * header bytes as associated data, so the session vouches for the header as a signature would. Sessions never
     * carry the kinds that start or renew one: those are signed, because they are sent when no session works. The
     * encryptor runs before the size check, so the caller keeps the session's advanced state only together with the
     * envelope this returns (one transaction), never after an exception.
     *
     * @throws IllegalArgumentException if {@code fields} is of a kind that is always signed
     */
    public Envelope sealSession(Identity sender, PeerId recipient, HeaderFields fields, Envelope.Encryptor encryptor)
            throws EnvelopeException {
        if (fields.kind() == EnvelopeKind.SESSION_INIT || fields.kind() == EnvelopeKind.SESSION_ACCEPT
                || fields.kind() == EnvelopeKind.SESSION_RENEW) {
            throw new IllegalArgumentException("an envelope of kind " + fields.kind() + " is always signed, never"
                    + " sealed under a session");
        }
        EnvelopeHeader header = header(sender, new Recipient.Peer(recipient), 0, 0, fields, Sealing.SESSION);
        return Envelope.session(header, encryptor);
    }

    /** Opens a 1:1 signed envelope addressed to {@code me}; a session envelope is WRONG_SEALING. */
    public Opened openDirect(Identity me, byte[] encoded, ReplayGuard guard) throws EnvelopeException {
        Envelope envelope = verified(encoded);
        EnvelopeHeader header = envelope.header();
        checkAddressedTo(me, header);
        byte[] plaintext;
        try {
            plaintext = me.hpkeDecrypt().decrypt(envelope.ciphertext(), envelope.headerBytes());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(Reason.DECRYPTION_FAILED, describe(header) + " does not decrypt with the"
                    + " HPKE key of " + me.peerId() + ": sealed to another key, or altered and re-signed", e);
        }
        return accept(header, plaintext, guard);
    }

    /**
     * Opens a 1:1 envelope sealed under a session and addressed to {@code me}: the checks of {@link #openDirect}
     * but the signature, which a session envelope does not have; {@code decryptor} (the session) authenticates the
     * header bytes instead, so a changed header fails as DECRYPTION_FAILED. A signed envelope is WRONG_SEALING.
     */
    public Opened openSession(Identity me, byte[] encoded, Envelope.Decryptor decryptor, ReplayGuard guard)
            throws EnvelopeException {
        Envelope envelope = Envelope.decode(encoded);
        EnvelopeHeader header = envelope.header();
        if (header.sealing() != Sealing.SESSION) {
            throw new EnvelopeException(Reason.WRONG_SEALING, describe(header) + " is a signed envelope, not one"
                    + " sealed under a session; it opens with openDirect or openRoom");
        }
        checkAddressedTo(me, header);
        byte[] plaintext;
        try {
            plaintext = decryptor.decrypt(envelope.ciphertext(), envelope.headerBytes());
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(Reason.DECRYPTION_FAILED, describe(header) + " does not open under the"
                    + " session it was given: another session, a used message key, or altered bytes", e);
        }
        return accept(header, plaintext, guard);
    }

    private static void checkAddressedTo(Identity me, EnvelopeHeader header) throws EnvelopeException {
        if (!(header.recipient() instanceof Recipient.Peer peer) || !peer.peer().equals(me.peerId())) {
            throw new EnvelopeException(Reason.WRONG_RECIPIENT, describe(header) + " is addressed to "
                    + describe(header.recipient()) + ", not to " + me.peerId());
        }
    }

    /**
     * Checks what needs no key, and the sender's signature: a room member can tell whether an envelope is genuine,
     * and keep or pass it on, before it holds the sender key that opens it.
     *
     * @throws EnvelopeException OVERSIZED, MALFORMED, UNSUPPORTED_VERSION, UNKNOWN_KIND, UNKNOWN_SEALING,
     *         BAD_SIGNATURE, or WRONG_SEALING for a session envelope, which has no signature to check
     */
    public VerifiedEnvelope verify(byte[] encoded) throws EnvelopeException {
        return new VerifiedEnvelope(verified(encoded));
    }

    /**
     * Opens a room envelope with the sender key {@code ring} holds for its room, sender and epoch; a chained key moves
     * on (keep {@link SenderKey#encode()} in the same write as the message).
     *
     * @throws EnvelopeException as {@link TinkEnvelopeSealer} says; for a chained key also MESSAGE_KEY_GONE (a number
     *                           below the chain whose key is not kept: opened already, or lost to this member for
     *                           good) and TOO_FAR_AHEAD (more than {@link SenderKey#MAX_SKIP} past the chain)
     */
    public Opened openRoom(byte[] encoded, SenderKeyRing ring, ReplayGuard guard) throws EnvelopeException {
        return openRoomKeepingKey(encoded, ring, guard).opened();
    }

    /**
     * A room envelope opened, and the stored form ({@link SenderKey#encode()}) of the chained sender key that opened
     * it as opening it left it, taken at once: keep it in the same write as the message, so that the key stored is
     * never ahead of the messages stored. Empty for a static key, which never changes.
     */
    public record RoomOpening(Opened opened, Optional<byte[]> keyState) {
    }

    /** As {@link #openRoom}, with the key's stored form as opening left it. */
    public RoomOpening openRoomKeepingKey(byte[] encoded, SenderKeyRing ring, ReplayGuard guard)
            throws EnvelopeException {
        return openRoomKeepingKey(verify(encoded), ring, guard);
    }

    /** As {@link #openRoomKeepingKey(byte[], SenderKeyRing, ReplayGuard)}, for an envelope verified already. */
    public RoomOpening openRoomKeepingKey(VerifiedEnvelope verified, SenderKeyRing ring, ReplayGuard guard)
            throws EnvelopeException {
        Envelope envelope = verified.envelope();
        EnvelopeHeader header = envelope.header();
        if (!(header.recipient() instanceof Recipient.Room room)) {
            throw new EnvelopeException(Reason.WRONG_RECIPIENT,
                    describe(header) + " is addressed to " + describe(header.recipient()) + ", not to a room");
        }
        SenderKey key = ring.find(room.room(), header.sender(), header.epoch()).orElseThrow(() ->
                new EnvelopeException(Reason.UNKNOWN_SENDER_KEY, describe(header) + ": no sender key of "
                        + header.sender() + " for room " + room.room() + " epoch " + header.epoch()
                        + " is known; it has to be sent 1:1 by " + header.sender()));
        SenderKey.Opening opening;
        try {
            opening = key.openKeeping(header.sequence(), envelope.ciphertext(), envelope.headerBytes(),
                    ring.clock().instant());
        } catch (EnvelopeException e) {
            throw new EnvelopeException(e.reason(), describe(header) + " in " + key + ": " + e.getMessage(), e);
        }
        return new RoomOpening(accept(header, opening.plaintext(), guard), Optional.ofNullable(opening.keyState()));
    }

    /**
     * The sender key an opened SENDER_KEY envelope carries, checked to be the sender's own, so that no member
     * can plant a key in another member's name.
     */
    public SenderKey openSenderKey(Opened opened) throws EnvelopeException {
        EnvelopeHeader header = opened.header();
        if (header.kind() != EnvelopeKind.SENDER_KEY) {
            throw new EnvelopeException(Reason.INVALID_SENDER_KEY,
                    describe(header) + " is of kind " + header.kind() + ", not " + EnvelopeKind.SENDER_KEY);
        }
        SenderKey key;
        try {
            key = SenderKey.decodeHandedOut(opened.plaintext());
        } catch (InvalidSenderKeyException e) {
            throw new EnvelopeException(Reason.INVALID_SENDER_KEY, describe(header) + ": " + e.getMessage(), e);
        }
        if (!key.owner().equals(header.sender())) {
            throw new EnvelopeException(Reason.INVALID_SENDER_KEY,
                    describe(header) + " carries " + key + ", which is not the sender's own");
        }
        return key;
    }

    private static void checkPlaintextSize(HeaderFields fields, byte[] plaintext) throws EnvelopeException {
        if (plaintext.length > Envelope.MAX_SIZE) {
            throw new EnvelopeException(Reason.OVERSIZED, "message " + fields.messageId() + " of "
                    + plaintext.length + " bytes cannot fit an envelope of at most " + Envelope.MAX_SIZE + " bytes");
        }
    }

    private static EnvelopeHeader header(Identity sender, Recipient recipient, long epoch, long sequence,
                                         HeaderFields fields, Sealing sealing) {
        return new EnvelopeHeader(Envelope.VERSION, fields.messageId(), fields.conversationId(), sender.peerId(),
                recipient, epoch, fields.hlc(), fields.kind(), sequence, sealing);
    }

    private static Envelope verified(byte[] encoded) throws EnvelopeException {
        Envelope envelope = Envelope.decode(encoded);
        EnvelopeHeader header = envelope.header();
        if (header.sealing() != Sealing.SIGNED) {
            throw new EnvelopeException(Reason.WRONG_SEALING, describe(header) + " is sealed under a session and"
                    + " carries no signature; it opens with openSession and the session's keys");
        }
        Ed25519.PublicPoint senderKey;
        try {
            senderKey = SignerKeys.of(header.sender());
        } catch (InvalidKeyException e) {
            throw new EnvelopeException(Reason.MALFORMED,
                    describe(header) + ": the sender's PeerId does not inline an Ed25519 key", e);
        }
        if (!SignerKeys.verifies(senderKey, envelope.signature(), envelope.signedBytes())) {
            throw new EnvelopeException(Reason.BAD_SIGNATURE, describe(header)
                    + ": the signature is not the sender's over this header and ciphertext");
        }
        return envelope;
    }

    private static Opened accept(EnvelopeHeader header, byte[] plaintext, ReplayGuard guard) throws EnvelopeException {
        if (!guard.firstSeen(header.messageId())) {
            throw new EnvelopeException(Reason.REPLAYED, describe(header) + " was opened before; this is a replay");
        }
        return new Opened(header, plaintext);
    }

    private static String describe(EnvelopeHeader header) {
        return "message " + header.messageId() + " from " + header.sender();
    }

    private static String describe(Recipient recipient) {
        return switch (recipient) {
            case Recipient.Peer peer -> "peer " + peer.peer();
            case Recipient.Room room -> "room " + room.room();
        };
    }
}
