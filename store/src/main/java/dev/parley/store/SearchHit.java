package dev.parley.store;

/** A message that matched a search, with the matching part of its body. */
public record SearchHit(String conversationId, String messageId, long hlc, Snippet snippet) {
}
