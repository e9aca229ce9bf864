package dev.parley.app.engine.files;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.Have;
import dev.parley.app.engine.files.wire.FileProtos.LeafHashes;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.AttachmentState;
import dev.parley.store.Attachments.Offered;
import dev.parley.store.MessageKey;
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
import java.util.List;
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
 * conversation, a member of a room, checked again at every request, so a contact blocked or a member removed while
 * its stream is open gets nothing more, and neither does anyone once the message is deleted; to anyone else its root
 * names nothing, and costs us a look at the offers' names only. Part of a file that is still being fetched is served
 * too, the chunks on disk.
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
    /** The fetch under way here of the file a message offers: a room's member serves what it holds before it is recorded. */
    private final Function<MessageKey, Optional<FileFetch>> fetching;
    /**
     * For each file we offered in a room, the chunks given to some member, and those given to each: each chunk goes
     * out once, and members fetch it from each other, so our uplink carries the file about once whatever the room's
     * size; a member's last resort (no member it reaches has the chunk) is served once a member, so a member claiming
     * it again and again costs us the file once at most. Forgotten at restart.
     */
    private final Map<ByteString, Given> given = new ConcurrentHashMap<>();
    /** Sealed chunk bytes sent since start: what this node's uplink carried for files (benchmarks read it). */
    private final LongAdder servedBytes = new LongAdder();

    FileServer(PeerId me, SqliteStore store, FileLibrary library, Audience audience,
               Function<MessageKey, Optional<FileFetch>> fetching) {
        this.me = me;
        this.store = store;
        this.library = library;
        this.audience = audience;
        this.fetching = fetching;
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
        ChunkBuffers buffers = new ChunkBuffers();
        try {
            OutputStream out = new BufferedOutputStream(stream.out(), WRITE_BUFFER_BYTES);
            while (true) {
                stream.setReadDeadline(IDLE);
                Optional<FileRequest> read = FileFrames.readRequest(stream.in(), stream.memory());
                if (read.isEmpty()) {
                    break;
                }
                answer(read.get(), asker, open, buffers, out);
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

    private void answer(FileRequest request, PeerId asker, Map<ByteString, Served> open, ChunkBuffers buffers,
                        OutputStream out) throws IOException {
        Served served = open.get(request.getRoot());
        if (served != null && !servable(served.message(), asker, served.whole)) {
            // Blocked, removed, deleted or cancelled since the stream first named it.
            open.remove(request.getRoot()).close();
            served = null;
        }
        if (served == null) {
            List<Offered> offers = store.attachments().offersOf(request.getRoot().toByteArray()).stream()
                    .filter(offered -> audience.offeredTo(asker, offered.message().conversationId())).toList();
            if (offers.isEmpty()) {
                refuse(out, Refused.Reason.UNKNOWN_FILE, "no such file was offered to you");
                return;
            }
            Optional<Served> found = find(offers, request.getRoot().toByteArray());
            if (found.isEmpty()) {
                nothingYet(request, out);
                return;
            }
            served = found.get();
            open.put(request.getRoot(), served);
        }
        switch (request.getAskCase()) {
            case LEAVES -> leaves(served, request.getLeaves(), out);
            case CHUNKS -> chunks(served, asker, request.getChunks(), request.getLastResort(), buffers, out);
            case HAVE -> FileFrames.write(FileResponse.newBuilder().setHave(Have.newBuilder()
                    .setBits(ByteString.copyFrom(served.held()))).build(), out);
            default -> throw new FileProtocolException("a file request from " + asker + " asks for nothing");
        }
    }

    /** Whether the file {@code message} offers may still be served to {@code asker} from what a stream opened. */
    private boolean servable(MessageKey message, PeerId asker, boolean whole) {
        if (!audience.offeredTo(asker, message.conversationId())) {
            return false;
        }
        return store.attachments().offeredBy(message).filter(offered -> offered.state() != AttachmentState.CANCELLED
                && offered.content().isPresent() == whole).isPresent();
    }

    /**
     * Answers for a file offered to the asker here that we cannot serve from yet: its fetch has not begun (a room's
     * member asks before we have the leaves). It has nothing yet, and the asker will ask again.
     */
    private void nothingYet(FileRequest request, OutputStream out) throws IOException {
        if (request.hasHave()) {
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
        if (!within(range, chunks, FileFrames.MAX_LEAVES_PER_PAGE)) {
            refuse(out, Refused.Reason.BAD_REQUEST, "leaves beyond the file's " + chunks + " or over a page");
            return;
        }
        // Read for each page: a stream holds no leaves, which a file of a million chunks has 32 MiB of.
        Optional<byte[]> page = store.attachments().leavesOf(served.message, range.getFirst(), range.getCount(),
                ChunkTree.HASH_SIZE).filter(hashes -> hashes.length == range.getCount() * ChunkTree.HASH_SIZE);
        if (page.isEmpty()) {
            refuse(out, Refused.Reason.NOT_HELD, "the file's leaves are not here");
            return;
        }
        FileFrames.write(FileResponse.newBuilder().setLeaves(LeafHashes.newBuilder().setFirst(range.getFirst())
                .setHashes(ByteString.copyFrom(page.get()))).build(), out);
    }

    private void chunks(Served served, PeerId asker, Range range, boolean lastResort, ChunkBuffers buffers,
                        OutputStream out) throws IOException {
        long chunks = served.offer.chunkCount();
        if (!within(range, chunks, FileFrames.MAX_CHUNKS_PER_REQUEST)) {
            refuse(out, Refused.Reason.BAD_REQUEST, "chunks beyond the file's " + chunks + " or too many at once");
            return;
        }
        for (long index = range.getFirst(); index < range.getFirst() + range.getCount(); index++) {
            if (!served.holds(index)) {
                refuse(out, Refused.Reason.NOT_HELD, "chunk " + index + " is not here yet");
                continue;
            }
            if (served.given != null && !served.given.mayGive(asker, index, lastResort)) {
                refuse(out, Refused.Reason.SERVED_ELSEWHERE, "chunk " + index + " went to another member");
                continue;
            }
            int length = FileChunks.plainLength(served.offer.size(), served.offer.chunkSize(), index);
            buffers.fit(served.offer.chunkSize());
            FileLibrary.readFully(served.file, index * served.offer.chunkSize(), buffers.plain, length);
            FileFrames.writeChunk(index, served.key, buffers.plain, length, buffers.frame, out);
            servedBytes.add(length + FileChunks.TAG_SIZE);
        }
    }

    /** Whether {@code range} lies within a file of {@code chunks} and asks {@code most} at most: uint64s, so no sums. */
    private static boolean within(Range range, long chunks, int most) {
        long first = range.getFirst();
        long count = Integer.toUnsignedLong(range.getCount());
        return first >= 0 && first <= chunks && count <= most && count <= chunks - first;
    }

    private static void refuse(OutputStream out, Refused.Reason reason, String text) throws IOException {
        FileFrames.write(FileResponse.newBuilder().setRefused(Refused.newBuilder().setReason(reason).setText(text))
                .build(), out);
    }

    /**
     * The copy to serve among {@code offers} (all offered to the asker): one that is here whole, else one being
     * fetched whose leaves are known.
     */
    private Optional<Served> find(List<Offered> offers, byte[] root) {
        Offered best = offers.stream().filter(offered -> offered.state() == AttachmentState.COMPLETE
                && offered.content().isPresent()).findFirst().orElse(null);
        if (best == null) {
            best = offers.stream().filter(offered -> offered.state() != AttachmentState.CANCELLED).findFirst()
                    .orElse(null);
        }
        if (best == null) {
            return Optional.empty();
        }
        Optional<byte[]> stored = store.attachments().offerWithLeaves(best.message());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        OfferedFile offer;
        try {
            offer = OfferedFile.fromWire(FileOffer.parseFrom(stored.get()));
        } catch (InvalidProtocolBufferException | InvalidOfferException e) {
            log.warn("a stored file offer does not read back: {}", e.getMessage());
            return Optional.empty();
        }
        boolean whole = best.content().isPresent();
        FileChannel file;
        try {
            file = FileChannel.open(whole ? library.stored(best.content().get()) : library.partial(best.message()),
                    StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("the file of {} cannot be read to serve it: {}", best.message(), e.getMessage());
            return Optional.empty();
        }
        String conversation = best.message().conversationId();
        Given givenOut = best.message().sender().equals(me.toBase58()) && audience.isRoom(conversation)
                ? given.computeIfAbsent(ByteString.copyFrom(root), any -> new Given()) : null;
        return Optional.of(new Served(best.message(), offer, file, whole, givenOut));
    }

    /**
     * The buffers a stream reads and seals chunks in, reused chunk after chunk: a file of thousands of chunks costs
     * the stream two buffers, not garbage of four copies a chunk.
     */
    private static final class ChunkBuffers {
        private byte[] plain = new byte[0];
        private byte[] frame = new byte[0];

        /** Makes room for chunks of {@code chunkSize} bytes. */
        void fit(int chunkSize) {
            if (plain.length < chunkSize) {
                plain = new byte[chunkSize];
                frame = FileFrames.chunkFrameBuffer(chunkSize);
            }
        }
    }

    /** What the sender of a room's file gave out: each chunk once to some member, and once at most to each member. */
    private static final class Given {
        private final BitSet toSomeone = new BitSet();
        private final Map<PeerId, BitSet> toEach = new HashMap<>();

        synchronized boolean mayGive(PeerId asker, long index, boolean lastResort) {
            BitSet toAsker = toEach.computeIfAbsent(asker, any -> new BitSet());
            if (toAsker.get((int) index) || toSomeone.get((int) index) && !lastResort) {
                return false;
            }
            toSomeone.set((int) index);
            toAsker.set((int) index);
            return true;
        }
    }

    /** A file a stream serves: its offer, the open file and which chunks it holds. */
    private final class Served {
        private final MessageKey message;
        private final OfferedFile offer;
        private final byte[] key;
        private final FileChannel file;
        private final boolean whole;
        /** For a file we offered in a room, what was given out; else null. */
        private final Given given;
        /** What the store recorded of a partial file with no fetch under way, read once a stream. */
        private byte[] recorded;

        Served(MessageKey message, OfferedFile offer, FileChannel file, boolean whole, Given given) {
            this.message = message;
            this.offer = offer;
            this.key = offer.key();
            this.file = file;
            this.whole = whole;
            this.given = given;
        }

        MessageKey message() {
            return message;
        }

        /** The chunks held: all of a whole file; of one being fetched, what is on disk now, else what was recorded. */
        byte[] held() {
            if (whole) {
                return ChunkBits.all(offer.chunkCount());
            }
            return fetching.apply(message()).map(FileFetch::heldNow).orElseGet(this::recorded);
        }

        boolean holds(long index) {
            if (whole) {
                return true;
            }
            Optional<FileFetch> fetch = fetching.apply(message());
            return fetch.isPresent() ? fetch.get().holds(index) : ChunkBits.has(recorded(), index);
        }

        private byte[] recorded() {
            if (recorded == null) {
                recorded = store.attachments().heldOf(message()).orElse(new byte[0]);
            }
            return recorded;
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
            return "Served[" + message + "]";
        }
    }
}
