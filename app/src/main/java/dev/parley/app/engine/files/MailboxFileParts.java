package dev.parley.app.engine.files;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.MessageKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small file's sealed chunks cut into pieces that fit a mailbox letter, and put together again (app/README.md,
 * "Files"). The sender cuts; the recipient keeps the pieces of a few chunks at a time in memory, whoever sent them,
 * until a chunk is whole, and leaves checking it against its leaf to the caller.
 *
 * <pre>
 * sealed chunk i   [ piece 0: PART_BYTES ][ piece 1: PART_BYTES ] ... [ last piece: what is left ]
 * piece            MailboxFilePart { sender; message_id; chunk = i; offset = k * PART_BYTES; data; leaves }
 * </pre>
 */
public final class MailboxFileParts {
    /**
     * Files up to this size go to an offline contact's mailbox whole beside their offer: a quarter of the 8 MiB a
     * capability deposits by default within a mailbox's retention, so one file leaves most of it to messages.
     */
    public static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    /**
     * Sealed bytes in a piece: a letter holds 64 KiB, and each piece also brings the file's leaves (4 KiB at most for
     * {@link #MAX_FILE_BYTES} in the smallest chunks an offer may name), the ids, and the letter's 48 bytes.
     */
    static final int PART_BYTES = 56 * 1024;
    /** Chunks put together at once for one offer: an honest sender's pieces come in order, a chunk at a time. */
    static final int MAX_CHUNKS_PER_OFFER = 2;
    /**
     * Chunks put together at once in all: at most 4 MiB of memory (the largest chunk an offer names is 1 MiB), which
     * a contact depositing pieces that never make a chunk cannot grow; the oldest goes first.
     */
    static final int MAX_CHUNKS = 4;

    /** A chunk being put together: its sealed bytes and which pieces came. */
    private record Assembly(byte[] sealed, BitSet pieces) {
    }

    private record ChunkOf(MessageKey message, long index) {
    }

    /** In the order they were started. Locking: this. */
    private final Map<ChunkOf, Assembly> assembling = new LinkedHashMap<>();

    /**
     * The pieces of the file at {@code file}, which message {@code id} of {@code sender} offers as {@code offer}
     * with these {@code leaves}: every chunk sealed again from the copy (sealing is deterministic) and cut.
     */
    static List<MailboxFilePart> cut(PeerId sender, MessageId id, OfferedFile offer, byte[] leaves, Path file)
            throws IOException {
        List<MailboxFilePart> pieces = new ArrayList<>();
        MailboxFilePart.Builder common = MailboxFilePart.newBuilder().setSender(ByteString.copyFrom(sender.bytes()))
                .setMessageId(ByteString.copyFrom(id.bytes())).setLeaves(ByteString.copyFrom(leaves));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long index = 0; index < offer.chunkCount(); index++) {
                int length = FileChunks.plainLength(offer.size(), offer.chunkSize(), index);
                byte[] plain = FileLibrary.read(channel, index * offer.chunkSize(), length);
                byte[] sealed = FileChunks.seal(offer.key(), index, plain, 0, length);
                for (int offset = 0; offset < sealed.length; offset += PART_BYTES) {
                    pieces.add(common.setChunk(index).setOffset(offset).setData(ByteString.copyFrom(sealed, offset,
                            Math.min(PART_BYTES, sealed.length - offset))).build());
                }
            }
        }
        return pieces;
    }

    /** Whether {@code leaves} are all of a file's with {@code chunks} chunks and make {@code root}. */
    static boolean leavesMake(byte[] leaves, long chunks, byte[] root) {
        return leaves.length == chunks * ChunkTree.HASH_SIZE && Arrays.equals(ChunkTree.root(leaves), root);
    }

    /**
     * Adds a piece of chunk {@code index} of the file {@code message} offers, whose sealed length is {@code sealed}:
     * the whole chunk once this was its last piece missing. A piece that is not where a piece starts, or not as long
     * as one there, is dropped.
     */
    synchronized Optional<byte[]> add(MessageKey message, long index, int sealed, MailboxFilePart piece) {
        int offset = piece.getOffset();
        // A uint32 on the wire: one past 2^31 reads as negative here.
        if (offset < 0 || offset % PART_BYTES != 0 || offset >= sealed
                || piece.getData().size() != Math.min(PART_BYTES, sealed - offset)) {
            return Optional.empty();
        }
        ChunkOf chunk = new ChunkOf(message, index);
        Assembly assembly = assembling.get(chunk);
        if (assembly == null || assembly.sealed().length != sealed) {
            makeRoomFor(message);
            assembly = new Assembly(new byte[sealed], new BitSet());
            assembling.put(chunk, assembly);
        }
        piece.getData().copyTo(assembly.sealed(), offset);
        assembly.pieces().set(offset / PART_BYTES);
        if (assembly.pieces().cardinality() < (sealed + PART_BYTES - 1) / PART_BYTES) {
            return Optional.empty();
        }
        assembling.remove(chunk);
        return Optional.of(assembly.sealed());
    }

    /** Forgets what was put together of the file {@code message} offers: it is whole, or gone. */
    synchronized void forget(MessageKey message) {
        assembling.keySet().removeIf(chunk -> chunk.message().equals(message));
    }

    /** Drops the oldest chunks being put together, of this offer beyond its share, then of any beyond the total. */
    private void makeRoomFor(MessageKey message) {
        long ofOffer = assembling.keySet().stream().filter(chunk -> chunk.message().equals(message)).count();
        Iterator<ChunkOf> oldest = assembling.keySet().iterator();
        while (oldest.hasNext() && (ofOffer >= MAX_CHUNKS_PER_OFFER || assembling.size() >= MAX_CHUNKS)) {
            ChunkOf next = oldest.next();
            if (next.message().equals(message)) {
                oldest.remove();
                ofOffer--;
            } else if (assembling.size() >= MAX_CHUNKS) {
                oldest.remove();
            }
        }
    }
}
