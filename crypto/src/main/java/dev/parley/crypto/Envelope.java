package dev.parley.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.transport.multiformats.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;

/**
 * The unit that travels and is stored: header, ciphertext and, unless it is sealed under a session, the sender's
 * Ed25519 signature.
 *
 * <pre>
 * Envelope       { bytes header = 1; bytes ciphertext = 2; bytes signature = 3; }      protobuf
 * header         serialized EnvelopeHeader, kept verbatim (never re-serialized)
 * ciphertext     1:1:  Tink HPKE to the recipient, context info = header
 *                room: AES-256-GCM under the sender key, associated data = header
 *                1:1 session: the session's AEAD, associated data = header
 * signed bytes   "parley/envelope/1" 0x00 || u32 big-endian length(header) || header || ciphertext
 *                (empty signature for a session envelope)
 * </pre>
 *
 * {@link #decode} checks everything that needs no key: size, parsing, version, kind, sealing and field sizes. The
 * signature and the payload are checked by {@link TinkEnvelopeSealer}. Any peer can carry and store an
 * envelope without being able to read or forge it.
 */
public final class Envelope {
    /** Largest encoded envelope: the /parley/chat frame limit (app/README.md, "Protocols"). */
    public static final int MAX_SIZE = 256 * 1024;
    public static final int VERSION = 1;

    private static final byte[] SIGNATURE_DOMAIN = "parley/envelope/1\0".getBytes(StandardCharsets.UTF_8);

    private final EnvelopeHeader header;
    private final byte[] headerBytes;
    private final byte[] ciphertext;
    private final byte[] signature;

    private Envelope(EnvelopeHeader header, byte[] headerBytes, byte[] ciphertext, byte[] signature) {
        this.header = header;
        this.headerBytes = headerBytes;
        this.ciphertext = ciphertext;
        this.signature = signature;
    }

    /** Seals and signs: the header bytes are made here once and then signed and encrypted as they are. */
    static Envelope signed(EnvelopeHeader header, Encryptor encryptor, Identity sender) throws EnvelopeException {
        byte[] headerBytes = encodeHeader(header);
        byte[] ciphertext = encrypt(header, encryptor, headerBytes);
        return checkedSize(new Envelope(header, headerBytes, ciphertext,
                sender.sign(signedBytes(headerBytes, ciphertext))));
    }

    /** Seals under a session: no signature, the encryptor authenticates the header bytes as associated data. */
    static Envelope session(EnvelopeHeader header, Encryptor encryptor) throws EnvelopeException {
        byte[] headerBytes = encodeHeader(header);
        return checkedSize(new Envelope(header, headerBytes, encrypt(header, encryptor, headerBytes), new byte[0]));
    }

    private static byte[] encrypt(EnvelopeHeader header, Encryptor encryptor, byte[] headerBytes) {
        try {
            return encryptor.encrypt(headerBytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt " + header.messageId() + " with a key that was accepted",
                    e);
        }
    }

    private static Envelope checkedSize(Envelope envelope) throws EnvelopeException {
        int size = envelope.toProto().getSerializedSize();
        if (size > MAX_SIZE) {
            throw new EnvelopeException(Reason.OVERSIZED, "envelope " + envelope.header.messageId() + " would be "
                    + size + " bytes, over the limit of " + MAX_SIZE);
        }
        return envelope;
    }

    /**
     * Encrypts a payload for the header bytes given: HPKE to a card key or a sender key's AEAD for a signed
     * envelope, the session's message key for a session envelope. The header bytes are the associated data.
     */
    @FunctionalInterface
    public interface Encryptor {
        byte[] encrypt(byte[] headerBytes) throws GeneralSecurityException;
    }

    /**
     * Decrypts a session envelope's ciphertext with its header bytes as associated data. Any failure (no session,
     * wrong key, altered bytes) is a {@link GeneralSecurityException}, which the opener reports as DECRYPTION_FAILED
     * with the exception as its cause.
     */
    @FunctionalInterface
    public interface Decryptor {
        byte[] decrypt(byte[] ciphertext, byte[] headerBytes) throws GeneralSecurityException;
    }

    /**
     * Parses an envelope and checks what needs no key.
     *
     * @throws EnvelopeException OVERSIZED, MALFORMED, UNSUPPORTED_VERSION, UNKNOWN_KIND, UNKNOWN_SEALING, WRONG_SEALING
     *         (a session envelope to a room, or of a kind that is always signed) or BAD_SIGNATURE (a signed envelope
     *         without a signature, a session envelope with one)
     */
    public static Envelope decode(byte[] encoded) throws EnvelopeException {
        if (encoded.length > MAX_SIZE) {
            throw new EnvelopeException(Reason.OVERSIZED,
                    "envelope of " + encoded.length + " bytes exceeds the limit of " + MAX_SIZE);
        }
        EnvelopeProtos.Envelope envelope;
        EnvelopeProtos.EnvelopeHeader header;
        try {
            envelope = EnvelopeProtos.Envelope.parseFrom(encoded);
            header = EnvelopeProtos.EnvelopeHeader.parseFrom(envelope.getHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new EnvelopeException(Reason.MALFORMED, "envelope does not parse: " + e.getMessage(), e);
        }
        if (header.getVersion() == 0) {
            throw new EnvelopeException(Reason.MALFORMED, "envelope header has no version; it is empty or not a header");
        }
        if (header.getVersion() != VERSION) {
            throw new EnvelopeException(Reason.UNSUPPORTED_VERSION, "envelope version " + header.getVersion()
                    + " is not supported; this Parley speaks version " + VERSION);
        }
        EnvelopeKind kind = EnvelopeKind.fromWire(header.getKindValue()).orElseThrow(() -> new EnvelopeException(
                Reason.UNKNOWN_KIND, "envelope kind " + header.getKindValue() + " is unknown to this Parley"));
        EnvelopeHeader.Sealing sealing = EnvelopeHeader.Sealing.fromWire(header.getSealingValue()).orElseThrow(() ->
                new EnvelopeException(Reason.UNKNOWN_SEALING, "envelope sealing " + header.getSealingValue()
                        + " is unknown to this Parley"));
        EnvelopeHeader parsed;
        try {
            parsed = new EnvelopeHeader(header.getVersion(),
                    MessageId.fromBytes(header.getMessageId().toByteArray()),
                    ConversationId.fromBytes(header.getConversationId().toByteArray()),
                    PeerId.fromBytes(header.getSender().toByteArray()),
                    recipient(header), header.getEpoch(), header.getHlc(), kind, header.getSequence(), sealing);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeException(Reason.MALFORMED, "envelope header is invalid: " + e.getMessage(), e);
        }
        if (parsed.epoch() < 0 || parsed.sequence() < 0) {
            throw new EnvelopeException(Reason.MALFORMED, "envelope " + parsed.messageId() + " has epoch "
                    + Long.toUnsignedString(parsed.epoch()) + " and sequence number "
                    + Long.toUnsignedString(parsed.sequence()) + "; neither goes beyond " + Long.MAX_VALUE);
        }
        boolean toRoom = parsed.recipient() instanceof Recipient.Room;
        if (toRoom != (parsed.sequence() != 0)) {
            throw new EnvelopeException(Reason.MALFORMED, "envelope " + parsed.messageId() + " has sequence number "
                    + Long.toUnsignedString(parsed.sequence()) + (toRoom ? "; room envelopes are numbered from 1"
                    : "; only room envelopes are numbered"));
        }
        checkSealing(parsed, envelope.getSignature().isEmpty());
        return new Envelope(parsed, envelope.getHeader().toByteArray(), envelope.getCiphertext().toByteArray(),
                envelope.getSignature().toByteArray());
    }

    /**
     * A session envelope is 1:1, unsigned (its AEAD vouches for the header) and never one of the kinds that start
     * or renew a session, which must be signed because they are sent when no session works. A signed envelope has
     * a signature (one without is refused here rather than handed to verification) and is never a SESSION_READY,
     * which only means something under the session it is the first message of.
     */
    private static void checkSealing(EnvelopeHeader header, boolean unsigned) throws EnvelopeException {
        // Spelled out only for a refusal: every envelope read passes here, and spelling a PeerId costs base58.
        Supplier<String> what = () -> "envelope " + header.messageId() + " from " + header.sender();
        switch (header.sealing()) {
            case SIGNED -> {
                if (unsigned) {
                    throw new EnvelopeException(Reason.BAD_SIGNATURE, what.get() + " is sealed to be signed but carries no"
                            + " signature");
                }
                if (header.kind() == EnvelopeKind.SESSION_READY) {
                    throw new EnvelopeException(Reason.WRONG_SEALING, what.get() + " of kind SESSION_READY is signed; that"
                            + " kind is only ever sealed under the session it opens");
                }
            }
            case SESSION -> {
                if (!unsigned) {
                    throw new EnvelopeException(Reason.BAD_SIGNATURE, what.get() + " is sealed under a session, which"
                            + " carries no signature, yet has one");
                }
                if (!(header.recipient() instanceof Recipient.Peer)) {
                    throw new EnvelopeException(Reason.WRONG_SEALING, what.get() + " is sealed under a session but"
                            + " addressed to a room; sessions are 1:1");
                }
                if (header.kind() == EnvelopeKind.SESSION_INIT || header.kind() == EnvelopeKind.SESSION_ACCEPT
                        || header.kind() == EnvelopeKind.SESSION_RENEW) {
                    throw new EnvelopeException(Reason.WRONG_SEALING, what.get() + " of kind " + header.kind()
                            + " is sealed under a session; that kind is always signed");
                }
            }
        }
    }

    private static Recipient recipient(EnvelopeProtos.EnvelopeHeader header) {
        return switch (header.getRecipientCase()) {
            case RECIPIENT_PEER -> new Recipient.Peer(PeerId.fromBytes(header.getRecipientPeer().toByteArray()));
            case ROOM_ID -> new Recipient.Room(RoomId.fromBytes(header.getRoomId().toByteArray()));
            case RECIPIENT_NOT_SET -> throw new IllegalArgumentException("it names no recipient");
        };
    }

    private static byte[] encodeHeader(EnvelopeHeader header) {
        EnvelopeProtos.EnvelopeHeader.Builder wire = EnvelopeProtos.EnvelopeHeader.newBuilder()
                .setVersion(header.version())
                .setMessageId(ByteString.copyFrom(header.messageId().bytes()))
                .setConversationId(ByteString.copyFrom(header.conversationId().bytes()))
                .setSender(ByteString.copyFrom(header.sender().bytes()))
                .setEpoch(header.epoch())
                .setHlc(header.hlc())
                .setKindValue(header.kind().wireNumber())
                .setSequence(header.sequence())
                .setSealingValue(header.sealing().wireNumber());
        switch (header.recipient()) {
            case Recipient.Peer peer -> wire.setRecipientPeer(ByteString.copyFrom(peer.peer().bytes()));
            case Recipient.Room room -> wire.setRoomId(ByteString.copyFrom(room.room().bytes()));
        }
        return wire.build().toByteArray();
    }

    /** What the sender signs: the domain, then the header length-prefixed so header and ciphertext cannot shift. */
    static byte[] signedBytes(byte[] headerBytes, byte[] ciphertext) {
        return ByteBuffer.allocate(SIGNATURE_DOMAIN.length + 4 + headerBytes.length + ciphertext.length)
                .put(SIGNATURE_DOMAIN)
                .putInt(headerBytes.length)
                .put(headerBytes)
                .put(ciphertext)
                .array();
    }

    private EnvelopeProtos.Envelope toProto() {
        return EnvelopeProtos.Envelope.newBuilder()
                .setHeader(ByteString.copyFrom(headerBytes))
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    public byte[] encode() {
        return toProto().toByteArray();
    }

    public EnvelopeHeader header() {
        return header;
    }

    /** The header exactly as signed and encrypted. */
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    byte[] signedBytes() {
        return signedBytes(headerBytes, ciphertext);
    }

    /** The header only: an envelope's text form shows no ciphertext. */
    @Override
    public String toString() {
        return "Envelope" + header;
    }
}
