package dev.parley.store;

import java.time.Instant;

/**
 * A conversation: with one peer ({@link ConversationKind#DIRECT}, {@code peerId} set) or a room
 * ({@link ConversationKind#ROOM}, {@code roomId} set). The other of the two is null.
 */
public record Conversation(String id, ConversationKind kind, String peerId, String roomId, String title,
                           Instant createdAt) {
    public Conversation {
        Check.id("conversation id", id);
        Check.present("conversation kind", kind);
        Check.present("title", title);
        createdAt = Check.time("created at", createdAt);
        Check.optionalId("peer id", peerId);
        Check.optionalId("room id", roomId);
        if ((kind == ConversationKind.DIRECT) != (peerId != null && roomId == null)
                || (kind == ConversationKind.ROOM) != (roomId != null && peerId == null)) {
            throw new InvalidInputException("conversation " + id + " of kind " + kind
                    + " must name exactly " + (kind == ConversationKind.DIRECT ? "a peer" : "a room"));
        }
    }

    /** A conversation with one peer, who must be stored as a {@link Contact} first. */
    public static Conversation direct(String id, String peerId, String title, Instant createdAt) {
        return new Conversation(id, ConversationKind.DIRECT, peerId, null, title, createdAt);
    }

    /** A group room's conversation. */
    public static Conversation room(String id, String roomId, String title, Instant createdAt) {
        return new Conversation(id, ConversationKind.ROOM, null, roomId, title, createdAt);
    }
}
