package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityFilesTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final char[] WRONG = "correct horse battery stable".toCharArray();

    /** One protected profile for all tests that only read it: each save costs a full scrypt run. */
    private static Identity protectedIdentity;
    private static byte[] protectedSigning;
    private static byte[] protectedHpke;

    @TempDir
    Path temp;

    @BeforeAll
    static void saveProtectedProfile(@TempDir Path dir) throws IOException {
        protectedIdentity = Identity.generate();
        IdentityFiles.save(protectedIdentity, dir, PASSPHRASE);
        protectedSigning = Files.readAllBytes(dir.resolve(IdentityFiles.SIGNING_KEYSET));
        protectedHpke = Files.readAllBytes(dir.resolve(IdentityFiles.HPKE_KEYSET));
    }

    private Path protectedProfile() throws IOException {
        Path profile = Files.createDirectories(temp.resolve("protected"));
        Files.write(profile.resolve(IdentityFiles.SIGNING_KEYSET), protectedSigning);
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET), protectedHpke);
        return profile;
    }

    private static void assertSameIdentity(Identity loaded, Identity saved) {
        byte[] data = {1, 2, 3};
        assertThat(loaded.peerId()).isEqualTo(saved.peerId());
        assertThat(loaded.hpkePublicKey()).isEqualTo(saved.hpkePublicKey());
        assertThat(loaded.sign(data)).isEqualTo(saved.sign(data));
        assertThat(loaded.transportKey().seed()).isEqualTo(saved.transportKey().seed());
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void savesAndLoadsWithoutPassphraseInOwnerOnlyFiles() throws Exception {
        Identity identity = Identity.generate();
        Path profile = temp.resolve("profile");

        IdentityFiles.save(identity, profile, null);

        assertThat(IdentityFiles.exists(profile)).isTrue();
        assertThat(IdentityFiles.isPassphraseProtected(profile)).isFalse();
        assertThat(IdentityFiles.peerId(profile)).isEqualTo(identity.peerId());
        assertSameIdentity(IdentityFiles.load(profile, null), identity);
        assertThat(mode(profile)).isEqualTo("rwx------");
        assertThat(mode(profile.resolve(IdentityFiles.SIGNING_KEYSET))).isEqualTo("rw-------");
        assertThat(mode(profile.resolve(IdentityFiles.HPKE_KEYSET))).isEqualTo("rw-------");
        try (var files = Files.list(profile)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder(IdentityFiles.SIGNING_KEYSET, IdentityFiles.HPKE_KEYSET);
        }
    }

    @Test
    void savesAndLoadsWithPassphrase() throws Exception {
        Path profile = protectedProfile();

        assertThat(IdentityFiles.isPassphraseProtected(profile)).isTrue();
        assertThat(IdentityFiles.peerId(profile)).isEqualTo(protectedIdentity.peerId());
        assertSameIdentity(IdentityFiles.load(profile, PASSPHRASE), protectedIdentity);
    }

    @Test
    void aProtectedFileHoldsNoPlainKey() {
        byte[] seed = protectedIdentity.transportKey().seed();

        assertThat(indexOf(protectedSigning, seed)).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void wrongPassphraseIsAClearErrorAndChangesNothing() throws Exception {
        Path profile = protectedProfile();

        assertThatThrownBy(() -> IdentityFiles.load(profile, WRONG))
                .isInstanceOf(WrongPassphraseException.class)
                .hasMessageContaining(IdentityFiles.SIGNING_KEYSET)
                .hasMessageContaining("wrong")
                .hasMessageContaining("nothing was changed");
        assertThat(Files.readAllBytes(profile.resolve(IdentityFiles.SIGNING_KEYSET))).isEqualTo(protectedSigning);
        assertThat(Files.readAllBytes(profile.resolve(IdentityFiles.HPKE_KEYSET))).isEqualTo(protectedHpke);
        assertSameIdentity(IdentityFiles.load(profile, PASSPHRASE), protectedIdentity);
    }

    @Test
    void protectedProfileWithoutPassphraseAsksForIt() throws Exception {
        Path profile = protectedProfile();

        assertThatThrownBy(() -> IdentityFiles.load(profile, null))
                .isInstanceOf(PassphraseRequiredException.class)
                .hasMessageContaining("passphrase");
    }

    @Test
    void neverOverwritesAnExistingIdentity() throws Exception {
        Path profile = temp.resolve("profile");
        Identity first = Identity.generate();
        IdentityFiles.save(first, profile, null);

        assertThatThrownBy(() -> IdentityFiles.save(Identity.generate(), profile, null))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already holds an identity");
        assertSameIdentity(IdentityFiles.load(profile, null), first);
    }

    @Test
    void replaceSetsAndRemovesThePassphrase() throws Exception {
        Path profile = temp.resolve("profile");
        Identity identity = Identity.generate();
        IdentityFiles.save(identity, profile, null);

        IdentityFiles.replace(identity, profile, PASSPHRASE);
        assertThat(IdentityFiles.isPassphraseProtected(profile)).isTrue();
        assertSameIdentity(IdentityFiles.load(profile, PASSPHRASE), identity);

        IdentityFiles.replace(identity, profile, null);
        assertThat(IdentityFiles.isPassphraseProtected(profile)).isFalse();
        assertSameIdentity(IdentityFiles.load(profile, null), identity);
        try (var files = Files.list(profile)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void tightensAnExistingProfileDirectory() throws Exception {
        Path profile = Files.createDirectory(temp.resolve("profile"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        IdentityFiles.save(Identity.generate(), profile, null);

        assertThat(mode(profile)).isEqualTo("rwx------");
    }

    @Test
    void emptyProfileHasNoIdentity() {
        Path profile = temp.resolve("empty");

        assertThat(IdentityFiles.exists(profile)).isFalse();
        assertThatThrownBy(() -> IdentityFiles.load(profile, null)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void emptyPassphraseIsRefused() {
        assertThatThrownBy(() -> IdentityFiles.save(Identity.generate(), temp.resolve("p"), new char[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(IdentityFiles.exists(temp.resolve("p"))).isFalse();
    }

    static List<Arguments> damagedFiles() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean isProtected : new boolean[] {false, true}) {
            for (String file : List.of(IdentityFiles.SIGNING_KEYSET, IdentityFiles.HPKE_KEYSET)) {
                for (KeyFileDamage damage : KeyFileDamage.all()) {
                    cases.add(Arguments.of(isProtected ? "protected" : "plain", file, damage));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("damagedFiles")
    void damagedFileIsReportedByName(String protection, String fileName, KeyFileDamage damage) throws Exception {
        Path profile;
        if (protection.equals("protected")) {
            profile = protectedProfile();
        } else {
            profile = temp.resolve("plain");
            IdentityFiles.save(Identity.generate(), profile, null);
        }
        Path file = profile.resolve(fileName);
        Files.write(file, damage.apply().apply(Files.readAllBytes(file)));

        assertThatThrownBy(() -> IdentityFiles.load(profile, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("restore the identity from a backup")
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(file));
    }

    @Test
    void alteredProtectedFileWithMatchingChecksumIsCorruptNotAWrongPassphrase() throws Exception {
        Path profile = protectedProfile();
        Path file = profile.resolve(IdentityFiles.SIGNING_KEYSET);
        Files.write(file, KeyFileDamage.withChecksumFixed(KeyFileDamage.flip(protectedSigning, protectedSigning.length - 40)));

        assertThatThrownBy(() -> IdentityFiles.load(profile, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("do not decrypt");
    }

    @Test
    void headerIsAuthenticatedByTheEncryption() throws Exception {
        Path profile = protectedProfile();
        Path file = profile.resolve(IdentityFiles.HPKE_KEYSET);
        byte[] otherOwner = Identity.generate().publicKey().raw();
        byte[] altered = protectedHpke.clone();
        System.arraycopy(otherOwner, 0, altered, 10, otherOwner.length);
        Files.write(file, KeyFileDamage.withChecksumFixed(altered));

        assertThatThrownBy(() -> IdentityFiles.load(profile, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(file));
    }

    @Test
    void keysetFilesSwappedAreCorrupt() throws Exception {
        Path profile = temp.resolve("profile");
        IdentityFiles.save(Identity.generate(), profile, null);
        Path signing = profile.resolve(IdentityFiles.SIGNING_KEYSET);
        Files.copy(profile.resolve(IdentityFiles.HPKE_KEYSET), signing, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> IdentityFiles.load(profile, null))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("holds an HPKE keyset (purpose 2) where an Ed25519 signing keyset (purpose 1)"
                        + " belongs");
    }

    @Test
    void hpkeFileOfAnotherIdentityIsCorrupt() throws Exception {
        Path profile = temp.resolve("profile");
        Path other = temp.resolve("other");
        IdentityFiles.save(Identity.generate(), profile, null);
        Identity stranger = Identity.generate();
        IdentityFiles.save(stranger, other, null);
        Path hpke = profile.resolve(IdentityFiles.HPKE_KEYSET);
        Files.copy(other.resolve(IdentityFiles.HPKE_KEYSET), hpke, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> IdentityFiles.load(profile, null))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining(stranger.peerId().toString())
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(hpke));
    }

    @Test
    void missingHpkeFileIsNamed() throws Exception {
        Path profile = temp.resolve("profile");
        IdentityFiles.save(Identity.generate(), profile, null);
        Path hpke = profile.resolve(IdentityFiles.HPKE_KEYSET);
        Files.delete(hpke);

        assertThat(IdentityFiles.exists(profile)).isTrue();
        assertThatThrownBy(() -> IdentityFiles.load(profile, null))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining(hpke + " is damaged (missing");
    }

    @Test
    void fileFromANewerFormatAsksForANewerParley() throws Exception {
        Path profile = temp.resolve("profile");
        IdentityFiles.save(Identity.generate(), profile, null);
        Path signing = profile.resolve(IdentityFiles.SIGNING_KEYSET);
        byte[] bytes = Files.readAllBytes(signing);
        bytes[8] = (byte) (KeyFile.VERSION + 1);
        Files.write(signing, bytes);

        assertThatThrownBy(() -> IdentityFiles.load(profile, null))
                .isInstanceOf(UnsupportedKeyFileException.class)
                .hasMessageContaining("version " + (KeyFile.VERSION + 1))
                .hasMessageContaining("upgrade Parley");
    }
}
