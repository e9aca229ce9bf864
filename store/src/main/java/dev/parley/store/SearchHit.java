package dev.parley.store;

/** A message that matched a search (conversation, sender and id identify it), with the matching part of its body. */
public record SearchHit(String conversationId, String sender, String messageId, long hlc, Snippet snippet) {
}
