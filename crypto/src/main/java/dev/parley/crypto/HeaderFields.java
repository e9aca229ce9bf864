package dev.parley.crypto;

/**
 * What the caller chooses for an envelope's header; the sealer adds version, sender, recipient and epoch.
 */
public record HeaderFields(MessageId messageId, ConversationId conversationId, long hlc, EnvelopeKind kind) {
    /** Fields with a fresh random message id. */
    public static HeaderFields of(ConversationId conversationId, long hlc, EnvelopeKind kind) {
        return new HeaderFields(MessageId.random(), conversationId, hlc, kind);
    }
}
