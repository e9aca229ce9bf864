package dev.parley.app.engine.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.MessageKey;
import dev.parley.transport.multiformats.PeerId;
import org.junit.jupiter.api.Test;

/**
 * The third review of files (review23c), where the pieces of a small file are put together: whatever a piece says, it
 * is dropped or taken, and nothing is thrown at the mailbox's batch that brought it.
 */
class MailboxFilePartsReviewTest {
    private static final PeerId SENDER = Identity.generate().peerId();

    /**
     * The offset is a uint32: 2^32 - 56 KiB, read as a Java int, is minus a piece's length, a multiple of it and below
     * any chunk's length, so it passes the checks of where a piece starts and is copied before the chunk's first byte.
     */
    @Test
    void aPieceWhoseOffsetReadsNegativeIsDropped() {
        MailboxFileParts parts = new MailboxFileParts();
        MessageId id = MessageId.random();
        MessageKey message = new MessageKey("conversation", SENDER.toBase58(), id.toString());
        int sealed = 100 * 1024 + FileChunks.TAG_SIZE;
        MailboxFilePart piece = MailboxFilePart.newBuilder().setSender(ByteString.copyFrom(SENDER.bytes()))
                .setMessageId(ByteString.copyFrom(id.bytes())).setChunk(0).setOffset(-MailboxFileParts.PART_BYTES)
                .setData(ByteString.copyFrom(new byte[MailboxFileParts.PART_BYTES])).build();

        assertThat(parts.add(message, 0, sealed, piece)).isEmpty();
    }
}
