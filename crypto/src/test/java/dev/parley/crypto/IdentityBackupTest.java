package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityBackupTest {
    private static final char[] PASSPHRASE = "a backup passphrase".toCharArray();

    private static Identity identity;
    private static byte[] backup;

    @TempDir
    Path temp;

    @BeforeAll
    static void writeBackup(@TempDir Path dir) throws IOException {
        identity = Identity.generate();
        Path file = dir.resolve("parley.backup");
        IdentityBackup.write(identity, Optional.of("Ada Lovelace 🧮"), file, PASSPHRASE);
        backup = Files.readAllBytes(file);
    }

    private Path backupFile(byte[] bytes) throws IOException {
        return Files.write(temp.resolve("parley.backup"), bytes);
    }

    @Test
    void restoresTheSameIdentityIntoAProfileThatHeldAnother() throws Exception {
        Path profile = temp.resolve("profile");
        IdentityFiles.save(Identity.generate(), profile, null);

        IdentityBackup.Contents restored = IdentityBackup.read(backupFile(backup), PASSPHRASE);
        IdentityFiles.replace(restored.identity(), profile, null);
        Identity loaded = IdentityFiles.load(profile, null);

        byte[] data = {4, 5, 6};
        assertThat(loaded.peerId()).isEqualTo(identity.peerId());
        assertThat(loaded.hpkePublicKey()).isEqualTo(identity.hpkePublicKey());
        assertThat(loaded.sign(data)).isEqualTo(identity.sign(data));
        assertThat(restored.displayName()).contains("Ada Lovelace 🧮");
    }

    @Test
    void aBackupWithoutADisplayNameRestoresWithNone() throws Exception {
        Path file = temp.resolve("nameless.backup");
        IdentityBackup.write(identity, Optional.empty(), file, PASSPHRASE);

        IdentityBackup.Contents restored = IdentityBackup.read(file, PASSPHRASE);

        assertThat(restored.identity().peerId()).isEqualTo(identity.peerId());
        assertThat(restored.displayName()).isEmpty();
    }

    @Test
    void aNameNoContactCardMayCarryIsNotBackedUp() {
        Path file = temp.resolve("b");

        assertThatThrownBy(() -> IdentityBackup.write(identity, Optional.of(" padded "), file, PASSPHRASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("display name");
        assertThat(file).doesNotExist();
    }

    @Test
    void backupFileIsOwnerOnly() throws Exception {
        Path file = temp.resolve("fresh.backup");

        IdentityBackup.write(Identity.generate(), Optional.empty(), file, PASSPHRASE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void wrongPassphraseIsAClearError() throws Exception {
        Path file = backupFile(backup);

        assertThatThrownBy(() -> IdentityBackup.read(file, "a backup passphrasE".toCharArray()))
                .isInstanceOf(WrongPassphraseException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("wrong");
        assertThat(Files.readAllBytes(file)).isEqualTo(backup);
    }

    @Test
    void missingPassphraseIsAskedFor() throws Exception {
        Path file = backupFile(backup);

        assertThatThrownBy(() -> IdentityBackup.read(file, null)).isInstanceOf(PassphraseRequiredException.class);
    }

    @Test
    void aBackupNeedsAPassphrase() {
        assertThatThrownBy(() -> IdentityBackup.write(identity, Optional.empty(), temp.resolve("b"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("always passphrase-protected");
    }

    static Iterable<KeyFileDamage> damages() {
        return KeyFileDamage.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedBackupIsCorrupt(KeyFileDamage damage) throws Exception {
        Path file = backupFile(damage.apply().apply(backup));

        assertThatThrownBy(() -> IdentityBackup.read(file, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void alteredBackupWithMatchingChecksumIsCorrupt() throws Exception {
        Path file = backupFile(KeyFileDamage.withChecksumFixed(KeyFileDamage.flip(backup, backup.length - 40)));

        assertThatThrownBy(() -> IdentityBackup.read(file, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("do not decrypt");
    }

    @Test
    void profileKeysetIsNotABackup() throws Exception {
        Path profile = temp.resolve("profile");
        IdentityFiles.save(identity, profile, null);

        assertThatThrownBy(() -> IdentityBackup.read(profile.resolve(IdentityFiles.SIGNING_KEYSET), PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("where an identity backup (purpose 3) belongs");
    }
}
