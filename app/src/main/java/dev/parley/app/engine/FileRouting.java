package dev.parley.app.engine;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.node.Node;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How files reach the rest of the engine: offers go out as messages (through a contact's outbox or as room
 * envelopes), and a file of a conversation is fetched from, and served to, the people in it: the contact of a 1:1
 * conversation while accepted, a room's members as the room stands here.
 */
final class FileRouting implements FileTransfers.Context, FileServer.Audience {
    private final PeerId me;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final RoomService rooms;
    private final ActionRouting routing;
    private final Node node;

    FileRouting(PeerId me, SqliteStore store, ContactBook contacts, RoomService rooms, ActionRouting routing,
                Node node) {
        this.me = me;
        this.store = store;
        this.contacts = contacts;
        this.rooms = rooms;
        this.routing = routing;
        this.node = node;
    }

    @Override
    public MessageId send(ConversationRef to, Text payload, Consumer<MessageId> beforeStoring)
            throws EngineException {
        return routing.sendText(to, payload, beforeStoring);
    }

    @Override
    public String conversationId(ConversationRef conversation) throws EngineException {
        return routing.conversationId(conversation);
    }

    @Override
    public Optional<ConversationRef> conversation(String conversationId) {
        Optional<ConversationRef> room = rooms.roomOf(conversationId).map(ConversationRef.Room::new);
        if (room.isPresent()) {
            return room;
        }
        return store.conversations().get(conversationId).filter(found -> found.peerId() != null)
                .map(found -> new ConversationRef.Direct(PeerId.parse(found.peerId())));
    }

    @Override
    public List<PeerId> holders(String conversationId, PeerId sender) {
        List<PeerId> members = new ArrayList<>();
        rooms.roomOf(conversationId).ifPresent(room -> rooms.members(room).stream()
                .filter(member -> !member.equals(me) && !member.equals(sender)).forEach(members::add));
        // In a different order at every member, so that not all of a room fetch from the same few.
        Collections.shuffle(members);
        List<PeerId> holders = new ArrayList<>();
        if (!sender.equals(me)) {
            holders.add(sender);
        }
        holders.addAll(members);
        return holders;
    }

    /** Whether {@code peer} may fetch the files offered in the conversation: its accepted contact, or a member. */
    @Override
    public boolean offeredTo(PeerId peer, String conversationId) {
        Optional<dev.parley.crypto.RoomId> room = rooms.roomOf(conversationId);
        if (room.isPresent()) {
            return rooms.isMember(room.get(), peer);
        }
        return contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED).isPresent()
                && contacts.conversationId(peer).equals(conversationId);
    }

    @Override
    public boolean isRoom(String conversationId) {
        return rooms.roomOf(conversationId).isPresent();
    }

    @Override
    public Connection connect(PeerId peer) throws IOException {
        return node.connect(peer);
    }
}
