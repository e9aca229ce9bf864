package dev.parley.app.engine.files;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.files.wire.FileProtos.Chunk;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.Have;
import dev.parley.app.engine.files.wire.FileProtos.LeafHashes;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /parley/file/1.0.0}: the leaf hashes and sealed chunks of files offered in a conversation with the
 * asker, read from the library and sealed again as they go out (sealing is deterministic, so the chunks match the
 * offer's tree whoever serves them). A file is served only to someone it was offered to: the contact of a 1:1
 * conversation, a member of a room; to anyone else its root names nothing. Part of a file that is still being
 * fetched is served too, the chunks already checked.
 */
public final class FileServer {
    private static final Logger log = LoggerFactory.getLogger(FileServer.class);
    /** How long a fetcher may leave a stream idle between requests before it is closed. */
    static final Duration IDLE = Duration.ofMinutes(2);
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;

    /** Who may fetch a conversation's files, and which conversations are rooms. */
    public interface Audience {
        /** Whether {@code peer} takes part in the conversation (by the store's id) now: its contact, a member. */
        boolean offeredTo(PeerId peer, String conversationId);

        boolean isRoom(String conversationId);
    }

    private final PeerId me;
    private final SqliteStore store;
    private final FileLibrary library;
    private final Audience audience;
    /** The chunks a fetch under way here holds now, by root: a member serves them before they are recorded. */
    private final Function<ByteString, Optional<byte[]>> heldNow;
    /**
     * For each file we offered in a room, the chunks given to a member already: each goes out once, and members fetch
     * it from each other, so our uplink carries the file about once whatever the room's size. Forgotten at restart.
     */
    private final Map<ByteString, BitSet> givenOnce = new ConcurrentHashMap<>();
    /** Sealed chunk bytes sent since start: what this node's uplink carried for files (benchmarks read it). */
    private final LongAdder servedBytes = new LongAdder();

    public FileServer(PeerId me, SqliteStore store, FileLibrary library, Audience audience,
                      Function<ByteString, Optional<byte[]>> heldNow) {
        this.me = me;
        this.store = store;
        this.library = library;
        this.audience = audience;
        this.heldNow = heldNow;
    }

    /** The sealed chunk bytes this node served since it started. */
    public long servedBytes() {
        return servedBytes.sum();
    }

    public static String protocolId() {
        return FileFrames.PROTOCOL_ID;
    }

    /** Serves one stream, request after request, until the asker closes it or breaks the protocol. */
    public void serve(Stream stream) {
        PeerId asker = stream.remotePeer();
        Map<ByteString, Served> open = new HashMap<>();
        try {
            OutputStream out = new BufferedOutputStream(stream.out(), WRITE_BUFFER_BYTES);
            while (true) {
                stream.setReadDeadline(IDLE);
                Optional<FileRequest> read = FileFrames.readRequest(stream.in(), stream.memory());
                if (read.isEmpty()) {
                    break;
                }
                answer(read.get(), asker, open, out);
                out.flush();
            }
            stream.close();
        } catch (IOException e) {
            log.debug("file stream of {} ended: {}", asker, e.getMessage());
            stream.reset();
        } finally {
            open.values().forEach(Served::close);
        }
    }

    private void answer(FileRequest request, PeerId asker, Map<ByteString, Served> open, OutputStream out)
            throws IOException {
        Served served = open.get(request.getRoot());
        if (served == null) {
            Optional<Served> found = find(request.getRoot().toByteArray(), asker);
            if (found.isEmpty()) {
                nothingYet(request, asker, out);
                return;
            }
            served = found.get();
            open.put(request.getRoot(), served);
        }
        switch (request.getAskCase()) {
            case LEAVES -> leaves(served, request.getLeaves(), out);
            case CHUNKS -> chunks(served, request.getChunks(), request.getLastResort(), out);
            case HAVE -> FileFrames.write(FileResponse.newBuilder().setHave(Have.newBuilder()
                    .setBits(ByteString.copyFrom(served.held()))).build(), out);
            default -> throw new FileProtocolException("a file request from " + asker + " asks for nothing");
        }
    }

    /**
     * Answers for a file we cannot serve from: one offered to the asker here whose fetch has not begun (a room's
     * member asks before we have the leaves) has nothing yet, and the asker will ask again; any other is unknown.
     */
    private void nothingYet(FileRequest request, PeerId asker, OutputStream out) throws IOException {
        boolean offered = store.attachments().byRoot(request.getRoot().toByteArray()).stream()
                .anyMatch(attachment -> audience.offeredTo(asker, attachment.message().conversationId()));
        if (!offered) {
            refuse(out, Refused.Reason.UNKNOWN_FILE, "no such file was offered to you");
        } else if (request.hasHave()) {
            FileFrames.write(FileResponse.newBuilder().setHave(Have.getDefaultInstance()).build(), out);
        } else if (request.hasChunks()) {
            for (int chunk = 0; chunk < Math.min(request.getChunks().getCount(), FileFrames.MAX_CHUNKS_PER_REQUEST);
                 chunk++) {
                refuse(out, Refused.Reason.NOT_HELD, "nothing of this file is here yet");
            }
        } else {
            refuse(out, Refused.Reason.NOT_HELD, "nothing of this file is here yet");
        }
    }

    private void leaves(Served served, Range range, OutputStream out) throws IOException {
        long chunks = served.offer.chunkCount();
        if (range.getCount() > FileFrames.MAX_LEAVES_PER_PAGE || range.getFirst() < 0
                || range.getFirst() + range.getCount() > chunks) {
            refuse(out, Refused.Reason.BAD_REQUEST, "leaves beyond the file's " + chunks + " or over a page");
            return;
        }
        int from = Math.toIntExact(range.getFirst() * ChunkTree.HASH_SIZE);
        FileFrames.write(FileResponse.newBuilder().setLeaves(LeafHashes.newBuilder().setFirst(range.getFirst())
                .setHashes(ByteString.copyFrom(served.leaves, from, range.getCount() * ChunkTree.HASH_SIZE))).build(),
                out);
    }

    private void chunks(Served served, Range range, boolean lastResort, OutputStream out) throws IOException {
        long chunks = served.offer.chunkCount();
        if (range.getCount() > FileFrames.MAX_CHUNKS_PER_REQUEST || range.getFirst() < 0
                || range.getFirst() + range.getCount() > chunks) {
            refuse(out, Refused.Reason.BAD_REQUEST, "chunks beyond the file's " + chunks + " or too many at once");
            return;
        }
        for (long index = range.getFirst(); index < range.getFirst() + range.getCount(); index++) {
            if (!served.holds(index)) {
                refuse(out, Refused.Reason.NOT_HELD, "chunk " + index + " is not here yet");
                continue;
            }
            if (served.givenOnce != null && !lastResort && !giveFirstTime(served.givenOnce, index)) {
                refuse(out, Refused.Reason.SERVED_ELSEWHERE, "chunk " + index + " went to another member");
                continue;
            }
            int length = FileChunks.plainLength(served.offer.size(), served.offer.chunkSize(), index);
            byte[] plain = FileLibrary.read(served.file, index * served.offer.chunkSize(), length);
            byte[] sealed = FileChunks.seal(served.key, index, plain, 0, length);
            FileFrames.write(FileResponse.newBuilder().setChunk(Chunk.newBuilder().setIndex(index)
                    .setSealed(ByteString.copyFrom(sealed))).build(), out);
            servedBytes.add(sealed.length);
        }
    }

    private static boolean giveFirstTime(BitSet given, long index) {
        synchronized (given) {
            if (given.get((int) index)) {
                return false;
            }
            given.set((int) index);
            return true;
        }
    }

    private static void refuse(OutputStream out, Refused.Reason reason, String text) throws IOException {
        FileFrames.write(FileResponse.newBuilder().setRefused(Refused.newBuilder().setReason(reason).setText(text))
                .build(), out);
    }

    /**
     * The copy of the file of {@code root} to serve {@code asker}: among the offers of it in conversations the asker
     * takes part in, one that is here whole, else one being fetched whose leaves are known.
     */
    private Optional<Served> find(byte[] root, PeerId asker) throws IOException {
        Attachment best = null;
        for (Attachment attachment : store.attachments().byRoot(root)) {
            if (!audience.offeredTo(asker, attachment.message().conversationId())
                    || attachment.leaves().isEmpty()) {
                continue;
            }
            if (attachment.state() == AttachmentState.COMPLETE && attachment.content().isPresent()) {
                best = attachment;
                break;
            }
            if (best == null && attachment.state() != AttachmentState.CANCELLED) {
                best = attachment;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        OfferedFile offer;
        try {
            offer = OfferedFile.fromWire(FileOffer.parseFrom(best.offer()));
        } catch (InvalidProtocolBufferException | InvalidOfferException e) {
            log.warn("a stored file offer does not read back: {}", e.getMessage());
            return Optional.empty();
        }
        boolean whole = best.content().isPresent();
        FileChannel file;
        try {
            file = FileChannel.open(whole ? library.stored(best.content().get()) : library.partial(root),
                    StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("the file of {} cannot be read to serve it: {}", best.message(), e.getMessage());
            return Optional.empty();
        }
        String conversation = best.message().conversationId();
        BitSet given = best.message().sender().equals(me.toBase58()) && audience.isRoom(conversation)
                ? givenOnce.computeIfAbsent(ByteString.copyFrom(root), any -> new BitSet()) : null;
        return Optional.of(new Served(best, offer, file, whole, given));
    }

    /** A file a stream serves: its offer, the open file and which chunks it holds. */
    private final class Served {
        private final Attachment attachment;
        private final OfferedFile offer;
        private final byte[] key;
        private final byte[] leaves;
        private final FileChannel file;
        private final boolean whole;
        /** For a file we offered in a room, the chunks given out once; else null. */
        private final BitSet givenOnce;

        Served(Attachment attachment, OfferedFile offer, FileChannel file, boolean whole, BitSet givenOnce) {
            this.attachment = attachment;
            this.offer = offer;
            this.key = offer.key();
            this.leaves = attachment.leaves().orElseThrow();
            this.file = file;
            this.whole = whole;
            this.givenOnce = givenOnce;
        }

        /** The chunks held: all of a whole file; of one being fetched, what the fetch holds now, else what it recorded. */
        byte[] held() {
            if (whole) {
                return ChunkBits.all(offer.chunkCount());
            }
            return heldNow.apply(ByteString.copyFrom(offer.root())).or(() -> store.attachments()
                    .get(attachment.message()).map(Attachment::held)).orElse(attachment.held());
        }

        boolean holds(long index) {
            return whole || ChunkBits.has(held(), index);
        }

        void close() {
            try {
                file.close();
            } catch (IOException e) {
                log.debug("closing a served file: {}", e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Served[" + attachment.message() + "]";
        }
    }
}
