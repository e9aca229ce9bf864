package dev.parley.crypto;

import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.transport.multiformats.PeerId;
import java.util.Optional;

/**
 * The parsed header of an envelope. Its wire bytes, not this record, are what the signature and the
 * encryption cover; {@link Envelope} keeps them verbatim.
 *
 * @param epoch the sender key's epoch for a room envelope; 0 for a 1:1 envelope
 * @param hlc the sender's hybrid-logical-clock timestamp
 * @param sequence for a room envelope, the sender's number for it in the room: 1, 2, 3… with no gaps, so that a
 *        member sees which of a sender's envelopes it lacks; 0 for a 1:1 envelope
 * @param sealing who vouches for the envelope: the sender's signature, or a 1:1 session's AEAD
 */
public record EnvelopeHeader(int version, MessageId messageId, ConversationId conversationId, PeerId sender,
        Recipient recipient, long epoch, long hlc, EnvelopeKind kind, long sequence, Sealing sealing) {

    /**
     * How an envelope is sealed. Wire numbers are those of {@code Sealing} in envelope.proto, matched by name;
     * {@link #SIGNED} is 0, which protobuf leaves out, so a signed envelope's header bytes are those of an envelope
     * made before sessions existed.
     */
    public enum Sealing {
        /** Signed by the sender's identity key: 1:1 payloads HPKE-sealed to the card key, room payloads under the
         *  sender key. Every envelope made before sessions. */
        SIGNED,
        /** 1:1 only: sealed under a Double Ratchet session with the header bytes as associated data, unsigned. */
        SESSION;

        int wireNumber() {
            return EnvelopeProtos.Sealing.valueOf(name()).getNumber();
        }

        static Optional<Sealing> fromWire(int number) {
            EnvelopeProtos.Sealing sealing = EnvelopeProtos.Sealing.forNumber(number);
            return sealing == null ? Optional.empty() : Optional.of(valueOf(sealing.name()));
        }
    }
}
