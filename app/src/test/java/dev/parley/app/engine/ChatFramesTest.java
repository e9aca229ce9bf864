package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.wire.ChatProtos.Ack;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.MessageId;
import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.memory.MemoryLimits;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatFramesTest {
    private static final String PEER = "12D3KooWPeer";

    private static ByteArrayInputStream bytes(ChatFrame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChatFrame frame : frames) {
            ChatFrames.write(frame, out);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    @Test
    void envelopesAndAcksRoundTripThenTheStreamEndsCleanly() throws IOException {
        byte[] envelope = {1, 2, 3};
        List<MessageId> ids = List.of(MessageId.random(), MessageId.random());
        ByteArrayInputStream in = bytes(ChatFrames.envelope(envelope), ChatFrames.ack(ids));

        assertThat(ChatFrames.read(in, PEER).getEnvelope().toByteArray()).isEqualTo(envelope);
        assertThat(ChatFrames.ackedIds(ChatFrames.read(in, PEER), PEER)).isEqualTo(ids);
        assertThat(ChatFrames.read(in, PEER)).isNull();
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.write(ChatFrames.MAX_FRAME_BYTES + 1, out);

        assertThatThrownBy(() -> ChatFrames.read(new ByteArrayInputStream(out.toByteArray()), PEER))
                .isInstanceOf(ChatProtocolException.class)
                .hasMessageContaining(String.valueOf(ChatFrames.MAX_FRAME_BYTES + 1))
                .hasMessageContaining(PEER);
    }

    @Test
    void aFrameAtTheLimitIsRead() throws IOException {
        byte[] envelope = new byte[ChatFrames.MAX_FRAME_BYTES - 8];
        ChatFrame frame = ChatFrames.envelope(envelope);
        assertThat(frame.getSerializedSize()).isLessThanOrEqualTo(ChatFrames.MAX_FRAME_BYTES);

        assertThat(ChatFrames.read(bytes(frame), PEER).getEnvelope().size()).isEqualTo(envelope.length);
    }

    @Test
    void malformedFramesAreProtocolErrors() throws IOException {
        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        Varint.write(3, garbage);
        garbage.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertThatThrownBy(() -> ChatFrames.read(new ByteArrayInputStream(garbage.toByteArray()), PEER))
                .isInstanceOf(ChatProtocolException.class).hasMessageContaining("malformed chat message of 3 bytes")
                .hasMessageContaining(PEER);

        assertThatThrownBy(() -> ChatFrames.read(bytes(ChatFrame.getDefaultInstance()), PEER))
                .isInstanceOf(ChatProtocolException.class).hasMessageContaining("neither an envelope nor an ack");

        ChatFrame shortId = ChatFrame.newBuilder()
                .setAck(Ack.newBuilder().addMessageIds(ByteString.copyFrom(new byte[15]))).build();
        assertThatThrownBy(() -> ChatFrames.ackedIds(ChatFrames.read(bytes(shortId), PEER), PEER))
                .isInstanceOf(ChatProtocolException.class).hasMessageContaining("15 bytes");
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnEndOfFile() throws IOException {
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        Varint.write(100, cut);
        cut.write(new byte[10]);

        assertThatThrownBy(() -> ChatFrames.read(new ByteArrayInputStream(cut.toByteArray()), PEER))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 10 of 100 bytes");
    }

    @Test
    void aFrameIsCountedInTheStreamsBudgetUntilParsedAndARefusalIsAProtocolViolation() throws IOException {
        byte[] envelope = new byte[64 * 1024];
        MemoryScope roomy = streamScope(1024 * 1024);
        assertThat(ChatFrames.read(bytes(ChatFrames.envelope(envelope)), roomy, PEER).getEnvelope().size())
                .isEqualTo(envelope.length);
        assertThat(roomy.reserved()).isZero();

        MemoryScope tiny = streamScope(16 * 1024);
        assertThatThrownBy(() -> ChatFrames.read(bytes(ChatFrames.envelope(envelope)), tiny, PEER))
                .isInstanceOf(ChatProtocolException.class).hasMessageContaining("refused by the memory budget");
        assertThat(tiny.reserved()).isZero();
    }

    private static MemoryScope streamScope(long streamBytes) {
        MemoryLimits limits = MemoryLimits.defaults();
        return new MemoryBudget(new MemoryLimits(limits.nodeBytes(), limits.peerBytes(), limits.connectionBytes(),
                streamBytes, limits.stallTimeout())).openConnection(PEER).openStream("stream 1");
    }

    @Test
    void ackFramesCarryAtMostTheirLimitOfIds() {
        List<MessageId> tooMany = java.util.Collections.nCopies(ChatFrames.MAX_ACK_IDS + 1, MessageId.random());

        assertThatThrownBy(() -> ChatFrames.ack(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(ChatFrames.MAX_ACK_IDS + 1));
        assertThat(ChatFrames.ack(tooMany.subList(0, ChatFrames.MAX_ACK_IDS)).getSerializedSize())
                .isLessThan(ChatFrames.MAX_FRAME_BYTES);
    }
}
