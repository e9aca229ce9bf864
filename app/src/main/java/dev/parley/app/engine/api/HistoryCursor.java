package dev.parley.app.engine.api;

/**
 * A position in a conversation, to page on from: messages are ordered by hybrid logical clock, then by id, then by
 * sender. The sender belongs to the position because message ids are per sender.
 *
 * @param sender the sender's PeerId in base58
 */
public record HistoryCursor(long hlc, String messageId, String sender) {
}
