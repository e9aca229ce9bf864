package dev.parley.app.engine.actions;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;

/**
 * Where actions go: the engine routes a 1:1 conversation's through its contact's outbox and a room's as room
 * envelopes (pushed and synced like messages). Each method checks that we may write in the conversation.
 */
public interface ActionRoutes {
    /** The store's id of the conversation. */
    String conversationId(ConversationRef conversation) throws EngineException;

    /** Sends a message (a reply or a forwarded copy); returns its id once it and its envelope are durable. */
    MessageId sendText(ConversationRef conversation, Text payload) throws EngineException;

    /** Sends a REACTION, EDIT or DELETE envelope, durably queued. */
    void sendAction(ConversationRef conversation, EnvelopeKind kind, byte[] payload) throws EngineException;
}
