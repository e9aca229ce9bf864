package dev.parley.app.engine.files;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.HaveAsk;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.Attachment;
import dev.parley.store.MessageKey;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one offered file (app/README.md, "Files"): the leaf hashes first, checked against the offer's root, then
 * the chunks still missing, from every holder it reaches at once (a room's members), each holder's stream with many
 * chunks asked ahead. Each chunk is checked against its leaf before it is opened and written where it belongs in the
 * partial file; one that does not match counts against the holder that sent it, and is fetched again elsewhere.
 * Which chunks are on disk is recorded after the file is flushed, every {@link #CHECKPOINT_BYTES}, so a fetch stopped
 * in any way (a dropped connection, a kill) resumes after the last recorded chunk and loses at most one checkpoint's
 * worth. Memory stays the same at any size: the chunks in flight, the leaves and a few bits a chunk. A small file's
 * chunks may also come from our mailbox ({@link #delivered}), checked by the caller, while the fetch runs.
 */
final class FileFetch {
    private static final Logger log = LoggerFactory.getLogger(FileFetch.class);
    /** Chunks asked of one holder and not yet come: enough to keep a fast path busy (8 MiB at the usual size). */
    static final int CHUNKS_IN_FLIGHT = 32;
    /**
     * Chunks that came before more are asked of the holder: a quarter of those in flight, so that requests name runs
     * of chunks, and the pipe stays full.
     */
    static final int ASK_AGAIN_AFTER = CHUNKS_IN_FLIGHT / 4;
    /** Holders fetched from at once. */
    static final int MAX_HOLDERS = 6;
    /** How much is written between two records of the chunks held. */
    static final long CHECKPOINT_BYTES = 16L * 1024 * 1024;
    /** Chunks from a holder that do not match their hashes before it is asked for nothing more. */
    static final int MAX_BAD_CHUNKS = 3;
    /**
     * Over a relayed connection, a file is fetched only if what is missing fits in this share of what the relay said
     * the circuit may carry (1/2): the rest is left for the chat, and the circuit was not new. A public relay's
     * 128 KiB circuit takes 64 KiB files, a contact's 64 MiB one 32 MiB files, an unlimited one any. More waits for a
     * direct connection (hole punching makes one), which {@link #wake} hears of.
     */
    static final int RELAY_SHARE_DIVISOR = 2;
    static final String WAITING_FOR_DIRECT = "waiting for a direct connection";
    /** How long a holder has to agree on the protocol, and then to send each next frame. */
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    /** The longest wait between two tries of a holder that cannot be reached; its connecting ends the wait at once. */
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    /** How often a holder with nothing for us is asked again what it has. */
    private static final Duration HAVE_AGAIN = Duration.ofMillis(250);
    /**
     * How long a chunk the room file's sender gave another member, and no member we reach has, is looked for among
     * the members before the sender is asked for it again (that member may have gone).
     */
    private static final Duration LAST_RESORT_AFTER = Duration.ofSeconds(10);

    /** How the fetch reaches holders and reports. */
    interface Context {
        SqliteStore store();

        FileLibrary library();

        /** An open connection to {@code peer}, dialling it if need be. */
        Connection connect(PeerId peer) throws IOException;

        /** Runs {@code task} on a thread of its own, named {@code name}. */
        Thread start(String name, Runnable task);

        /** Told whenever the transfer moved on: every chunk; the caller decides how often to say so. */
        void progressed(FileFetch fetch);

        /** Nanoseconds of a monotonic clock, for the rate and the waits. */
        LongSupplier nanoTime();
    }

    private final Context context;
    private final MessageKey key;
    private final OfferedFile offer;
    private final Supplier<List<PeerId>> holders;
    private final long chunks;
    private final RateMeter rate;
    /** Guards the chunk bookkeeping below, and signals when a chunk came or a holder connected. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] held;
    private final BitSet inFlight = new BitSet();
    /** Chunks the room file's sender refused as given to another member, and since when. */
    private final Map<Long, GivenElsewhere> givenElsewhere = new HashMap<>();
    /** What each holder said it has, last time it was asked. */
    private final Map<PeerId, byte[]> haves = new HashMap<>();
    /**
     * The chunks each holder refused as not held: a holder that said it has one and does not serve it is not asked for
     * it again, nor counted as having it, whatever it says next (or it could keep us from the sender for ever).
     */
    private final Map<PeerId, BitSet> notServedBy = new HashMap<>();
    private final Map<PeerId, Integer> badChunks = new HashMap<>();
    private long heldChunks;
    private int liveStreams;
    /**
     * The SHA-256 of the file's first {@link #hashedChunks} chunks, fed in order as they are on disk by the fetch's
     * hashing thread (confined to it until {@link #run} has joined it).
     */
    private final MessageDigest contentHash = FileLibrary.sha256();
    private long hashedChunks;
    /** Whether every holder's stream has ended, so no chunk comes any more. Locking: lock. */
    private boolean streamsEnded;
    /** Held while what is on disk is being recorded: one checkpoint at a time, and the last waits for the one before. */
    private final ReentrantLock checkpointing = new ReentrantLock();
    private long sinceCheckpoint;
    private volatile byte[] leaves;
    private volatile long heldBytes;
    private volatile FileTransfer.State state = FileTransfer.State.FETCHING;
    private volatile Optional<String> problem = Optional.empty();
    private volatile boolean stopping;
    /** Where holders' chunks are picked from: the start for one holder, anywhere for many, so they overlap less. */
    private volatile long firstPick;

    FileFetch(Context context, Attachment attachment, OfferedFile offer, Supplier<List<PeerId>> holders) {
        this.context = context;
        this.key = attachment.message();
        this.offer = offer;
        this.holders = holders;
        this.chunks = offer.chunkCount();
        this.leaves = attachment.leaves().orElse(null);
        byte[] stored = attachment.held();
        this.held = stored.length == ChunkBits.none(chunks).length ? stored : ChunkBits.none(chunks);
        this.heldBytes = ChunkBits.heldBytes(held, offer.size(), offer.chunkSize());
        for (long index = 0; index < chunks; index++) {
            heldChunks += ChunkBits.has(held, index) ? 1 : 0;
        }
        this.rate = new RateMeter(context.nanoTime());
    }

    MessageKey key() {
        return key;
    }

    FileTransfer transfer() {
        return new FileTransfer(state, heldBytes, offer.size(),
                state == FileTransfer.State.FETCHING ? rate.bytesPerSecond() : 0, problem);
    }

    /** The chunks on disk now, recorded or not: a room's member serves them to the others. */
    byte[] heldNow() {
        lock.lock();
        try {
            return held.clone();
        } finally {
            lock.unlock();
        }
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops at the next chunk; what came stays. */
    void stop() {
        stopping = true;
        wake();
    }

    /** A peer connected: if the fetch waits for a holder, it tries again now. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the fetch until the file is whole or {@link #stop} is called; returns how it ended. */
    FileTransfer.State run() throws IOException, InterruptedException {
        try (FileChannel file = context.library().openPartial(key)) {
            List<PeerId> reachable = holders.get().stream().limit(MAX_HOLDERS).toList();
            firstPick = reachable.size() > 1 ? ThreadLocalRandom.current().nextLong(Math.max(1, chunks)) : 0;
            if (!whole()) {
                state = FileTransfer.State.WAITING;
                context.progressed(this);
            }
            Thread hasher = context.start("file-hash " + key.id(), () -> hashInOrder(file));
            List<Thread> workers = new ArrayList<>();
            for (PeerId holder : reachable) {
                workers.add(context.start("file-fetch " + key.id() + " from " + holder, () -> keepFetching(holder,
                        file)));
            }
            try {
                for (Thread worker : workers) {
                    worker.join();
                }
                while (reachable.isEmpty() && !stopping && !whole()) {
                    await(LONGEST_RETRY);
                }
            } finally {
                endStreams();
                hasher.join();
            }
            checkpointing.lock();
            try {
                checkpoint(file);
            } finally {
                checkpointing.unlock();
            }
            if (!whole() && !stopping && !reachable.isEmpty() && reachable.stream().noneMatch(this::trusted)) {
                problem = Optional.of("what was sent does not match the file's offer");
                state = FileTransfer.State.FAILED;
                return state;
            }
            if (!whole()) {
                state = FileTransfer.State.PAUSED;
                return state;
            }
            file.force(true);
        }
        String content = hashedChunks == chunks ? context.library().completed(key, contentHash.digest())
                : context.library().completed(key);
        context.store().attachments().complete(key, held, content);
        state = FileTransfer.State.COMPLETE;
        context.progressed(this);
        return state;
    }

    /**
     * Fetches from one holder until the file is whole or the fetch stops, its stream opened again after each failure,
     * waiting longer each time nothing came (a holder that connects, or a chunk from elsewhere, ends the wait early).
     */
    private void keepFetching(PeerId holder, FileChannel file) {
        Duration retry = Duration.ofMillis(500);
        try {
            while (!stopping && !whole() && trusted(holder)) {
                if (fetchFrom(holder, file)) {
                    // It served us: try it again soon, as at first.
                    retry = Duration.ofMillis(500);
                }
                if (stopping || whole()) {
                    break;
                }
                await(retry);
                retry = retry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retry.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code missingBytes} may be fetched over {@code connection}: any amount if it is direct. */
    static boolean fitsThrough(Connection connection, long missingBytes) {
        return connection.relayLimit()
                .map(limit -> limit.dataBytes() == 0 || missingBytes <= limit.dataBytes() / RELAY_SHARE_DIVISOR)
                .orElse(true);
    }

    /** One stream to {@code holder}, until the file is whole, the fetch stops or the holder fails us; whether a chunk came. */
    private boolean fetchFrom(PeerId holder, FileChannel file) throws InterruptedException {
        ArrayDeque<Asked> asked = new ArrayDeque<>();
        ChunkBuffers buffers = new ChunkBuffers(offer.chunkSize());
        boolean took = false;
        boolean live = false;
        Connection connection;
        try {
            connection = context.connect(holder);
        } catch (IOException e) {
            log.debug("file {}: {} cannot be reached: {}", key, holder, e.getMessage());
            return false;
        }
        if (!fitsThrough(connection, offer.size() - heldBytes)) {
            waitingFor(Optional.of(WAITING_FOR_DIRECT));
            return false;
        }
        try (Stream stream = connection.newStream(STREAM_TIMEOUT, FileFrames.PROTOCOL_ID)) {
            OutputStream out = new BufferedOutputStream(stream.out(), 4096);
            FileFrames.ResponseReader responses = new FileFrames.ResponseReader(stream.in(), stream.memory());
            fetchLeaves(holder, responses, out);
            byte[] has = askHave(stream.remotePeer(), responses, out);
            live = true;
            streamOpened();
            long askedHaveAt = context.nanoTime().getAsLong();
            long[] cursor = {firstPick};
            while (!stopping && !whole()) {
                int free = CHUNKS_IN_FLIGHT - asked.size();
                if (asked.isEmpty() || free >= ASK_AGAIN_AFTER) {
                    List<Asked> picked = pick(holder, has, free, cursor);
                    if (!picked.isEmpty()) {
                        asked.addAll(picked);
                        ask(picked, out);
                        out.flush();
                    }
                }
                if (asked.isEmpty()) {
                    // Nothing this holder has is missing and free: wait for it to get more, or for the file to fill.
                    cursor[0] = firstPick;
                    long since = context.nanoTime().getAsLong() - askedHaveAt;
                    if (since < HAVE_AGAIN.toNanos()) {
                        await(Duration.ofNanos(HAVE_AGAIN.toNanos() - since));
                    }
                    has = askHave(stream.remotePeer(), responses, out);
                    askedHaveAt = context.nanoTime().getAsLong();
                    continue;
                }
                FileResponse response = responses.read();
                Asked answered = asked.poll();
                if (response.hasChunk() && response.getChunk().getIndex() == answered.index()) {
                    take(holder, answered.index(), response.getChunk().getSealed(), file, buffers);
                    took = true;
                } else if (response.hasRefused()) {
                    refused(holder, answered.index(), response.getRefused(), has);
                } else {
                    throw new FileProtocolException(holder + " answered chunk " + answered.index() + " with "
                            + response.getResponseCase());
                }
            }
            stream.closeWrite();
        } catch (FileProtocolException e) {
            log.warn("{} broke the file protocol fetching {}: {}", holder, key, e.getMessage());
        } catch (IOException e) {
            log.debug("file {} from {}: {}", key, holder, e.getMessage());
        } finally {
            lock.lock();
            try {
                asked.forEach(one -> inFlight.clear((int) one.index()));
                // What it said it has is not to be counted on once its stream is gone.
                haves.remove(holder);
            } finally {
                lock.unlock();
            }
            if (live) {
                streamClosed();
            }
        }
        return took;
    }

    /**
     * Asks for {@code picked}, consecutive chunks in one request: the holder checks that we may fetch the file once a
     * request, and a file of thousands of chunks costs hundreds of requests, not thousands.
     */
    private void ask(List<Asked> picked, OutputStream out) throws IOException {
        int first = 0;
        for (int next = 1; next <= picked.size(); next++) {
            boolean runEnds = next == picked.size() || picked.get(next).index() != picked.get(next - 1).index() + 1
                    || picked.get(next).lastResort() != picked.get(first).lastResort()
                    || next - first == FileFrames.MAX_CHUNKS_PER_REQUEST;
            if (runEnds) {
                FileFrames.write(request().setChunks(Range.newBuilder().setFirst(picked.get(first).index())
                        .setCount(next - first)).setLastResort(picked.get(first).lastResort()).build(), out);
                first = next;
            }
        }
    }

    /** A holder's stream is open: the transfer is under way. */
    private void streamOpened() {
        boolean first;
        lock.lock();
        try {
            first = liveStreams++ == 0;
        } finally {
            lock.unlock();
        }
        if (first) {
            state = FileTransfer.State.FETCHING;
            problem = Optional.empty();
            context.progressed(this);
        }
    }

    /** Says why the transfer waits, once each time the reason changes. */
    private void waitingFor(Optional<String> reason) {
        if (state == FileTransfer.State.WAITING && !reason.equals(problem)) {
            problem = reason;
            context.progressed(this);
        }
    }

    /** A holder's stream ended: with none left, the transfer waits for a holder. */
    private void streamClosed() {
        boolean last;
        lock.lock();
        try {
            last = --liveStreams == 0;
        } finally {
            lock.unlock();
        }
        if (last && !stopping && !whole()) {
            state = FileTransfer.State.WAITING;
            context.progressed(this);
        }
    }

    /** A chunk asked of a holder, and whether as a last resort. */
    private record Asked(long index, boolean lastResort) {
    }

    /** The holder that refused a chunk as given to another member, and when it first did. */
    private record GivenElsewhere(PeerId by, long since) {
    }

    /**
     * Up to {@code count} chunks missing, not asked of anyone and held by {@code holder}, marked as in flight. The
     * holder's stream looks from {@code cursor} on and moves it past what it looked at, so that asking for one more
     * chunk at a time costs a few steps, not a walk over the whole file; once round the file, it looks no further.
     */
    private List<Asked> pick(PeerId holder, byte[] has, int count, long[] cursor) {
        List<Asked> picked = new ArrayList<>();
        if (count <= 0 || chunks == 0) {
            return picked;
        }
        long now = context.nanoTime().getAsLong();
        lock.lock();
        try {
            long end = firstPick + chunks;
            for (; cursor[0] < end && picked.size() < count; cursor[0]++) {
                long index = cursor[0] % chunks;
                if (ChunkBits.has(held, index) || inFlight.get((int) index) || !ChunkBits.has(has, index)
                        || refusedBy(holder, index)) {
                    continue;
                }
                GivenElsewhere elsewhere = givenElsewhere.get(index);
                boolean lastResort = false;
                if (elsewhere != null && elsewhere.by().equals(holder)) {
                    // The sender gave it to a member: asked again only once no member we reach has it for a while.
                    if (now - elsewhere.since() < LAST_RESORT_AFTER.toNanos() || othersHave(holder, index)) {
                        continue;
                    }
                    lastResort = true;
                }
                inFlight.set((int) index);
                picked.add(new Asked(index, lastResort));
            }
        } finally {
            lock.unlock();
        }
        return picked;
    }

    private boolean othersHave(PeerId holder, long index) {
        return haves.entrySet().stream().anyMatch(entry -> !entry.getKey().equals(holder)
                && ChunkBits.has(entry.getValue(), index) && !refusedBy(entry.getKey(), index));
    }

    private boolean refusedBy(PeerId holder, long index) {
        BitSet refused = notServedBy.get(holder);
        return refused != null && refused.get((int) index);
    }

    private void refused(PeerId holder, long index, Refused refusal, byte[] has) throws IOException {
        lock.lock();
        try {
            inFlight.clear((int) index);
            switch (refusal.getReason()) {
                case NOT_HELD -> notServedBy.computeIfAbsent(holder, any -> new BitSet()).set((int) index);
                case SERVED_ELSEWHERE -> givenElsewhere.putIfAbsent(index,
                        new GivenElsewhere(holder, context.nanoTime().getAsLong()));
                default -> throw new IOException(holder + " refused chunk " + index + ": " + refusal.getText());
            }
        } finally {
            lock.unlock();
        }
    }

    private byte[] askHave(PeerId holder, FileFrames.ResponseReader responses, OutputStream out)
            throws IOException {
        FileFrames.write(request().setHave(HaveAsk.getDefaultInstance()).build(), out);
        out.flush();
        FileResponse response = responses.read();
        if (!response.hasHave()) {
            throw new IOException(holder + " does not say which chunks it has: "
                    + (response.hasRefused() ? response.getRefused().getText() : response.getResponseCase()));
        }
        byte[] has = Arrays.copyOf(response.getHave().getBits().toByteArray(), ChunkBits.none(chunks).length);
        lock.lock();
        try {
            haves.put(holder, has.clone());
        } finally {
            lock.unlock();
        }
        return has;
    }

    /** Fetches the leaf hashes from {@code holder} unless another holder's stream has: one at a time. */
    private synchronized void fetchLeaves(PeerId holder, FileFrames.ResponseReader responses, OutputStream out)
            throws IOException {
        if (leaves != null) {
            return;
        }
        byte[] fetched = new byte[Math.toIntExact(chunks * ChunkTree.HASH_SIZE)];
        for (long first = 0; first < chunks; first += FileFrames.MAX_LEAVES_PER_PAGE) {
            int count = (int) Math.min(FileFrames.MAX_LEAVES_PER_PAGE, chunks - first);
            FileFrames.write(request().setLeaves(Range.newBuilder().setFirst(first).setCount(count)).build(), out);
            out.flush();
            FileResponse response = responses.read();
            if (response.hasRefused()) {
                if (response.getRefused().getReason() == Refused.Reason.BAD_REQUEST) {
                    // It holds a file of that root with another number of chunks: the offer lies about the size.
                    strike(holder);
                    throw new FileProtocolException(holder + " has no leaves " + first + " to " + (first + count)
                            + " of the file: " + response.getRefused().getText());
                }
                throw new IOException(holder + " does not serve the file's leaves: " + response.getRefused().getText());
            }
            ByteString hashes = response.getLeaves().getHashes();
            if (!response.hasLeaves() || response.getLeaves().getFirst() != first
                    || hashes.size() != count * ChunkTree.HASH_SIZE) {
                throw new FileProtocolException(holder + " answered leaves " + first + " with something else");
            }
            hashes.copyTo(fetched, Math.toIntExact(first * ChunkTree.HASH_SIZE));
        }
        if (!Arrays.equals(ChunkTree.root(fetched), offer.root())) {
            strike(holder);
            throw new FileProtocolException(holder + "'s leaf hashes do not make the offer's root");
        }
        context.store().attachments().leaves(key, fetched);
        leaves = fetched;
    }

    /** The buffers a stream checks and opens chunks in, reused chunk after chunk. */
    private static final class ChunkBuffers {
        private final byte[] sealed;
        private final byte[] plain;

        ChunkBuffers(int chunkSize) {
            this.sealed = new byte[chunkSize + FileChunks.TAG_SIZE];
            this.plain = new byte[chunkSize];
        }
    }

    /**
     * Checks a chunk against its leaf, opens it and writes it in place. {@code sealedBytes} is a view of the stream's
     * read buffer, copied once into {@code buffers} before anything else reads it.
     */
    private void take(PeerId holder, long index, ByteString sealedBytes, FileChannel file, ChunkBuffers buffers)
            throws IOException {
        int length = FileChunks.plainLength(offer.size(), offer.chunkSize(), index);
        int sealedLength = length + FileChunks.TAG_SIZE;
        boolean matches = sealedBytes.size() == sealedLength;
        if (matches) {
            sealedBytes.copyTo(buffers.sealed, 0);
            matches = matchesLeaf(offer, leaves, index, buffers.sealed, sealedLength);
        }
        if (!matches) {
            strike(holder);
            releaseChunk(index);
            throw new FileProtocolException(holder + "'s chunk " + index + " does not match its hash");
        }
        try {
            FileChunks.open(offer.key(), index, buffers.sealed, 0, sealedLength, buffers.plain, 0);
        } catch (GeneralSecurityException e) {
            // The chunk matches the offer's tree, so the offer's sender sealed it wrongly: nobody serves it better.
            stop();
            throw new FileProtocolException("chunk " + index + " matches the offer's tree and does not open: " + e);
        }
        boolean due = written(index, buffers.plain, length, file);
        rate.add(length);
        if (due) {
            checkpointAside(file);
        }
        context.progressed(this);
    }

    /**
     * Whether the first {@code sealedLength} bytes of {@code sealed} are chunk {@code index} of the file {@code offer}
     * names: as long as that chunk sealed, and hashing to its leaf among {@code leaves}, which make the offer's root.
     */
    static boolean matchesLeaf(OfferedFile offer, byte[] leaves, long index, byte[] sealed, int sealedLength) {
        int length = FileChunks.plainLength(offer.size(), offer.chunkSize(), index);
        if (sealedLength != length + FileChunks.TAG_SIZE) {
            return false;
        }
        byte[] leaf = ChunkTree.leafHash(sealed, 0, sealedLength);
        int at = Math.toIntExact(index * ChunkTree.HASH_SIZE);
        return Arrays.equals(leaf, 0, leaf.length, leaves, at, at + ChunkTree.HASH_SIZE);
    }

    /**
     * The leaf hashes came another way (with a mailbox's pieces), checked against the offer's root: no holder needs to
     * be asked for them.
     */
    void leavesKnown(byte[] checked) {
        synchronized (this) {
            if (leaves == null) {
                leaves = checked;
            }
        }
    }

    /**
     * Chunk {@code index} came another way (a mailbox's pieces), checked against its leaf and opened: written in
     * {@code file} (the partial file, opened by the caller) and counted as a fetched one is (the hashing thread takes
     * it in its turn), and recorded at once, since no stream's checkpoint may follow it. The last chunk missing makes
     * the fetch complete.
     */
    void delivered(long index, byte[] plain, FileChannel file) throws IOException {
        if (holds(index)) {
            return;
        }
        written(index, plain, plain.length, file);
        checkpointing.lock();
        try {
            checkpoint(file);
        } finally {
            checkpointing.unlock();
        }
        context.progressed(this);
    }

    /** Writes the {@code length} bytes of chunk {@code index} in place and counts it held; whether a checkpoint is due. */
    private boolean written(long index, byte[] plain, int length, FileChannel file) throws IOException {
        FileLibrary.writeFully(file, ByteBuffer.wrap(plain, 0, length), index * offer.chunkSize());
        lock.lock();
        try {
            if (!ChunkBits.has(held, index)) {
                ChunkBits.set(held, index);
                heldChunks++;
                heldBytes += length;
            }
            inFlight.clear((int) index);
            sinceCheckpoint += length;
            boolean due = sinceCheckpoint >= CHECKPOINT_BYTES;
            if (due) {
                sinceCheckpoint = 0;
            }
            changed.signalAll();
            return due;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Feeds the file's SHA-256 with its chunks in order, each read back (from the page cache: it was just written)
     * once it is on disk, on a thread of its own: hashing overlaps the fetch instead of following every chunk on its
     * stream's thread. A fetch in order is hashed as it goes, and the whole file needs no second pass at the end; this
     * stops at the first chunk missing once the streams have ended, and the file is hashed whole at the end if need
     * be.
     */
    private void hashInOrder(FileChannel file) {
        byte[] buffer = new byte[chunks == 0 ? 0 : offer.chunkSize()];
        try {
            while (hashedChunks < chunks && awaitHeld(hashedChunks)) {
                int length = FileChunks.plainLength(offer.size(), offer.chunkSize(), hashedChunks);
                FileLibrary.readFully(file, hashedChunks * offer.chunkSize(), buffer, length);
                contentHash.update(buffer, 0, length);
                hashedChunks++;
            }
        } catch (IOException e) {
            log.debug("file {}: hashing what came stopped: {}", key, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until chunk {@code index} is on disk or no stream brings anything more; whether it is on disk. */
    private boolean awaitHeld(long index) throws InterruptedException {
        lock.lock();
        try {
            while (!ChunkBits.has(held, index) && !streamsEnded) {
                changed.await();
            }
            return ChunkBits.has(held, index);
        } finally {
            lock.unlock();
        }
    }

    /** Every holder's stream has ended: the hashing thread stops at the first chunk missing. */
    private void endStreams() {
        lock.lock();
        try {
            streamsEnded = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether chunk {@code index} is on disk (recorded or not). */
    boolean holds(long index) {
        lock.lock();
        try {
            return ChunkBits.has(held, index);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records what is on disk on a thread of its own: flushing 16 MiB to the disk takes a while, and the chunks keep
     * coming meanwhile. One at a time: a checkpoint due while the one before still runs waits for it and runs here,
     * which holds this stream back, so the record never lags what came by more than two checkpoints' worth.
     */
    private void checkpointAside(FileChannel file) throws IOException {
        if (!checkpointing.tryLock()) {
            checkpointing.lock();
            try {
                checkpoint(file);
            } finally {
                checkpointing.unlock();
            }
            return;
        }
        CountDownLatch taken = new CountDownLatch(1);
        context.start("file-checkpoint " + key.id(), () -> {
            checkpointing.lock();
            taken.countDown();
            try {
                checkpoint(file);
            } catch (IOException e) {
                log.debug("file {}: recording what is on disk failed: {}", key, e.getMessage());
            } finally {
                checkpointing.unlock();
            }
        });
        checkpointing.unlock();
        try {
            // Handed over: the checkpoint thread holds the lock before this stream goes on.
            taken.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseChunk(long index) {
        lock.lock();
        try {
            inFlight.clear((int) index);
        } finally {
            lock.unlock();
        }
    }

    /** A chunk or leaves from {@code holder} did not match: after {@link #MAX_BAD_CHUNKS}, it is asked no more. */
    private void strike(PeerId holder) {
        lock.lock();
        try {
            badChunks.merge(holder, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    private boolean trusted(PeerId holder) {
        lock.lock();
        try {
            return badChunks.getOrDefault(holder, 0) < MAX_BAD_CHUNKS;
        } finally {
            lock.unlock();
        }
    }

    /** Flushes what was written to the disk, then records it as held: never the other way round. */
    private void checkpoint(FileChannel file) throws IOException {
        byte[] written = heldNow();
        file.force(false);
        context.store().attachments().held(key, written);
    }

    private void await(Duration longest) throws InterruptedException {
        lock.lock();
        try {
            if (!stopping) {
                changed.await(longest.toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private FileRequest.Builder request() {
        return FileRequest.newBuilder().setRoot(ByteString.copyFrom(offer.root()));
    }

    private boolean whole() {
        lock.lock();
        try {
            return heldChunks == chunks;
        } finally {
            lock.unlock();
        }
    }
}
