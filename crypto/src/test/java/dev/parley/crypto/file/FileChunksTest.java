package dev.parley.crypto.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileChunksTest {
    private final byte[] key = FileChunks.newKey();
    private final byte[] chunk = "a chunk of a file".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedChunkOpensUnderItsKeyAndIndexOnly() throws GeneralSecurityException {
        byte[] sealed = FileChunks.seal(key, 5, chunk, 0, chunk.length);
        assertThat(sealed).hasSize(chunk.length + FileChunks.TAG_SIZE);
        assertThat(FileChunks.open(key, 5, sealed, 0, sealed.length)).isEqualTo(chunk);
        assertThatThrownBy(() -> FileChunks.open(key, 6, sealed, 0, sealed.length))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> FileChunks.open(FileChunks.newKey(), 5, sealed, 0, sealed.length))
                .isInstanceOf(GeneralSecurityException.class);
        byte[] changed = sealed.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> FileChunks.open(key, 5, changed, 0, changed.length))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void sealingAndOpeningIntoBuffersGiveTheSameBytes() throws GeneralSecurityException {
        byte[] frame = new byte[3 + chunk.length + FileChunks.TAG_SIZE + 5];
        assertThat(FileChunks.seal(key, 5, chunk, 0, chunk.length, frame, 3)).isEqualTo(chunk.length
                + FileChunks.TAG_SIZE);
        byte[] sealed = FileChunks.seal(key, 5, chunk, 0, chunk.length);
        assertThat(Arrays.copyOfRange(frame, 3, 3 + sealed.length)).isEqualTo(sealed);

        byte[] plain = new byte[2 + chunk.length];
        assertThat(FileChunks.open(key, 5, frame, 3, sealed.length, plain, 2)).isEqualTo(chunk.length);
        assertThat(Arrays.copyOfRange(plain, 2, plain.length)).isEqualTo(chunk);
        frame[4] ^= 1;
        assertThatThrownBy(() -> FileChunks.open(key, 5, frame, 3, sealed.length, plain, 2))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void everyHolderOfAChunkSealsItToTheSameBytes() {
        // What lets a room's members serve chunks that match the sender's tree.
        assertThat(FileChunks.seal(key, 9, chunk, 0, chunk.length))
                .isEqualTo(FileChunks.seal(key.clone(), 9, chunk.clone(), 0, chunk.length))
                .isNotEqualTo(FileChunks.seal(key, 10, chunk, 0, chunk.length));
    }

    @Test
    void chunkCountsAndLengthsCoverTheFileExactly() {
        int size = FileChunks.CHUNK_SIZE;
        assertThat(FileChunks.chunkCount(0, size)).isZero();
        assertThat(FileChunks.chunkCount(1, size)).isOne();
        assertThat(FileChunks.chunkCount(size, size)).isOne();
        assertThat(FileChunks.chunkCount(size + 1L, size)).isEqualTo(2);
        assertThat(FileChunks.chunkCount(1L << 30, size)).isEqualTo(4096);
        assertThat(FileChunks.plainLength(size + 1L, size, 0)).isEqualTo(size);
        assertThat(FileChunks.plainLength(size + 1L, size, 1)).isOne();
        assertThatThrownBy(() -> FileChunks.plainLength(size, size, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
