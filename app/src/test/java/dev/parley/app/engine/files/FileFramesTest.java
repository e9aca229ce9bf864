package dev.parley.app.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.files.wire.FileProtos.Chunk;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.crypto.file.FileChunks;
import dev.parley.transport.memory.MemoryScope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FileFramesTest {
    private final byte[] key = FileChunks.newKey();

    @Test
    void aChunkSealedIntoItsFrameIsTheFrameOfTheMessage() throws IOException {
        byte[] plain = new byte[FileChunks.CHUNK_SIZE];
        new Random(5).nextBytes(plain);
        byte[] frame = FileFrames.chunkFrameBuffer(FileChunks.CHUNK_SIZE);
        for (long index : new long[] {0, 1, 127, 128, 4_095, 1L << 40}) {
            for (int length : new int[] {1, 100, FileChunks.CHUNK_SIZE}) {
                ByteArrayOutputStream direct = new ByteArrayOutputStream();
                FileFrames.writeChunk(index, key, plain, length, frame, direct);

                ByteArrayOutputStream built = new ByteArrayOutputStream();
                FileFrames.write(FileResponse.newBuilder().setChunk(Chunk.newBuilder().setIndex(index)
                        .setSealed(ByteString.copyFrom(FileChunks.seal(key, index, plain, 0, length)))).build(), built);
                assertThat(direct.toByteArray()).as("chunk %d of %d bytes", index, length)
                        .isEqualTo(built.toByteArray());
            }
        }
    }

    @Test
    void theReaderReusesItsBufferAndEachResponseReadsWhole() throws IOException {
        byte[] plain = new byte[3000];
        new Random(6).nextBytes(plain);
        byte[] frame = FileFrames.chunkFrameBuffer(plain.length);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        FileFrames.writeChunk(7, key, plain, plain.length, frame, stream);
        FileFrames.write(FileResponse.newBuilder().setRefused(Refused.newBuilder()
                .setReason(Refused.Reason.NOT_HELD).setText("not here")).build(), stream);
        FileFrames.writeChunk(8, key, plain, 10, frame, stream);

        FileFrames.ResponseReader reader = new FileFrames.ResponseReader(
                new ByteArrayInputStream(stream.toByteArray()), MemoryScope.uncounted());
        FileResponse first = reader.read();
        assertThat(first.getChunk().getIndex()).isEqualTo(7);
        assertThat(first.getChunk().getSealed().toByteArray())
                .isEqualTo(FileChunks.seal(key, 7, plain, 0, plain.length));
        assertThat(reader.read().getRefused().getText()).isEqualTo("not here");
        FileResponse third = reader.read();
        assertThat(third.getChunk().getSealed().toByteArray()).isEqualTo(FileChunks.seal(key, 8, plain, 0, 10));
        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
    }

    @Test
    void aResponseOverTheLimitOrCutShortIsRefused() throws IOException {
        ByteArrayOutputStream tooLong = new ByteArrayOutputStream();
        tooLong.write(new byte[] {(byte) 0x80, (byte) 0x90, (byte) 0x41}); // 1,067,008 > MAX_RESPONSE_BYTES
        assertThatThrownBy(() -> new FileFrames.ResponseReader(new ByteArrayInputStream(tooLong.toByteArray()),
                MemoryScope.uncounted()).read()).isInstanceOf(FileProtocolException.class)
                .hasMessageContaining("exceeds the limit");

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        FileFrames.writeChunk(1, key, new byte[100], 100, FileFrames.chunkFrameBuffer(100), whole);
        byte[] cut = Arrays.copyOf(whole.toByteArray(), whole.size() - 1);
        assertThatThrownBy(() -> new FileFrames.ResponseReader(new ByteArrayInputStream(cut),
                MemoryScope.uncounted()).read()).isInstanceOf(EOFException.class);
    }
}
