package dev.parley.store.export;

import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.ConversationKind;
import dev.parley.store.HistoryConversation;
import dev.parley.store.HistoryMessage;
import dev.parley.store.HistoryScope;
import dev.parley.store.MessageActions;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.Notice;
import dev.parley.store.RoomMember;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a profile's history, or part of it, in one of the {@link ExportFormat}s. A file export is written to a
 * temporary file beside the destination, synced, and moved into place only when complete: a failed or cancelled
 * export leaves nothing at the destination, and an existing file there is untouched until the new one is whole.
 *
 * <p>A file export also copies the whole files its messages offer into a folder beside it ({@code chat_files/} for
 * {@code chat.json}), each content once; a file not all here is described without its bytes.
 */
public final class HistoryExporter {
    private static final Logger log = LoggerFactory.getLogger(HistoryExporter.class);
    private static final int PROGRESS_EVERY = 512;

    private final SqliteStore store;
    private final Person owner;
    private final Function<String, Optional<String>> moreNames;
    private final ExportFiles files;

    /** An exporter that leaves the files messages offer out ({@link ExportFiles#NONE}). */
    public HistoryExporter(SqliteStore store, Person owner, Function<String, Optional<String>> moreNames) {
        this(store, owner, moreNames, ExportFiles.NONE);
    }

    /**
     * @param owner     the profile's user: the sender of its own messages
     * @param moreNames names the caller knows beyond the store's (a room member's card), asked for peers the store
     *                  has no name for
     * @param files     reads the offers of files and finds their bytes in the profile
     */
    public HistoryExporter(SqliteStore store, Person owner, Function<String, Optional<String>> moreNames,
                           ExportFiles files) {
        this.store = store;
        this.owner = owner;
        this.moreNames = moreNames;
        this.files = files;
    }

    /**
     * What was exported where.
     *
     * @param files     the files whose bytes went into the files folder beside the export, each counted once
     * @param fileBytes their bytes
     */
    public record Summary(Path file, int conversations, long messages, long bytes, long files, long fileBytes) {
    }

    /**
     * Exports {@code scope} to {@code destination}, replacing a file there only if {@code replace}.
     *
     * @throws HistoryFileException      with a message for the user: the destination cannot be written (a folder, a
     *                                   missing folder, no permission, a read-only or full disk), or exists
     * @throws ExportCancelledException  when {@code progress} asked to stop
     */
    public Summary export(ExportFormat format, HistoryScope scope, ZoneId zone, Path destination, boolean replace,
                          ExportProgress progress) {
        Path target = destination.toAbsolutePath().normalize();
        Path folder = checkDestination(target, replace);
        Path partial = createPartial(folder, target);
        FilesFolder copies = FilesFolder.of(target);
        boolean moved = false;
        try {
            Summary written;
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                written = write(format, scope, zone, out, progress, Optional.of(copies));
                out.flush();
                channel.force(true);
            } catch (IOException e) {
                throw writeFailure(target, e);
            }
            long bytes = size(partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw writeFailure(target, e);
            }
            moved = true;
            return new Summary(target, written.conversations(), written.messages(), bytes, written.files(),
                    written.fileBytes());
        } finally {
            if (!moved) {
                deleteQuietly(partial);
                copies.discard();
            }
        }
    }

    /**
     * Exports {@code scope} to {@code out}, which is flushed, not closed; the summary names no file and no size.
     * The files messages offer are described without their bytes: there is no folder to put them in.
     *
     * @throws ExportCancelledException when {@code progress} asked to stop
     */
    public Summary write(ExportFormat format, HistoryScope scope, ZoneId zone, OutputStream out,
                         ExportProgress progress) throws IOException {
        return write(format, scope, zone, out, progress, Optional.empty());
    }

    private Summary write(ExportFormat format, HistoryScope scope, ZoneId zone, OutputStream out,
                          ExportProgress progress, Optional<FilesFolder> copies) throws IOException {
        Names names = new Names(store.history(), owner, moreNames);
        ExportTimes times = new ExportTimes(zone);
        HistoryWriter writer = switch (format) {
            case JSON -> new JsonHistoryWriter(out, times, names);
            case HTML -> new HtmlHistoryWriter(out, times);
            case TEXT -> new TextHistoryWriter(out, times);
            case MARKDOWN -> new MarkdownHistoryWriter(out, times);
        };
        List<ExportedConversation> conversations = new ArrayList<>();
        for (HistoryConversation conversation : store.history().conversations(scope)) {
            conversations.add(new ExportedConversation(conversation, members(conversation, names)));
        }
        long total = store.history().count(scope);
        long[] done = {0};
        progress.progressed(0, total);
        writer.begin(owner, conversations);
        for (ExportedConversation conversation : conversations) {
            checkCancelled(progress);
            writer.conversation(conversation);
            Set<MessageKey> offering = files == ExportFiles.NONE ? Set.of()
                    : new HashSet<>(store.attachments().offeringIn(conversation.id()));
            try {
                store.history().forEachMessage(conversation.id(), scope, message -> {
                    try {
                        writer.message(exported(message, names, offering, copies, progress));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (++done[0] % PROGRESS_EVERY == 0) {
                        checkCancelled(progress);
                        progress.progressed(done[0], Math.max(total, done[0]));
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.endConversation();
        }
        writer.end();
        out.flush();
        progress.progressed(done[0], Math.max(total, done[0]));
        return new Summary(null, conversations.size(), done[0], -1, copies.map(FilesFolder::copied).orElse(0L),
                copies.map(FilesFolder::copiedBytes).orElse(0L));
    }

    /**
     * The file {@code message} offers, as its offer reads, with its bytes copied into the files folder when they are
     * all here; without them, and a warning, when the profile's copy is missing or cannot be read.
     */
    private Optional<ExportedAttachment> attachment(MessageKey message, Optional<FilesFolder> copies,
                                                    ExportProgress progress) throws IOException {
        Optional<Attachment> attachment = store.attachments().get(message);
        Optional<ExportedFile> file = attachment.flatMap(files::read);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String safeName = files.safeName(file.get().name());
        Optional<String> content = attachment.get().state() == AttachmentState.COMPLETE
                ? attachment.get().content() : Optional.empty();
        Optional<Path> stored = content.flatMap(files::stored);
        if (content.isPresent() && stored.isEmpty()) {
            log.warn("the file of message {} is not in the profile any more; the export describes it only",
                    message.id());
            content = Optional.empty();
        }
        Optional<String> copy = Optional.empty();
        if (stored.isPresent() && copies.isPresent()) {
            checkCancelled(progress);
            copy = Optional.of(copies.get().copy(content.get(), safeName, stored.get()));
        }
        return Optional.of(new ExportedAttachment(file.get(), safeName, content, copy));
    }

    /**
     * The message as the formats write it, with the file it offers, if {@code offering} names it: not for a message
     * deleted for everyone, whose author took back what it said, its file with it.
     */
    private ExportedMessage exported(HistoryMessage message, Names names, Set<MessageKey> offering,
                                     Optional<FilesFolder> copies, ExportProgress progress) throws IOException {
        StoredMessage stored = message.message();
        String text = stored.kind() == MessageKind.NOTICE ? Notice.text(stored.body(), names::of) : stored.body();
        MessageActions.Extras extras = stored.kind() == MessageKind.NOTICE ? MessageActions.Extras.NONE
                : store.actions().extras(List.of(stored.key())).get(stored.key());
        List<MessageActions.TextVersion> versions = extras.edited() ? store.actions().versions(stored.key())
                : List.of();
        Optional<ExportedAttachment> file = offering.contains(stored.key()) && !extras.deleted()
                ? attachment(stored.key(), copies, progress) : Optional.empty();
        return new ExportedMessage(message, names.of(stored.sender()), text, extras, versions, file);
    }

    /** A direct conversation's two people; a room's members as of its log's head, with their roles. */
    private List<ExportedConversation.Member> members(HistoryConversation conversation, Names names) {
        List<ExportedConversation.Member> members = new ArrayList<>();
        if (conversation.conversation().kind() == ConversationKind.DIRECT) {
            members.add(new ExportedConversation.Member(owner, Optional.empty(), 0));
            members.add(new ExportedConversation.Member(names.person(conversation.conversation().peerId()),
                    Optional.empty(), 0));
        } else {
            for (RoomMember member : conversation.room().orElseThrow().members()) {
                members.add(new ExportedConversation.Member(names.person(member.peerId()), Optional.of(member.role()),
                        member.joinedEpoch()));
            }
        }
        return members;
    }

    /** The folder beside an export file that takes the files its messages offer: {@code chat.json}'s {@code chat_files}. */
    public static Path filesFolder(Path export) {
        return FilesFolder.besides(export);
    }

    private static void checkCancelled(ExportProgress progress) {
        if (progress.cancelled()) {
            throw new ExportCancelledException("the export was cancelled; nothing was written");
        }
    }

    private static Path checkDestination(Path target, boolean replace) {
        if (Files.isDirectory(target)) {
            throw new HistoryFileException(target + " is a folder; give the export a file name");
        }
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new HistoryFileException("cannot export to " + target + ": the folder " + folder
                    + " does not exist");
        }
        if (!replace && Files.exists(target)) {
            throw new HistoryFileException(target + " exists already; choose another name, or replace it");
        }
        return folder;
    }

    private static Path createPartial(Path folder, Path target) {
        try {
            return Files.createTempFile(folder, "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw writeFailure(target, e);
        }
    }

    /** The user's words for why the export could not be written; nothing is left at the destination. */
    static HistoryFileException writeFailure(Path target, IOException e) {
        String reason = String.valueOf(e.getMessage());
        String why;
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            why = "the disk is full";
        } else if (reason.contains("Read-only file system")) {
            why = "the disk is read-only";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            why = "the folder is gone";
        } else if (e instanceof FileSystemException failure && failure.getReason() != null) {
            why = failure.getReason();
        } else {
            why = reason;
        }
        return new HistoryFileException("cannot write the export to " + target + ": " + why
                + "; nothing was written there", e);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file that cannot be deleted either says so by its name (.part) and holds no more than
            // the export would have.
        }
    }
}
