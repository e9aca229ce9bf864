package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;

/**
 * A message as actions name it: its conversation, its author and its id. Authors choose ids, so the id alone names
 * nothing; the author is part of the name.
 */
public record MessageRef(ConversationRef conversation, PeerId sender, MessageId id) {
}
