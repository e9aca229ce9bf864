package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by Parley before the HPKE binding (format version 1), kept in {@code keyfile-v1/}: a plain and a
 * protected profile and a backup, each beside {@code identity.txt} (PeerId, HPKE public key in hex).
 */
class KeyFileVersion1Test {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path temp;

    /** A copy of the profile, so that tests may change it. */
    private Path profile(String name) throws IOException, URISyntaxException {
        Path fixture = Path.of(getClass().getResource("keyfile-v1/" + name).toURI());
        Path copy = Files.createDirectories(temp.resolve(name));
        try (var files = Files.list(fixture)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static void assertIsTheIdentityOf(Identity loaded, Path profile) throws IOException {
        List<String> expected = Files.readAllLines(profile.resolve("identity.txt"));
        assertThat(loaded.peerId()).isEqualTo(PeerId.parse(expected.get(0)));
        assertThat(HexFormat.of().formatHex(loaded.hpkePublicKey())).isEqualTo(expected.get(1));
    }

    private static int version(Path file) throws IOException {
        return Files.readAllBytes(file)[8];
    }

    @Test
    void aPlainProfileLoads() throws Exception {
        Path profile = profile("plain");

        assertIsTheIdentityOf(IdentityFiles.load(profile, null), profile);
    }

    @Test
    void aProtectedProfileLoadsAndIsBoundOnItsNextSave() throws Exception {
        Path profile = profile("protected");
        assertThat(version(profile.resolve(IdentityFiles.SIGNING_KEYSET))).isEqualTo(KeyFile.UNBOUND_VERSION);
        Identity loaded = IdentityFiles.load(profile, PASSPHRASE);
        assertIsTheIdentityOf(loaded, profile);

        IdentityFiles.replace(loaded, profile, PASSPHRASE);

        assertThat(version(profile.resolve(IdentityFiles.SIGNING_KEYSET))).isEqualTo(KeyFile.VERSION);
        assertThat(version(profile.resolve(IdentityFiles.HPKE_KEYSET))).isEqualTo(KeyFile.VERSION);
        assertIsTheIdentityOf(IdentityFiles.load(profile, PASSPHRASE), profile);
    }

    /** Version 1 has no binding; its shared passphrase salt is what ties the two files together. */
    @Test
    void aPlainHpkeKeysetBesideAProtectedVersion1IdentityIsRefused() throws Exception {
        Path profile = profile("protected");
        Path planted = profile.resolve(IdentityFiles.HPKE_KEYSET);
        Files.delete(planted);
        Files.copy(profile("plain").resolve(IdentityFiles.HPKE_KEYSET), planted);
        byte[] withOwner = Files.readAllBytes(planted);
        System.arraycopy(Files.readAllBytes(profile.resolve(IdentityFiles.SIGNING_KEYSET)), 10, withOwner, 10, 32);
        Files.write(planted, KeyFileDamage.withChecksumFixed(withOwner));

        assertThatThrownBy(() -> IdentityFiles.load(profile, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("it is not passphrase-protected while identity.keyset is")
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(planted));
    }

    @Test
    void aBackupIsRestoredWithoutADisplayNameWhichItDoesNotHold() throws Exception {
        Path profile = profile("protected");

        IdentityBackup.Contents restored = IdentityBackup.read(profile.resolve("backup.parley"), PASSPHRASE);

        assertIsTheIdentityOf(restored.identity(), profile);
        assertThat(restored.displayName()).isEmpty();
    }
}
