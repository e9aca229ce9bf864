package dev.parley.app.profile;

import dev.parley.store.SqliteStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a profile readable by its owner only (README.md, "Install"): folders 0700, files 0600, where the file
 * system has POSIX permissions. What Parley creates gets those permissions at creation, so no umask opens it up
 * even for a moment; what an older Parley, SQLite or a copy left looser is tightened when a command takes the
 * profile ({@link Profile#lock}).
 */
public final class ProfileFiles {
    private static final Logger log = LoggerFactory.getLogger(ProfileFiles.class);
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** What SQLite keeps beside a database in WAL mode; it creates them with the database's own permissions. */
    private static final List<String> SQLITE_COMPANIONS = List.of("-wal", "-shm", "-journal");

    private ProfileFiles() {
    }

    /** Creates {@code directory} (and missing parents) as 0700 if it does not exist yet. */
    public static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        } else {
            Files.createDirectories(directory);
        }
    }

    /**
     * Creates an empty {@code file} as 0600 (and its folder as 0700) unless it exists. For files another library
     * creates with permissions of its own choosing if the file is missing: SQLite would make a database 0644.
     */
    public static void createPrivateFile(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        createPrivateDirectory(absolute.getParent());
        try {
            if (posix(absolute)) {
                Files.createFile(absolute, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createFile(absolute);
            }
        } catch (FileAlreadyExistsException e) {
            // Already there: its permissions are restrictToOwner's business.
        }
    }

    /**
     * Opens the SQLite history at {@code file} so that it and the files SQLite keeps beside it ({@code -wal},
     * {@code -shm}) are the owner's only: SQLite gives those its database's permissions, so the database is created
     * 0600 before SQLite sees it, and all three are checked once it has opened them.
     */
    public static SqliteStore openStore(Path file) throws IOException {
        createPrivateFile(file);
        restrictFile(file);
        SqliteStore store = SqliteStore.open(file);
        restrictStoreFiles(file);
        return store;
    }

    /** Tightens the database at {@code file} and whatever SQLite keeps beside it. */
    static void restrictStoreFiles(Path file) {
        restrictFile(file);
        for (String suffix : SQLITE_COMPANIONS) {
            restrictFile(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    /**
     * Makes {@code directory} and everything in it the owner's only: folders 0700, files 0600. Symbolic links are
     * left alone and not followed (what they point at is outside the profile), except {@code directory} itself: a
     * profile folder linked elsewhere is still the profile. Best effort: a file the user does not own, or a file
     * system that ignores chmod, is logged, not fatal, since Parley works there as well as before.
     */
    public static void restrictToOwner(Path directory) throws IOException {
        if (!Files.isDirectory(directory) || !posix(directory)) {
            return;
        }
        Files.walkFileTree(directory.toRealPath(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                restrict(folder, OWNER_DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    restrict(file, OWNER_FILE);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // A file deleted while we walk (SQLite's -journal, a settings file's .tmp) needs no permissions.
                if (!(e instanceof NoSuchFileException)) {
                    log.warn("cannot read {} to make it private: {}", file, e.toString());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Tightens one regular file to 0600 if it exists; a missing file is fine. */
    static void restrictFile(Path file) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && posix(file)) {
            restrict(file, OWNER_FILE);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted) {
        try {
            // Only when needed: a chmod changes the file's ctime, and most files are right already.
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
            }
        } catch (NoSuchFileException e) {
            // Gone since it was listed: nothing to protect.
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("cannot make {} private to its owner ({}): others on this machine may be able to read it",
                    path, e.toString());
        }
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
