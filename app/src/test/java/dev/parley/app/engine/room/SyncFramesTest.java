package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.memory.MemoryLimits;
import dev.parley.transport.memory.MemoryScope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The frames of /parley/sync/1.0.0 as a peer's stream brings them: counted in the stream's memory budget. */
class SyncFramesTest {
    private static final String PEER = "12D3KooWPeer";

    @Test
    void aFrameIsCountedInTheStreamsBudgetUntilParsedAndARefusalIsAProtocolViolation() throws IOException {
        SyncFrame frame = SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(new byte[64 * 1024])).build();
        MemoryScope roomy = streamScope(1024 * 1024);
        assertThat(SyncFrames.read(bytes(frame), roomy, PEER)).isEqualTo(frame);
        assertThat(roomy.reserved()).isZero();

        MemoryScope tiny = streamScope(16 * 1024);
        assertThatThrownBy(() -> SyncFrames.read(bytes(frame), tiny, PEER))
                .isInstanceOf(SyncProtocolException.class).hasMessageContaining("refused by the memory budget");
        assertThat(tiny.reserved()).isZero();
    }

    private static ByteArrayInputStream bytes(SyncFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncFrames.write(frame, out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static MemoryScope streamScope(long streamBytes) {
        MemoryLimits limits = MemoryLimits.defaults();
        return new MemoryBudget(new MemoryLimits(limits.nodeBytes(), limits.peerBytes(), limits.connectionBytes(),
                streamBytes, limits.stallTimeout())).openConnection(PEER).openStream("stream 1");
    }
}
