package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.wire.ChatProtos.Ack;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.MessageId;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The frames of {@code /parley/chat/1.0.0}.
 *
 * <pre>
 * frame     uvarint length || ChatFrame          length at most MAX_FRAME_BYTES (256 KiB)
 * ChatFrame oneof { bytes envelope = 1;          a sealed, signed envelope (crypto's Envelope.encode())
 *                   Ack ack = 2; }               Ack { repeated bytes message_ids = 1; } 16 bytes each
 * </pre>
 *
 * A frame over the limit, one that does not parse, one with neither field, or an ack with an id that is not 16
 * bytes is a {@link ChatProtocolException} naming the peer and the number; the caller resets that stream only.
 */
final class ChatFrames {
    static final String PROTOCOL_ID = "/parley/chat/1.0.0";
    static final int MAX_FRAME_BYTES = 256 * 1024;
    /** Ids per ack frame: 4,096 ids of 16 bytes make frames of about 74 KiB, well inside the limit. */
    static final int MAX_ACK_IDS = 4_096;

    private ChatFrames() {
    }

    static ChatFrame envelope(byte[] encoded) {
        return ChatFrame.newBuilder().setEnvelope(ByteString.copyFrom(encoded)).build();
    }

    /** @throws IllegalArgumentException beyond {@link #MAX_ACK_IDS} ids */
    static ChatFrame ack(Collection<MessageId> ids) {
        if (ids.size() > MAX_ACK_IDS) {
            throw new IllegalArgumentException("an ack frame carries at most " + MAX_ACK_IDS + " ids, got " + ids.size());
        }
        Ack.Builder ack = Ack.newBuilder();
        ids.forEach(id -> ack.addMessageIds(ByteString.copyFrom(id.bytes())));
        return ChatFrame.newBuilder().setAck(ack).build();
    }

    /** Writes {@code frame} without flushing; one over {@link #MAX_FRAME_BYTES} is a protocol violation. */
    static void write(ChatFrame frame, OutputStream out) throws IOException {
        LengthPrefixed.write(frame, MAX_FRAME_BYTES, out, "chat", ChatProtocolException::new);
    }

    /** Reads one frame from input no peer's stream carries (tests, fuzz targets); see below. */
    static ChatFrame read(InputStream in, Object peer) throws IOException {
        return read(in, MemoryScope.uncounted(), peer);
    }

    /**
     * Reads one frame into a buffer reserved from {@code memory}, the stream's scope of the memory budget; null at a
     * clean end of the stream (before a frame's first byte). A refused reservation is a protocol violation.
     *
     * @param peer names the sender in errors
     */
    static ChatFrame read(InputStream in, MemoryScope memory, Object peer) throws IOException {
        Optional<ChatFrame> read = LengthPrefixed.readOrEnd(in, memory, ChatFrame.parser(), MAX_FRAME_BYTES, "chat",
                problem -> new ChatProtocolException(problem + " (from " + peer + ")"));
        if (read.isEmpty()) {
            return null;
        }
        ChatFrame frame = read.get();
        if (frame.getFrameCase() == ChatFrame.FrameCase.FRAME_NOT_SET) {
            throw new ChatProtocolException("chat frame of " + frame.getSerializedSize() + " bytes from " + peer
                    + " carries neither an envelope nor an ack");
        }
        return frame;
    }

    /** The ids of an ack frame. */
    static List<MessageId> ackedIds(ChatFrame frame, Object peer) throws ChatProtocolException {
        return messageIds(frame.getAck().getMessageIdsList(), "ack", peer);
    }

    /** Message ids as they travel (16 bytes each) in an ack or a read receipt. */
    static List<MessageId> messageIds(List<ByteString> wire, String what, Object peer) throws ChatProtocolException {
        List<MessageId> ids = new ArrayList<>(wire.size());
        for (ByteString id : wire) {
            if (id.size() != 16) {
                throw new ChatProtocolException(what + " from " + peer + " has a message id of " + id.size()
                        + " bytes; ids have 16");
            }
            ids.add(MessageId.fromBytes(id.toByteArray()));
        }
        return ids;
    }
}
