package dev.parley.app.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One process per profile (README.md, "Install"): a lock on {@value #FILE} in the profile folder, taken with
 * {@link FileChannel#tryLock} and held until {@link #close} or the end of the process. The file holds the holder's
 * PID, so that a second process can say which one runs. A file left behind by a process that died is no
 * obstacle: the operating system released its lock with it, and the next process simply takes the lock over.
 *
 * <p>The lock is the operating system's (fcntl on Linux and macOS, LockFileEx on Windows), so it binds processes.
 * Within one JVM, held locks are also kept in a table: a second attempt is refused from the table without opening
 * the file, because on POSIX systems closing any channel to the file drops every lock the process holds on it.
 */
public final class ProfileLock implements AutoCloseable {
    public static final String FILE = "parley.lock";
    /**
     * The locked byte: far past the PID, so that where locks are mandatory (Windows) a refused process can still
     * read the PID at the start of the file.
     */
    private static final long LOCKED_POSITION = 1L << 20;
    /** How long a refused process waits for a holder that has just taken the lock to write its PID. */
    private static final long PID_WAIT_MILLIS = 2_000;
    private static final Map<Path, ProfileLock> HELD_IN_THIS_JVM = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ProfileLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes {@code profileDirectory} for this process, creating the folder (0700) and the lock file (0600) if
     * needed, and writes our PID into the file.
     *
     * @throws ProfileInUseException when another process, or another part of this one, holds the profile; nothing
     *                               in the profile has changed then
     */
    public static ProfileLock acquire(Path profileDirectory) throws IOException {
        ProfileFiles.createPrivateDirectory(profileDirectory);
        Path file = profileDirectory.toRealPath().resolve(FILE);
        synchronized (HELD_IN_THIS_JVM) {
            if (HELD_IN_THIS_JVM.containsKey(file)) {
                throw new ProfileInUseException(profileDirectory, OptionalLong.of(ProcessHandle.current().pid()));
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE), privateFile(file));
            } catch (FileSystemException e) {
                // Its own message is only the path; say what was tried, and the usual cause.
                throw new IOException("cannot open the profile's lock file " + file + " ("
                        + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName())
                        + "); is the profile folder another user's?", e);
            }
            try {
                FileLock lock = channel.tryLock(LOCKED_POSITION, 1, false);
                if (lock == null) {
                    throw new ProfileInUseException(profileDirectory, readPid(channel));
                }
                writePid(channel);
                ProfileLock held = new ProfileLock(file, channel, lock);
                HELD_IN_THIS_JVM.put(file, held);
                return held;
            } catch (IOException | RuntimeException e) {
                closeAfterFailure(channel, e);
                throw e;
            }
        }
    }

    /**
     * Fails as {@link #acquire} would, without taking the lock or creating anything: for a command that only needs
     * to know (the desktop app without a display).
     */
    public static void requireFree(Path profileDirectory) throws IOException {
        Path file;
        try {
            file = profileDirectory.toRealPath().resolve(FILE);
        } catch (NoSuchFileException e) {
            return;
        }
        synchronized (HELD_IN_THIS_JVM) {
            if (HELD_IN_THIS_JVM.containsKey(file)) {
                throw new ProfileInUseException(profileDirectory, OptionalLong.of(ProcessHandle.current().pid()));
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                return;
            }
            try (channel) {
                FileLock probe = channel.tryLock(LOCKED_POSITION, 1, false);
                if (probe == null) {
                    throw new ProfileInUseException(profileDirectory, readPid(channel));
                }
                probe.release();
            }
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Lets another process take the profile; the file stays (deleting it would race with a process opening it). */
    @Override
    public void close() throws IOException {
        synchronized (HELD_IN_THIS_JVM) {
            if (!HELD_IN_THIS_JVM.remove(file, this)) {
                return;
            }
            try (channel) {
                // No PID of a process that is done stays behind to mislead a reader.
                channel.truncate(0);
                lock.release();
            }
        }
    }

    private static FileAttribute<?>[] privateFile(Path file) {
        return ProfileFiles.posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ProfileFiles.OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    private static void writePid(FileChannel channel) throws IOException {
        ByteBuffer pid = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        channel.truncate(0);
        while (pid.hasRemaining()) {
            channel.write(pid, pid.position());
        }
        channel.force(false);
    }

    /**
     * The PID in the file; a holder that has only just taken the lock may not have written it yet, so an empty file
     * is read again for a moment. Empty if the file never holds a number.
     */
    private static OptionalLong readPid(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + PID_WAIT_MILLIS * 1_000_000;
        while (true) {
            ByteBuffer content = ByteBuffer.allocate(32);
            while (content.hasRemaining() && channel.read(content, content.position()) > 0) {
                // reads until the buffer is full or the file ends
            }
            String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII);
            int end = text.indexOf('\n');
            if (end > 0) {
                try {
                    return OptionalLong.of(Long.parseLong(text.substring(0, end)));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
            if (System.nanoTime() > deadline) {
                return OptionalLong.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
