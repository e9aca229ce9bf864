package dev.parley.app.engine;

import dev.parley.crypto.MessageId;
import dev.parley.store.Snippet;
import dev.parley.transport.multiformats.PeerId;

/** A message that matched a search: whose conversation it is in, and the matching part of its text. */
public record SearchResult(PeerId peer, MessageId id, long hlc, Snippet snippet) {
}
