package dev.parley.app.engine.files;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.MessageKey;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and images in chats (app/README.md, "Files"): offering a file with a message, fetching the files offered to
 * us, and what the user does with them. The bytes go peer to peer over {@code /parley/file/1.0.0} ({@link
 * FileServer}, {@link FileFetch}); the offer, with the key, goes in the message's sealed envelope.
 */
public final class FileTransfers {
    private static final Logger log = LoggerFactory.getLogger(FileTransfers.class);
    /** Pictures up to this size are fetched as soon as their offer arrives; anything else on the user's word. */
    public static final long DEFAULT_AUTO_FETCH_BYTES = 8L * 1024 * 1024;
    /** How often a fetch reports its progress at most. */
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

    /** How the area reaches the rest of the engine. */
    public interface Context {
        /** Sends {@code payload} as a TEXT message; {@code beforeStoring} runs with its id before it is stored. */
        MessageId send(ConversationRef to, Text payload, Consumer<MessageId> beforeStoring) throws EngineException;

        /** The store's id of a conversation. */
        String conversationId(ConversationRef conversation) throws EngineException;

        /** The conversation of a store id, if it is one we have. */
        Optional<ConversationRef> conversation(String conversationId);

        /** Whom to fetch a file of this conversation from, in order: its sender first. */
        List<PeerId> holders(String conversationId, PeerId sender);

        Connection connect(PeerId peer) throws IOException;
    }

    private final PeerId me;
    private final SqliteStore store;
    private final FileLibrary library;
    private final Context context;
    private final EngineThreads threads;
    private final Consumer<EngineEvent> events;
    private final LongSupplier nanoTime;
    private final Map<MessageKey, Running> running = new ConcurrentHashMap<>();
    /**
     * Held while a fetch starts, and while a chunk from a mailbox is written: such a chunk goes to the fetch under way,
     * or straight to the partial file and the store when there is none, never to both.
     */
    private final Object startingOrDelivering = new Object();
    private final MailboxFileParts fromMailboxes = new MailboxFileParts();
    private volatile long autoFetchBytes = DEFAULT_AUTO_FETCH_BYTES;

    public FileTransfers(PeerId me, SqliteStore store, FileLibrary library, Context context, EngineThreads threads,
                 Consumer<EngineEvent> events, LongSupplier nanoTime) {
        this.me = me;
        this.store = store;
        this.library = library;
        this.context = context;
        this.threads = threads;
        this.events = events;
        this.nanoTime = nanoTime;
    }

    /**
     * A fetch under way; {@code lastReport} holds when it last reported, how many bytes it held then and its state's
     * ordinal; {@code ended} completes when its thread has ended.
     */
    private record Running(FileFetch fetch, MessageRef ref, long[] lastReport, CompletableFuture<Void> ended) {
    }

    /**
     * Offers the file at {@code path} in a conversation: copies it into the profile (hashing and sealing it on the
     * way), then sends the offer as a message with {@code caption}. Returns the message's id once the message is
     * durable; the file goes to each recipient as they fetch it.
     *
     * @param copied told how many bytes are copied so far, for a large file
     */
    public MessageId send(ConversationRef to, Path path, String caption, LongConsumer copied) throws EngineException {
        threads.checkOpen();
        String conversation = context.conversationId(to);
        if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
            throw new EngineException(Problem.FILE_UNREADABLE, path + " is not a file that can be read", path);
        }
        FileLibrary.Prepared prepared;
        try {
            prepared = library.prepare(path, copied);
        } catch (IOException e) {
            throw new EngineException(Problem.FILE_UNREADABLE, path + " could not be copied into the profile: "
                    + e.getMessage(), path);
        }
        String name = path.getFileName() == null ? "file" : path.getFileName().toString();
        OfferedFile offered = withThumbnail(new OfferedFile(name, prepared.size(), Images.mediaType(path),
                prepared.root(), prepared.key(), FileChunks.CHUNK_SIZE, Optional.empty(), "", 0, 0), path);
        FileOffer wire = offered.toWire();
        try {
            return context.send(to, Text.newBuilder().setBody(caption).setFile(wire).build(),
                    id -> store.attachments().offerAsync(new Attachment(new MessageKey(conversation, me.toBase58(),
                            id.toString()), offered.root(), wire.toByteArray(), offered.size(), offered.chunkCount(),
                            Optional.of(prepared.leaves()), ChunkBits.all(offered.chunkCount()),
                            AttachmentState.COMPLETE, Optional.of(prepared.content()))));
        } catch (EngineException e) {
            dropIfUnoffered(prepared.content());
            throw e;
        }
    }

    /** Deletes the copy of {@code content} unless a message offers it: a send that failed leaves nothing behind. */
    private void dropIfUnoffered(String content) {
        if (store.attachments().references(content) == 0) {
            try {
                library.drop(content);
            } catch (IOException e) {
                log.warn("the copy of a file that was not sent could not be deleted: {}", e.getMessage());
            }
        }
    }

    private static OfferedFile withThumbnail(OfferedFile offer, Path path) {
        if (!offer.mediaType().startsWith("image/")) {
            return offer;
        }
        try {
            Thumbnail thumbnail = Images.thumbnail(path, ImageLimits.defaults());
            return new OfferedFile(offer.name(), offer.size(), offer.mediaType(), offer.root(), offer.key(),
                    offer.chunkSize(), Optional.of(thumbnail.bytes()), thumbnail.mediaType(), thumbnail.width(),
                    thumbnail.height());
        } catch (ImageRefusedException e) {
            log.info("{} goes as a file without a thumbnail: {}", path.getFileName(), e.getMessage());
            return offer;
        }
    }

    /**
     * A message offering a file came in from {@code sender}, not stored yet: queues the offer's write first, so that
     * the message is never stored without it. An offer that breaks the limits is dropped with a warning, and the
     * message is kept as text.
     */
    public void offered(String conversationId, PeerId sender, MessageId id, FileOffer wire) {
        OfferedFile offer;
        try {
            offer = OfferedFile.fromWire(wire);
        } catch (InvalidOfferException e) {
            log.warn("message {} from {}: {}", id, sender, e.getMessage());
            return;
        }
        store.attachments().offerAsync(new Attachment(new MessageKey(conversationId, sender.toBase58(), id.toString()),
                offer.root(), wire.toByteArray(), offer.size(), offer.chunkCount(), Optional.empty(),
                ChunkBits.none(offer.chunkCount()), AttachmentState.OFFERED, Optional.empty()));
    }

    /**
     * The message offering a file is stored and shown: a picture small enough is fetched at once if the sender is
     * trusted with that ({@code fetchNow}: an accepted contact, a room's member), anything else waits for the user.
     */
    public void arrived(MessageRef message, boolean fetchNow) {
        if (fetchNow) {
            // Off the caller's thread, which may be the store's writer: starting a fetch writes.
            threads.tasks().execute(() -> fetchIfSmallPicture(message));
        }
    }

    private void fetchIfSmallPicture(MessageRef message) {
        try {
            Optional<Attachment> attachment = store.attachments().get(key(message));
            Optional<OfferedFile> offer = attachment.flatMap(FileTransfers::offer);
            if (offer.isPresent() && offeredAsPicture(offer.get()) && offer.get().size() <= autoFetchBytes
                    && attachment.get().state() == AttachmentState.OFFERED) {
                fetch(message, attachment.get(), offer.get());
            }
        } catch (EngineException e) {
            log.debug("file of {}: {}", message, e.getMessage());
        }
    }

    /**
     * Whether {@code offer} is made as Parley makes a picture's: an image type, its size in pixels, and a thumbnail
     * (checked small by {@link OfferedFile#fromWire}). A media type alone is a word any sender can give a file that is
     * no picture; a sender that forges all three can make us fetch no more than a real picture of that size would.
     */
    private static boolean offeredAsPicture(OfferedFile offer) {
        return offer.mediaType().startsWith("image/") && offer.thumbnail().isPresent() && offer.width() > 0
                && offer.height() > 0;
    }

    /**
     * The pieces of the file that our message {@code id} offers {@code recipient}, to leave in its mailbox beside the
     * offer (app/README.md, "Files"): each a {@code MailboxFilePart}, under 64 KiB. None unless the message offers a
     * file of at most {@link MailboxFileParts#MAX_FILE_BYTES}, held here whole.
     */
    public List<byte[]> mailboxParts(PeerId recipient, MessageId id) {
        Optional<Attachment> attachment;
        try {
            attachment = store.attachments().get(new MessageKey(context.conversationId(
                    new ConversationRef.Direct(recipient)), me.toBase58(), id.toString()));
        } catch (EngineException e) {
            return List.of();
        }
        Optional<OfferedFile> offer = attachment.filter(held -> held.state() == AttachmentState.COMPLETE
                && held.content().isPresent() && held.leaves().isPresent() && held.size() > 0
                && held.size() <= MailboxFileParts.MAX_FILE_BYTES).flatMap(FileTransfers::offer);
        if (offer.isEmpty()) {
            return List.of();
        }
        try {
            return MailboxFileParts.cut(me, id, offer.get(), attachment.get().leaves().get(),
                    library.stored(attachment.get().content().get())).stream().map(part -> part.toByteArray())
                    .toList();
        } catch (IOException e) {
            log.warn("the file of message {} to {} could not be read to leave in its mailbox: {}", id, recipient,
                    e.getMessage());
            return List.of();
        }
    }

    /**
     * A piece of a small file that was left in our mailbox beside its offer (app/README.md, "Files"), by anyone: it
     * names the offer's sender and message, and is taken only when {@code mayOffer} accepts that sender, the offer is
     * here and not complete, the piece's leaves make the offer's root, and the chunk it completes matches its leaf;
     * the chunk is then written and counted as a fetched one, and the last one completes the file. Anything else is
     * dropped.
     */
    public void fromMailbox(byte[] part, Predicate<PeerId> mayOffer) {
        MailboxFilePart piece;
        PeerId sender;
        MessageId id;
        try {
            piece = MailboxFilePart.parseFrom(part);
            sender = PeerId.fromBytes(piece.getSender().toByteArray());
            id = MessageId.fromBytes(piece.getMessageId().toByteArray());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            log.info("dropped a file piece our mailbox held: {}", e.getMessage());
            return;
        }
        if (!mayOffer.test(sender)) {
            log.info("dropped a file piece our mailbox held for a message of {}: not an accepted contact", sender);
            return;
        }
        ConversationRef conversation = new ConversationRef.Direct(sender);
        MessageKey key;
        try {
            key = new MessageKey(context.conversationId(conversation), sender.toBase58(), id.toString());
        } catch (EngineException e) {
            return;
        }
        Optional<Attachment> attachment = store.attachments().get(key).filter(offered ->
                offered.state() != AttachmentState.COMPLETE && offered.state() != AttachmentState.CANCELLED
                && offered.size() <= MailboxFileParts.MAX_FILE_BYTES);
        Optional<OfferedFile> offer = attachment.flatMap(FileTransfers::offer);
        long index = piece.getChunk();
        if (offer.isEmpty() || index < 0 || index >= offer.get().chunkCount()
                || ChunkBits.has(attachment.get().held(), index)) {
            log.debug("dropped a piece of chunk {} of message {} from {}: no such chunk missing", index, id, sender);
            return;
        }
        byte[] leaves = attachment.get().leaves().orElse(null);
        if (leaves == null) {
            leaves = piece.getLeaves().toByteArray();
            if (!MailboxFileParts.leavesMake(leaves, offer.get().chunkCount(), offer.get().root())) {
                log.info("dropped a piece of message {} from {}: its leaves do not make the offer's root", id, sender);
                return;
            }
            store.attachments().leaves(key, leaves);
        }
        int sealedLength = FileChunks.plainLength(offer.get().size(), offer.get().chunkSize(), index)
                + FileChunks.TAG_SIZE;
        Optional<byte[]> chunk = fromMailboxes.add(key, index, sealedLength, piece);
        if (chunk.isEmpty()) {
            return;
        }
        if (!FileFetch.matchesLeaf(offer.get(), leaves, index, chunk.get(), chunk.get().length)) {
            log.info("dropped chunk {} of message {} from {} put together from our mailbox: it does not match its"
                    + " hash", index, id, sender);
            return;
        }
        byte[] plain;
        try {
            plain = FileChunks.open(offer.get().key(), index, chunk.get(), 0, chunk.get().length);
        } catch (GeneralSecurityException e) {
            log.warn("chunk {} of message {} from {} matches the offer's tree and does not open", index, id, sender);
            return;
        }
        try {
            delivered(new MessageRef(conversation, sender, id), key, offer.get(), leaves, index, plain);
        } catch (IOException e) {
            log.warn("chunk {} of message {} from {} could not be written: {}", index, id, sender, e.getMessage());
        }
    }

    /** Writes a checked chunk from a mailbox through the fetch under way, or on its own when there is none. */
    private void delivered(MessageRef message, MessageKey key, OfferedFile offer, byte[] leaves, long index,
                           byte[] plain) throws IOException {
        synchronized (startingOrDelivering) {
            Running run = running.get(key);
            if (run != null && run.fetch().stopping()) {
                run.ended().join();
                run = null;
            }
            if (run != null) {
                run.fetch().leavesKnown(leaves);
                try (FileChannel file = library.openPartial(key)) {
                    run.fetch().delivered(index, plain, file);
                }
                return;
            }
            Optional<Attachment> now = store.attachments().get(key).filter(attachment -> attachment.state()
                    != AttachmentState.COMPLETE && attachment.state() != AttachmentState.CANCELLED);
            if (now.isEmpty() || ChunkBits.has(now.get().held(), index)) {
                return;
            }
            byte[] held = now.get().held().clone();
            try (FileChannel file = library.openPartial(key)) {
                FileLibrary.writeFully(file, ByteBuffer.wrap(plain), index * offer.chunkSize());
                file.force(false);
            }
            ChunkBits.set(held, index);
            if (ChunkBits.heldBytes(held, offer.size(), offer.chunkSize()) == offer.size()) {
                store.attachments().complete(key, held, library.completed(key));
                fromMailboxes.forget(key);
            } else {
                store.attachments().held(key, held);
            }
        }
        attachmentOf(key).ifPresent(attachment -> events.accept(new EngineEvent.FileProgress(message,
                attachment.transfer())));
    }

    /** Pictures up to this many bytes are fetched when they arrive. */
    public long autoFetchBytes() {
        return autoFetchBytes;
    }

    /** Pictures up to this many bytes are fetched when they arrive. */
    public void setAutoFetchBytes(long bytes) {
        autoFetchBytes = Math.max(0, bytes);
    }

    /** Fetches the file of {@code message}, or resumes fetching it. */
    public void download(MessageRef message) throws EngineException {
        threads.checkOpen();
        Attachment attachment = offerOf(message);
        if (attachment.state() == AttachmentState.COMPLETE) {
            return;
        }
        fetch(message, attachment, offer(attachment).orElseThrow(() -> new EngineException(Problem.NO_FILE,
                "the file offer of the message cannot be read")));
    }

    /**
     * Stops fetching the file of {@code message}; what came is kept, and {@link #download} goes on from there. A
     * fetch under way stops at its next chunk and then reports PAUSED, with what it holds.
     */
    public void pause(MessageRef message) throws EngineException {
        Attachment attachment = offerOf(message);
        if (attachment.state() != AttachmentState.FETCHING) {
            return;
        }
        store.attachments().state(attachment.message(), AttachmentState.PAUSED);
        Running fetch = running.get(attachment.message());
        if (fetch != null) {
            fetch.fetch().stop();
        } else {
            publish(message, attachment, FileTransfer.State.PAUSED);
        }
    }

    /** Gives up the file of {@code message}: stops fetching it and deletes what came. */
    public void cancel(MessageRef message) throws EngineException {
        Attachment attachment = offerOf(message);
        if (attachment.state() == AttachmentState.COMPLETE) {
            return;
        }
        Running fetch = running.remove(attachment.message());
        if (fetch != null) {
            fetch.fetch().stop();
        }
        store.attachments().release(attachment.message(), AttachmentState.CANCELLED);
        fromMailboxes.forget(attachment.message());
        try {
            library.dropPartial(attachment.message());
        } catch (IOException e) {
            log.warn("what came of the file of {} could not be deleted: {}", message, e.getMessage());
        }
        publish(message, attachment, FileTransfer.State.CANCELLED);
    }

    /**
     * The message that offered a file was deleted (for everyone, or here): the fetch stops, what came goes, and so
     * does the whole file unless another message offers the same bytes. The offer stays, so the message shows none.
     */
    public void messageGone(MessageKey message) {
        // Off the caller's thread, which may be the store's writer: the fetch records what it holds as it stops.
        threads.tasks().execute(() -> forget(message));
    }

    private void forget(MessageKey message) {
        Optional<Attachment> attachment = store.attachments().get(message);
        if (attachment.isEmpty()) {
            return;
        }
        Running fetch = running.get(message);
        if (fetch != null) {
            fetch.fetch().stop();
            fetch.ended().join();
        }
        Optional<String> content = store.attachments().release(message, AttachmentState.CANCELLED);
        fromMailboxes.forget(message);
        try {
            library.dropPartial(attachment.get().message());
        } catch (IOException e) {
            log.warn("what came of the file of deleted message {} could not be deleted: {}", message, e.getMessage());
        }
        content.ifPresent(this::dropIfUnoffered);
    }

    /** The file {@code message} offers and how its transfer stands; empty if it offers none. */
    public Optional<FileAttachment> attachment(MessageRef message) {
        try {
            return attachmentOf(key(message));
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #attachment(MessageRef)}, for the engine's parts that hold the store's key of a message. */
    public Optional<FileAttachment> attachmentOf(MessageKey message) {
        return store.attachments().get(message).flatMap(attachment -> offer(attachment).map(offer ->
                describe(attachment, offer)));
    }

    /** The file of {@code message}, whole and checked, to read (never to change: other messages may share it). */
    public Path stored(MessageRef message) throws EngineException {
        Attachment attachment = offerOf(message);
        if (attachment.state() != AttachmentState.COMPLETE || attachment.content().isEmpty()) {
            throw new EngineException(Problem.FILE_NOT_HERE, "the file of the message is not all here yet");
        }
        return library.stored(attachment.content().get());
    }

    /**
     * Saves a copy of the file of {@code message} in {@code folder}, under its offered name made safe, never over
     * another file ("name (1).ext"). Returns where it went. Nothing is ever opened.
     */
    public Path saveIn(MessageRef message, Path folder) throws EngineException {
        Path source = stored(message);
        String name = attachmentOf(key(message)).map(FileAttachment::name).orElse("file");
        try {
            Path target = FileNames.createUnusedIn(folder, name);
            java.nio.file.Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new EngineException("the file could not be saved in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a copy of the file of {@code message} is in {@code folder}, under its offered name's series, saving one
     * there only when none is ("Show in folder" clicked again shows the same copy). A file of the series counts as
     * the copy only when its bytes are the file's: a name alone proves nothing.
     */
    public Path savedOnceIn(MessageRef message, Path folder) throws EngineException {
        Path source = stored(message);
        String name = attachmentOf(key(message)).map(FileAttachment::name).orElse("file");
        try {
            for (Path taken : FileNames.takenIn(folder, name)) {
                if (FileLibrary.sameBytes(source, taken)) {
                    return taken;
                }
            }
        } catch (IOException e) {
            throw new EngineException("the files in " + folder + " could not be read: " + e.getMessage(), e);
        }
        return saveIn(message, folder);
    }

    /** Saves a copy of the file of {@code message} as {@code target}, which the user chose (Save as). */
    public void saveAs(MessageRef message, Path target) throws EngineException {
        Path source = stored(message);
        try {
            java.nio.file.Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EngineException("the file could not be saved as " + target + ": " + e.getMessage(), e);
        }
    }

    /** Resumes the fetches a stop or a crash interrupted. */
    public void start() {
        for (Attachment attachment : store.attachments().inState(AttachmentState.FETCHING)) {
            Optional<ConversationRef> conversation = context.conversation(attachment.message().conversationId());
            Optional<OfferedFile> offer = offer(attachment);
            if (conversation.isEmpty() || offer.isEmpty()) {
                continue;
            }
            MessageRef ref = new MessageRef(conversation.get(), PeerId.parse(attachment.message().sender()),
                    MessageId.parse(attachment.message().id()));
            fetch(ref, attachment, offer.get());
        }
    }

    /** The server of {@code /parley/file/1.0.0} for this profile's files, serving those whom {@code audience} names. */
    public FileServer server(FileServer.Audience audience) {
        return new FileServer(me, store, library, audience, this::fetching);
    }

    /** The fetch under way of the file {@code message} offers, if any: a room's member serves what it holds. */
    Optional<FileFetch> fetching(MessageKey message) {
        return Optional.ofNullable(running.get(message)).map(Running::fetch);
    }

    /** {@code peer} connected: fetches waiting for a holder try again at once. */
    public void connected(PeerId peer) {
        running.values().forEach(fetch -> fetch.fetch().wake());
    }

    /** Stops every fetch; each records what it holds. */
    public void close() {
        running.values().forEach(fetch -> fetch.fetch().stop());
    }

    private void fetch(MessageRef message, Attachment attachment, OfferedFile offer) {
        MessageKey key = attachment.message();
        List<PeerId> holders = new ArrayList<>(context.holders(key.conversationId(), message.sender()));
        FileFetch fetch;
        Running started;
        synchronized (startingOrDelivering) {
            Running before = running.get(key);
            if (before != null) {
                if (!before.fetch().stopping()) {
                    return;
                }
                // Paused a moment ago and not stopped yet: the new fetch goes on from what that one records.
                before.ended().join();
            }
            Attachment now = store.attachments().get(key).orElse(attachment);
            if (now.state() == AttachmentState.COMPLETE) {
                // Made whole by a mailbox's pieces a moment ago.
                return;
            }
            fetch = new FileFetch(fetchContext(), now, offer, () -> holders);
            started = new Running(fetch, message, new long[] {0, 0, -1}, new CompletableFuture<>());
            if (running.putIfAbsent(key, started) != null) {
                return;
            }
            store.attachments().state(key, AttachmentState.FETCHING);
        }
        threads.start("file-fetch " + key.id(), () -> {
            try {
                FileTransfer.State ended = fetch.run();
                if (ended == FileTransfer.State.FAILED) {
                    store.attachments().state(key, AttachmentState.FAILED);
                    events.accept(new EngineEvent.FileProgress(message, fetch.transfer()));
                } else if (ended == FileTransfer.State.PAUSED && !threads.isClosing()) {
                    // Stopped by pause, once what it holds is recorded; one stopped by closing resumes at start.
                    events.accept(new EngineEvent.FileProgress(message, fetch.transfer()));
                }
            } catch (IOException e) {
                if (threads.isClosing()) {
                    // Stopped by closing, which interrupts the fetch: it resumes at the next start.
                    log.debug("fetching the file of {} stopped by closing: {}", key, e.toString());
                    return;
                }
                log.warn("fetching the file of {} failed: {}", key, e.toString());
                store.attachments().state(key, AttachmentState.FAILED);
                events.accept(new EngineEvent.FileProgress(message, new FileTransfer(FileTransfer.State.FAILED,
                        0, offer.size(), 0, Optional.of(e.getMessage()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.remove(key, started);
                started.ended().complete(null);
            }
        });
    }

    private FileFetch.Context fetchContext() {
        return new FileFetch.Context() {
            @Override
            public SqliteStore store() {
                return store;
            }

            @Override
            public FileLibrary library() {
                return library;
            }

            @Override
            public Connection connect(PeerId peer) throws IOException {
                return context.connect(peer);
            }

            @Override
            public Thread start(String name, Runnable task) {
                return threads.start(name, task);
            }

            @Override
            public void progressed(FileFetch fetch) {
                Running run = running.get(fetch.key());
                if (run == null) {
                    return;
                }
                FileTransfer transfer = fetch.transfer();
                long now = nanoTime.getAsLong();
                boolean moving = transfer.state() == FileTransfer.State.FETCHING;
                synchronized (run.lastReport()) {
                    // The first bytes and every change of state are told at once: a user sees the file coming, or
                    // waiting, when it happens.
                    boolean firstBytes = run.lastReport()[1] == 0 && transfer.bytesHeld() > 0;
                    boolean sameState = run.lastReport()[2] == transfer.state().ordinal();
                    if (moving && sameState && !firstBytes && now - run.lastReport()[0] < PROGRESS_EVERY_NANOS) {
                        return;
                    }
                    run.lastReport()[0] = now;
                    run.lastReport()[1] = transfer.bytesHeld();
                    run.lastReport()[2] = transfer.state().ordinal();
                }
                events.accept(new EngineEvent.FileProgress(run.ref(), transfer));
            }

            @Override
            public LongSupplier nanoTime() {
                return nanoTime;
            }
        };
    }

    private void publish(MessageRef message, Attachment attachment, FileTransfer.State state) {
        events.accept(new EngineEvent.FileProgress(message, new FileTransfer(state,
                state == FileTransfer.State.CANCELLED ? 0 : heldBytes(attachment), attachment.size(), 0,
                Optional.empty())));
    }

    private FileAttachment describe(Attachment attachment, OfferedFile offer) {
        Running run = running.get(attachment.message());
        FileTransfer transfer = run != null ? run.fetch().transfer()
                : new FileTransfer(switch (attachment.state()) {
                    case OFFERED -> FileTransfer.State.OFFERED;
                    case FETCHING -> FileTransfer.State.WAITING;
                    case PAUSED -> FileTransfer.State.PAUSED;
                    case COMPLETE -> FileTransfer.State.COMPLETE;
                    case CANCELLED -> FileTransfer.State.CANCELLED;
                    case FAILED -> FileTransfer.State.FAILED;
                }, heldBytes(attachment), attachment.size(), 0, Optional.empty());
        return new FileAttachment(offer.safeName(), offer.size(), offer.mediaType(),
                offer.thumbnail().map(bytes -> new FileAttachment.Thumbnail(bytes, offer.thumbnailType())),
                offer.width(), offer.height(), transfer);
    }

    private static long heldBytes(Attachment attachment) {
        if (attachment.state() == AttachmentState.COMPLETE) {
            return attachment.size();
        }
        return offer(attachment).map(offer -> ChunkBits.heldBytes(attachment.held(), offer.size(), offer.chunkSize()))
                .orElse(0L);
    }

    private Attachment offerOf(MessageRef message) throws EngineException {
        return store.attachments().get(key(message)).orElseThrow(() -> new EngineException(Problem.NO_FILE,
                "message " + message.id() + " offers no file"));
    }

    private MessageKey key(MessageRef message) throws EngineException {
        return new MessageKey(context.conversationId(message.conversation()), message.sender().toBase58(),
                message.id().toString());
    }

    private static Optional<OfferedFile> offer(Attachment attachment) {
        try {
            return Optional.of(OfferedFile.fromWire(FileOffer.parseFrom(attachment.offer())));
        } catch (InvalidProtocolBufferException | InvalidOfferException e) {
            log.warn("the file offer of {} does not read back: {}", attachment.message(), e.getMessage());
            return Optional.empty();
        }
    }
}
