package dev.parley.crypto;

import dev.parley.transport.multiformats.PeerId;

/**
 * The parsed header of an envelope. Its wire bytes, not this record, are what the signature and the
 * encryption cover; {@link Envelope} keeps them verbatim.
 *
 * @param epoch the sender key's epoch for a room envelope; 0 for a 1:1 envelope
 * @param hlc the sender's hybrid-logical-clock timestamp
 * @param sequence for a room envelope, the sender's number for it in the room: 1, 2, 3… with no gaps, so that a
 *        member sees which of a sender's envelopes it lacks; 0 for a 1:1 envelope
 */
public record EnvelopeHeader(int version, MessageId messageId, ConversationId conversationId, PeerId sender,
        Recipient recipient, long epoch, long hlc, EnvelopeKind kind, long sequence) {
}
