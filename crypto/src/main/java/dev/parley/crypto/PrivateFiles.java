package dev.parley.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read (0600 in a 0700 directory, where the file system has POSIX permissions),
 * written atomically: a temporary file beside the target, flushed to disk, then renamed over it, so a crash
 * leaves the old file or the new one, never half of one.
 */
final class PrivateFiles {
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code directory} (and its parents) if needed, and restricts it to its owner. */
    static void ensureDirectory(Path directory) throws IOException {
        if (posix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
            Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
        } else {
            Files.createDirectories(directory);
        }
    }

    /** Writes {@code bytes} to a new owner-only temporary file beside {@code target} and flushes it to disk. */
    static Path writeTemporary(Path target, byte[] bytes) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        FileAttribute<?>[] attributes = posix(directory)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", attributes);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    /** Renames a temporary file from {@link #writeTemporary} onto {@code target}, atomically. */
    static void moveIntoPlace(Path temporary, Path target) throws IOException {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Writes {@code target} atomically; refuses to replace an existing file unless {@code replace}. */
    static void write(Path target, byte[] bytes, boolean replace) throws IOException {
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite it");
        }
        moveIntoPlace(writeTemporary(target, bytes), target);
    }

    /** Makes the rename itself durable; a directory cannot be opened for syncing everywhere, so failure is ignored. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform lets a directory be opened; the rename stands, only its durability is weaker.
        }
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
