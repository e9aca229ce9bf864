package dev.parley.app.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What tests check of a profile folder on disk: who may read it, and whether anything in it changed. */
public final class ProfileAssertions {
    private ProfileAssertions() {
    }

    /** Every file and folder under {@code directory} (itself as ""), symbolic links aside, with its mode. */
    public static Map<String, String> modes(Path directory) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.toList()) {
                if (!Files.isSymbolicLink(path)) {
                    modes.put(directory.relativize(path).toString(), PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
                }
            }
        }
        return modes;
    }

    /** Asserts that {@code directory} and every folder in it are 0700 and every file 0600. */
    public static void assertPrivate(Path directory) throws IOException {
        modes(directory).forEach((name, mode) -> assertThat(mode).as("mode of '%s' in %s", name, directory)
                .isEqualTo(Files.isDirectory(directory.resolve(name), LinkOption.NOFOLLOW_LINKS)
                        ? "rwx------" : "rw-------"));
    }

    /**
     * Each file and folder under {@code directory} with its mode, size, modification time and SHA-256: two
     * snapshots are equal only if nothing was created, deleted, written or chmodded in between.
     */
    public static Map<String, String> snapshot(Path directory) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        for (Map.Entry<String, String> entry : modes(directory).entrySet()) {
            Path path = directory.resolve(entry.getKey());
            String state = entry.getValue() + " " + Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                state += " " + Files.size(path) + " bytes sha256 " + sha256(path);
            }
            snapshot.put(entry.getKey(), state);
        }
        return snapshot;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(in.readAllBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
