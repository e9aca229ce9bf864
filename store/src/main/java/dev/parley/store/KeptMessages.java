package dev.parley.store;

/**
 * What one sender's messages take up in a conversation.
 *
 * @param count     how many messages
 * @param bodyBytes their bodies' length in UTF-8 bytes, together
 */
public record KeptMessages(long count, long bodyBytes) {
}
