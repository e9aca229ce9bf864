package dev.parley.app.profile;

import static dev.parley.app.profile.ProfileAssertions.assertPrivate;
import static dev.parley.app.profile.ProfileAssertions.modes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Identity;
import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody else on the machine reads the profile: what Parley creates is 0600 in 0700 from the start, SQLite's
 * {@code -wal} and {@code -shm} included, and a profile left looser (an older Parley, a copy) is tightened when a
 * command takes it. {@code ProfileLockCommandsTest} (cli) checks the same after real {@code parley} commands.
 */
class ProfileFilesTest {
    @TempDir
    Path temp;

    private static void putSomeContacts(SqliteStore store, int count) {
        for (int i = 0; i < count; i++) {
            store.contacts().put(new Contact(Identity.generate().peerId().toBase58(), "Contact " + i, new byte[32],
                    new byte[64], ContactState.ACCEPTED, Instant.now(), null));
        }
    }

    @Test
    void aNewStoreAndTheFilesSqliteKeepsBesideItAreTheOwnersOnly() throws Exception {
        Path profile = temp.resolve("profile");
        Path file = profile.resolve("parley.db");
        try (SqliteStore store = ProfileFiles.openStore(file)) {
            putSomeContacts(store, 20);
            assertThat(profile.resolve("parley.db-wal")).exists();
            assertThat(profile.resolve("parley.db-shm")).exists();
            assertThat(modes(profile)).containsOnlyKeys("", "parley.db", "parley.db-wal", "parley.db-shm");
            assertPrivate(profile);
        }
        assertPrivate(profile);
    }

    @Test
    void aLooseProfileFromAnOlderParleyIsTightenedWhenItIsTakenAndLinksAreNotFollowed() throws Exception {
        Path profile = temp.resolve("old");
        Profile old = new Profile(profile);
        old.loadOrCreateIdentity(PassphrasePrompt.NONE);
        old.setDisplayName("Ada");
        // As an earlier Parley left it: SQLite made the history 0644 under a umask of 022, the folder 0755.
        try (SqliteStore store = SqliteStore.open(profile.resolve("parley.db"))) {
            putSomeContacts(store, 3);
        }
        Path replaced = Files.createDirectories(profile.resolve("replaced-1"));
        Files.writeString(replaced.resolve("identity.keyset"), "an older identity");
        Files.writeString(profile.resolve("ui.properties"), "theme=dark\n");
        Path outside = Files.writeString(temp.resolve("outside.txt"), "not Parley's");
        Files.createSymbolicLink(profile.resolve("link-to-outside"), outside);
        try (Stream<Path> paths = Files.walk(profile)) {
            for (Path path : paths.toList()) {
                if (!Files.isSymbolicLink(path)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                            Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));

        ProfileLock lock = old.lock();
        try (lock) {
            assertThat(modes(profile)).containsKeys("replaced-1", "replaced-1/identity.keyset", "parley.db",
                    "identity.keyset", "hpke.keyset", "profile.properties", "ui.properties", ProfileLock.FILE);
            assertPrivate(profile);
            try (SqliteStore store = ProfileFiles.openStore(profile.resolve("parley.db"))) {
                putSomeContacts(store, 3);
                assertThat(profile.resolve("parley.db-wal")).exists();
                assertPrivate(profile);
                assertThat(store.contacts().list(ContactState.ACCEPTED)).hasSize(6);
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside))).isEqualTo("rw-r--r--");
        assertThat(Files.isSymbolicLink(profile.resolve("link-to-outside"))).isTrue();
    }

    @Test
    void aWalACrashLeftLooseBesideTheDatabaseIsTightenedOnOpen() throws Exception {
        Path profile = Files.createDirectories(temp.resolve("profile"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = profile.resolve("parley.db");
        Path wal = profile.resolve("parley.db-wal");
        Path walAtTheCrash = temp.resolve("wal-at-the-crash");
        try (SqliteStore store = ProfileFiles.openStore(file)) {
            putSomeContacts(store, 5);
            Files.copy(wal, walAtTheCrash);
        }
        // As a crash of an older Parley leaves it: a WAL with frames in it, as loose as the database then was.
        // SQLite gives an empty WAL its database's permissions when it opens it, but leaves a full one as it is.
        Files.copy(walAtTheCrash, wal);
        assertThat(Files.size(wal)).isPositive();
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (SqliteStore store = ProfileFiles.openStore(file)) {
            assertThat(store.contacts().list(ContactState.ACCEPTED)).hasSize(5);
            assertThat(wal).exists();
            assertPrivate(profile);
        }
    }
}
