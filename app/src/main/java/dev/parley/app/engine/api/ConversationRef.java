package dev.parley.app.engine.api;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;

/** A conversation: the 1:1 one with a peer, or a room. */
public sealed interface ConversationRef {
    /** The conversation with {@code peer}. */
    record Direct(PeerId peer) implements ConversationRef {
    }

    /** The conversation of a room. */
    record Room(RoomId room) implements ConversationRef {
    }
}
