package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;

/**
 * A line of a room's conversation: a member's message, or a notice of a membership change (who joined, left, was
 * removed, renamed the room), which every member derives alike from the membership log.
 *
 * @param hlc     the hybrid-logical-clock timestamp the conversation is ordered by, the same on every member's device
 * @param details reply, forward, edit, deletion and reactions ({@link MessageDetails#NONE} for a plain message)
 */
public record RoomMessage(RoomId room, MessageId id, PeerId sender, String senderName, boolean outgoing,
                          boolean notice, String text, long hlc, Instant sentAt, MessageDetails details) {
    /** A plain message or a notice: no reply, reactions or edits. */
    public RoomMessage(RoomId room, MessageId id, PeerId sender, String senderName, boolean outgoing,
                       boolean notice, String text, long hlc, Instant sentAt) {
        this(room, id, sender, senderName, outgoing, notice, text, hlc, sentAt, MessageDetails.NONE);
    }
}
