package dev.parley.app.engine.files;

import dev.parley.app.profile.ProfileFiles;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.MessageKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The profile's files (app/README.md, "Files"): one copy of each content the profile sends or received in full,
 * named by its SHA-256 in {@code files/}, whatever messages offer it; a file being fetched in {@code files/partial/},
 * named by its offer's root, written chunk by chunk where each belongs. Everything here is the owner's only (0600 in a
 * 0700 folder), like the rest of the profile.
 */
public final class FileLibrary {
    private static final HexFormat HEX = HexFormat.of();
    /** Bytes read from a file at a time while hashing it. */
    private static final int READ_BYTES = 1024 * 1024;

    private final Path folder;
    private final Path partial;

    public FileLibrary(Path profileDirectory) {
        this.folder = profileDirectory.resolve("files");
        this.partial = folder.resolve("partial");
    }

    /** A file copied in, ready to offer: its content's name and its hash tree under a new key. */
    public record Prepared(String content, long size, byte[] key, byte[] leaves, byte[] root) {
    }

    /**
     * Copies {@code source} into the library in one pass that also hashes it and seals each chunk under a new key to
     * build the tree an offer names. The copy is what is served from then on: the user may move or change the
     * original. A content the library holds already is kept once.
     *
     * @param copied told the bytes copied so far, after each chunk
     */
    public Prepared prepare(Path source, LongConsumer copied) throws IOException {
        long maxBytes = OfferedFile.MAX_CHUNKS * FileChunks.CHUNK_SIZE;
        Incoming incoming = copyIn(source, FileChunks.newKey(), FileChunks.CHUNK_SIZE, maxBytes, copied,
                () -> new IOException(source.getFileName() + " is larger than a file Parley sends ("
                        + maxBytes / (1L << 30) + " GiB)"));
        keep(incoming.file(), incoming.prepared().content());
        return incoming.prepared();
    }

    /**
     * Copies in the file an import brings (the copy at {@code source}, never followed if it is a link) for the file
     * {@code offer} names, if its bytes are the content {@code content} names and the offer's file: its tree under the
     * offer's key has the offer's root. Empty, with nothing copied, when they are not. {@code read} hears the bytes read
     * so far.
     */
    public Optional<Prepared> importCopy(Path source, String content, OfferedFile offer, LongConsumer read)
            throws IOException {
        Incoming incoming = copyIn(source, offer.key(), offer.chunkSize(), offer.size(), read,
                () -> new IOException(source + " is larger than the " + offer.size() + " bytes of its offer"));
        Prepared copied = incoming.prepared();
        if (copied.size() != offer.size() || !copied.content().equals(content)
                || !Arrays.equals(copied.root(), offer.root())) {
            Files.delete(incoming.file());
            return Optional.empty();
        }
        keep(incoming.file(), content);
        return Optional.of(copied);
    }

    /** A file copied into the library's folder under a temporary name, and what it was found to be. */
    private record Incoming(Path file, Prepared prepared) {
    }

    /**
     * Copies {@code source} into a new private file in the folder in one pass that also hashes it and seals each chunk
     * under {@code key} for the leaf hashes, failing with {@code tooLarge} past {@code maxBytes}.
     */
    private Incoming copyIn(Path source, byte[] key, int chunkSize, long maxBytes, LongConsumer copied,
                            Supplier<IOException> tooLarge) throws IOException {
        ProfileFiles.createPrivateDirectory(folder);
        Path incoming = folder.resolve(".incoming-" + UUID.randomUUID());
        ProfileFiles.createPrivateFile(incoming);
        MessageDigest content = sha256();
        ByteArrayOutputStream leaves = new ByteArrayOutputStream();
        long size = 0;
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[chunkSize];
            for (long index = 0; ; index++) {
                int length = in.readNBytes(chunk, 0, chunk.length);
                if (length == 0) {
                    break;
                }
                if (size + length > maxBytes) {
                    throw tooLarge.get();
                }
                content.update(chunk, 0, length);
                byte[] sealed = FileChunks.seal(key, index, chunk, 0, length);
                leaves.writeBytes(ChunkTree.leafHash(sealed, 0, sealed.length));
                writeFully(out, ByteBuffer.wrap(chunk, 0, length), size);
                size += length;
                copied.accept(size);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(incoming);
            throw e;
        }
        byte[] leafHashes = leaves.toByteArray();
        return new Incoming(incoming, new Prepared(HEX.formatHex(content.digest()), size, key, leafHashes,
                ChunkTree.root(leafHashes)));
    }

    /** Where the whole file of this content is. */
    public Path stored(String content) {
        if (!content.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a content name: " + content);
        }
        return folder.resolve(content);
    }

    /**
     * Where the file {@code message} offers is written while it is fetched: one of its own for each message, so that
     * nothing done to another message offering the same root (a cancel, a deletion) touches it.
     */
    public Path partial(MessageKey message) {
        MessageDigest name = sha256();
        name.update((message.conversationId() + '\0' + message.sender() + '\0' + message.id())
                .getBytes(StandardCharsets.UTF_8));
        return partial.resolve(HEX.formatHex(name.digest(), 0, 16) + ".part");
    }

    /** Opens the partial file of {@code message} for writing chunks where they belong, creating it if it is missing. */
    public FileChannel openPartial(MessageKey message) throws IOException {
        ProfileFiles.createPrivateDirectory(partial);
        Path file = partial(message);
        ProfileFiles.createPrivateFile(file);
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * A fetched file is all here and checked: it becomes the library's copy of its content (or, if the library has
     * that content already, the partial file goes). Returns the content's name.
     */
    public String completed(MessageKey message) throws IOException {
        Path file = partial(message);
        String name = HEX.formatHex(hash(file));
        keep(file, name);
        return name;
    }

    /**
     * Like {@link #completed(MessageKey)}, for a fetch that hashed the file as it came: {@code sha256} is the hash of its
     * content, so the file is not read again.
     */
    public String completed(MessageKey message, byte[] sha256) throws IOException {
        String name = HEX.formatHex(sha256);
        keep(partial(message), name);
        return name;
    }

    /** Deletes what a cancelled fetch of the file of {@code message} had written. */
    public void dropPartial(MessageKey message) throws IOException {
        Files.deleteIfExists(partial(message));
    }

    /** Deletes the copy of this content, which no message offers any more. */
    public void drop(String content) throws IOException {
        Files.deleteIfExists(stored(content));
    }

    /** Reads {@code length} bytes at {@code position} of {@code file}, for a chunk to serve. */
    public static byte[] read(FileChannel file, long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        readFully(file, position, bytes, length);
        return bytes;
    }

    /** Reads {@code length} bytes at {@code position} of {@code file} into the start of {@code into}. */
    public static void readFully(FileChannel file, long position, byte[] into, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ends before byte " + (position + length));
            }
        }
    }

    /** Writes all of {@code buffer} at {@code position}. */
    public static void writeFully(FileChannel file, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += file.write(buffer, at);
        }
    }

    private void keep(Path file, String content) throws IOException {
        Path target = stored(content);
        if (Files.exists(target)) {
            Files.delete(file);
            return;
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(file);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the profile's files folder cannot take a file atomically: " + e.getMessage(), e);
        }
    }

    /** Whether {@code a} and {@code b} hold the same bytes: sizes first, so that most differ without a read. */
    static boolean sameBytes(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1;
    }

    private static byte[] hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[READ_BYTES];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
