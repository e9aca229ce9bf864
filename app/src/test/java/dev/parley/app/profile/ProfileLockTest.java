package dev.parley.app.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile lock within one JVM; {@code ProfileLockCommandsTest} (cli) tries it between processes, and after its
 * holder is killed.
 */
class ProfileLockTest {
    private static final long OUR_PID = ProcessHandle.current().pid();

    @TempDir
    Path temp;

    @Test
    void theLockCreatesAPrivateFolderAndFileHoldingOurPid() throws Exception {
        Path profile = temp.resolve("new").resolve("profile");
        try (ProfileLock lock = ProfileLock.acquire(profile)) {
            assertThat(lock.file()).isEqualTo(profile.toRealPath().resolve(ProfileLock.FILE));
            assertThat(Files.readString(lock.file(), StandardCharsets.US_ASCII)).isEqualTo(OUR_PID + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.file())))
                    .isEqualTo("rw-------");
        }
        assertThat(profile.resolve(ProfileLock.FILE)).exists().isEmptyFile();
    }

    @Test
    void aSecondLockOnTheSameFolderIsRefusedByAnyPathToItUntilTheFirstIsClosed() throws Exception {
        Path profile = Files.createDirectories(temp.resolve("profile"));
        Path sameFolder = Files.createSymbolicLink(temp.resolve("link"), profile);
        ProfileLock first = ProfileLock.acquire(profile);

        for (Path path : new Path[] {profile, sameFolder, temp.resolve("profile/../profile")}) {
            assertThatThrownBy(() -> ProfileLock.acquire(path)).isInstanceOfSatisfying(ProfileInUseException.class,
                    refused -> {
                        assertThat(refused.pid()).hasValue(OUR_PID);
                        assertThat(refused.getMessage()).startsWith(
                                "Parley is already running with this profile (PID " + OUR_PID + ")");
                    });
            assertThatThrownBy(() -> ProfileLock.requireFree(path)).isInstanceOf(ProfileInUseException.class);
        }
        // The refusals opened no channel of their own, which would have dropped the first lock with it.
        assertThat(Files.readString(first.file())).isEqualTo(OUR_PID + "\n");

        first.close();
        ProfileLock.requireFree(profile);
        try (ProfileLock again = ProfileLock.acquire(sameFolder)) {
            assertThat(again.file()).isEqualTo(first.file());
        }
    }

    @Test
    void aLockFileLeftBehindIsTakenOver() throws Exception {
        Path profile = Files.createDirectories(temp.resolve("profile"));
        Files.writeString(profile.resolve(ProfileLock.FILE), "999999999\n");
        try (ProfileLock lock = ProfileLock.acquire(profile)) {
            assertThat(Files.readString(lock.file())).isEqualTo(OUR_PID + "\n");
        }
    }

    @Test
    void askingWhetherAProfileIsFreeCreatesNothing() throws Exception {
        Path missing = temp.resolve("missing");
        ProfileLock.requireFree(missing);
        assertThat(missing).doesNotExist();

        Path empty = Files.createDirectories(temp.resolve("empty"));
        ProfileLock.requireFree(empty);
        assertThat(empty).isEmptyDirectory();
    }
}
