package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.actions.ActionRoutes;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.transport.multiformats.PeerId;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Routes message actions: a 1:1 conversation's through the contact's outbox (delivered at least once, like a
 * message), a room's through the room's posts (pushed and synced like its messages).
 */
final class ActionRouting implements ActionRoutes {
    private final ContactBook contacts;
    private final Outgoing outgoing;
    private final RoomService rooms;

    ActionRouting(ContactBook contacts, Outgoing outgoing, RoomService rooms) {
        this.contacts = contacts;
        this.outgoing = outgoing;
        this.rooms = rooms;
    }

    @Override
    public String conversationId(ConversationRef conversation) throws EngineException {
        return switch (conversation) {
            case ConversationRef.Direct(PeerId peer) -> {
                contacts.get(peer).orElseThrow(() -> new EngineException(peer + " is not a contact"));
                yield contacts.conversationId(peer);
            }
            case ConversationRef.Room(var room) -> rooms.conversationId(room);
        };
    }

    @Override
    public MessageId sendText(ConversationRef conversation, Text payload) throws EngineException {
        return sendText(conversation, payload, id -> { });
    }

    /** Like {@link #sendText(ConversationRef, Text)}, with {@code beforeStoring} run with the id first. */
    MessageId sendText(ConversationRef conversation, Text payload, Consumer<MessageId> beforeStoring)
            throws EngineException {
        return switch (conversation) {
            case ConversationRef.Direct(PeerId peer) -> {
                try {
                    yield outgoing.text(accepted(peer), payload, beforeStoring).join();
                } catch (CompletionException e) {
                    throw new EngineException("the message to " + peer + " could not be queued: "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
            case ConversationRef.Room(var room) -> rooms.post(room, EnvelopeKind.TEXT, payload.toByteArray(),
                    payload.getBody(), beforeStoring);
        };
    }

    @Override
    public void sendAction(ConversationRef conversation, EnvelopeKind kind, byte[] payload) throws EngineException {
        switch (conversation) {
            case ConversationRef.Direct(PeerId peer) -> outgoing.queue(accepted(peer).card(), kind, payload);
            case ConversationRef.Room(var room) -> rooms.post(room, kind, payload, "");
        }
    }

    private Known accepted(PeerId peer) throws EngineException {
        Known known = contacts.get(peer).orElseThrow(() -> new EngineException(peer + " is not a contact"));
        if (known.state() != ContactState.ACCEPTED) {
            throw new EngineException(Problem.NOT_AN_ACCEPTED_CONTACT,
                    known.name() + " is not an accepted contact; accept them first", known.name());
        }
        return known;
    }
}
