package dev.parley.app.engine.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.app.mailbox.MailboxFrames;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.MessageKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small file's chunks cut into pieces for mailbox letters and put together again, within bounded memory. */
class MailboxFilePartsTest {
    private static final PeerId SENDER = Identity.generate().peerId();
    private static final int LETTER_OVERHEAD = 48;

    @TempDir
    Path temp;

    @Test
    void piecesPutTogetherMakeEachSealedChunkAndMisplacedPiecesAreDropped() throws Exception {
        Cut cut = cut(600 * 1024, 1);
        assertThat(cut.pieces()).allSatisfy(piece -> assertThat(piece.getSerializedSize() + LETTER_OVERHEAD)
                .isLessThanOrEqualTo(MailboxFrames.MAX_ENVELOPE_BYTES));
        MailboxFileParts parts = new MailboxFileParts();
        MessageKey message = new MessageKey("conversation", SENDER.toBase58(), cut.id().toString());
        List<Long> whole = new ArrayList<>();
        for (MailboxFilePart piece : cut.pieces()) {
            long index = piece.getChunk();
            int sealed = sealedLength(cut.offer(), index);
            assertThat(parts.add(message, index, sealed, piece.toBuilder().setOffset(piece.getOffset() + 7).build()))
                    .as("a piece where none starts").isEmpty();
            assertThat(parts.add(message, index, sealed, piece.toBuilder().setData(piece.getData()
                    .substring(1)).build())).as("a piece one byte short").isEmpty();
            Optional<byte[]> chunk = parts.add(message, index, sealed, piece);
            chunk.ifPresent(bytes -> {
                assertThat(FileFetch.matchesLeaf(cut.offer(), cut.leaves(), index, bytes, bytes.length)).isTrue();
                whole.add(index);
            });
        }
        assertThat(whole).containsExactly(0L, 1L, 2L);
    }

    @Test
    void chunksThatNeverCompleteAreDroppedOldestFirstSoMemoryStaysBounded() throws Exception {
        Cut cut = cut(300 * 1024, 2);
        MailboxFileParts parts = new MailboxFileParts();
        MessageKey honest = new MessageKey("conversation", SENDER.toBase58(), cut.id().toString());
        List<MailboxFilePart> firstChunk = cut.pieces().stream().filter(piece -> piece.getChunk() == 0).toList();
        int sealed = sealedLength(cut.offer(), 0);
        assertThat(firstChunk).hasSizeGreaterThan(2);
        parts.add(honest, 0, sealed, firstChunk.getFirst());
        // A contact starts as many chunks as the limit allows, of offers of its own, and never finishes one.
        for (int offer = 0; offer < MailboxFileParts.MAX_CHUNKS; offer++) {
            MessageKey junk = new MessageKey("conversation", SENDER.toBase58(), MessageId.random().toString());
            parts.add(junk, 0, sealed, firstChunk.getFirst());
        }
        assertThat(completes(parts, honest, sealed, firstChunk.subList(1, firstChunk.size())))
                .as("the honest chunk's first piece was dropped to make room").isFalse();
        assertThat(completes(new MailboxFileParts(), honest, sealed, firstChunk)).as("with nothing else under way")
                .isTrue();

        // One offer holds at most its share: a third chunk started drops its oldest.
        MailboxFileParts share = new MailboxFileParts();
        share.add(honest, 0, sealed, firstChunk.getFirst());
        for (long other = 1; other <= MailboxFileParts.MAX_CHUNKS_PER_OFFER; other++) {
            share.add(honest, other, sealed, firstChunk.getFirst().toBuilder().setChunk(other).build());
        }
        assertThat(completes(share, honest, sealed, firstChunk.subList(1, firstChunk.size())))
                .as("chunk 0, the oldest of its offer, was dropped").isFalse();
    }

    /** Whether adding {@code pieces} of chunk 0 in order puts the chunk together. */
    private static boolean completes(MailboxFileParts parts, MessageKey message, int sealed,
                                     List<MailboxFilePart> pieces) {
        boolean whole = false;
        for (MailboxFilePart piece : pieces) {
            whole |= parts.add(message, 0, sealed, piece).isPresent();
        }
        return whole;
    }

    private record Cut(MessageId id, OfferedFile offer, byte[] leaves, List<MailboxFilePart> pieces) {
    }

    private Cut cut(int size, long seed) throws IOException {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Path file = Files.write(temp.resolve("file-" + seed), content);
        byte[] key = FileChunks.newKey();
        ByteArrayOutputStream leaves = new ByteArrayOutputStream();
        for (long index = 0; index < FileChunks.chunkCount(size, FileChunks.CHUNK_SIZE); index++) {
            int from = (int) (index * FileChunks.CHUNK_SIZE);
            byte[] sealed = FileChunks.seal(key, index, content, from, FileChunks.plainLength(size,
                    FileChunks.CHUNK_SIZE, index));
            leaves.writeBytes(ChunkTree.leafHash(sealed, 0, sealed.length));
        }
        OfferedFile offer = new OfferedFile("file", size, OfferedFile.UNKNOWN_TYPE, ChunkTree.root(leaves.toByteArray()),
                key, FileChunks.CHUNK_SIZE, Optional.empty(), "", 0, 0);
        MessageId id = MessageId.random();
        assertThat(MailboxFileParts.leavesMake(leaves.toByteArray(), offer.chunkCount(), offer.root())).isTrue();
        return new Cut(id, offer, leaves.toByteArray(), MailboxFileParts.cut(SENDER, id, offer, leaves.toByteArray(),
                file));
    }

    private static int sealedLength(OfferedFile offer, long index) {
        return FileChunks.plainLength(offer.size(), offer.chunkSize(), index) + FileChunks.TAG_SIZE;
    }
}
