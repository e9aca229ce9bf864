package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.wire.ChatProtos.Delete;
import dev.parley.crypto.MessageId;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deletion for everyone takes its message's place among the room's envelopes ({@code RoomEnvelopes.standIn}): the
 * envelope that sealed the text under the room key is gone from every member that applies it, and the number stays
 * held, so room sync neither asks for it again nor hands the text on. Only the author's own deletion, naming the
 * number the author gave its message, stands in: nobody else can make a member give up an envelope.
 */
final class DeletionStandIn {
    private static final Logger log = LoggerFactory.getLogger(DeletionStandIn.class);

    private DeletionStandIn() {
    }

    /** Puts {@code deletion}, opened to {@code plaintext}, in its message's place, if it names its number. */
    static void put(SqliteStore store, RoomEnvelope deletion, byte[] plaintext) {
        try {
            Delete delete = Delete.parseFrom(plaintext);
            if (delete.getTargetNumber() <= 0
                    || !PeerId.parse(delete.getTarget().getSender()).toBase58().equals(deletion.sender())) {
                return;
            }
            String target = MessageId.fromBytes(delete.getTarget().getMessageId().toByteArray()).toString();
            store.roomEnvelopes().standIn(deletion, delete.getTargetNumber(), target);
        } catch (InvalidProtocolBufferException | IllegalArgumentException | StoreException e) {
            log.info("deletion {} in room {} does not stand in for its message: {}", deletion.messageId(),
                    deletion.roomId(), e.getMessage());
        }
    }
}
