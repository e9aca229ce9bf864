package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mallory can write to Alice's profile but does not know her passphrase. She puts an {@code hpke.keyset} of her
 * choosing beside Alice's {@code identity.keyset}, so that Alice's card would carry Mallory's HPKE key and her
 * contacts would seal their messages to it. Each planted file must be refused, naming it.
 */
class PlantedHpkeKeysetTest {
    private static final char[] PASSPHRASE = "Alice's passphrase".toCharArray();
    private static final char[] ANOTHER = "an older passphrase of Alice's".toCharArray();
    private static final int OWNER_OFFSET = 10;
    private static final int BINDING_OFFSET = OWNER_OFFSET + 32;

    /** Alice's protected profile, saved once: each save costs a scrypt run. */
    private static Identity alice;
    private static byte[] aliceSigning;
    private static byte[] aliceHpke;

    @TempDir
    Path temp;

    @BeforeAll
    static void saveAlicesProfile(@TempDir Path dir) throws IOException {
        alice = Identity.generate();
        IdentityFiles.save(alice, dir, PASSPHRASE);
        aliceSigning = Files.readAllBytes(dir.resolve(IdentityFiles.SIGNING_KEYSET));
        aliceHpke = Files.readAllBytes(dir.resolve(IdentityFiles.HPKE_KEYSET));
    }

    private Path alicesProfile() throws IOException {
        Path profile = Files.createDirectories(temp.resolve("alice"));
        Files.write(profile.resolve(IdentityFiles.SIGNING_KEYSET), aliceSigning);
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET), aliceHpke);
        return profile;
    }

    /**
     * Mallory's own HPKE keyset file, its header made to name {@code owner} (public: it is in every header of the
     * owner's files) and its checksum fixed, as a forger would.
     */
    private byte[] mallorysHpkeKeysetFor(byte[] owner, char[] passphraseOrNull) throws IOException {
        Path mallory = temp.resolve("mallory");
        IdentityFiles.save(Identity.generate(), mallory, passphraseOrNull);
        byte[] file = Files.readAllBytes(mallory.resolve(IdentityFiles.HPKE_KEYSET));
        System.arraycopy(owner, 0, file, OWNER_OFFSET, owner.length);
        return KeyFileDamage.withChecksumFixed(file);
    }

    private static byte[] ownerOf(byte[] keyFile) {
        return Arrays.copyOfRange(keyFile, OWNER_OFFSET, OWNER_OFFSET + 32);
    }

    private static void assertRefused(Path profile, char[] passphrase, String reason) {
        Path hpke = profile.resolve(IdentityFiles.HPKE_KEYSET);
        assertThatThrownBy(() -> IdentityFiles.load(profile, passphrase))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining(hpke.toString())
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(hpke));
    }

    @Test
    void thePairAliceSavedLoads() throws Exception {
        Identity loaded = IdentityFiles.load(alicesProfile(), PASSPHRASE);

        assertThat(loaded.peerId()).isEqualTo(alice.peerId());
        assertThat(loaded.hpkePublicKey()).isEqualTo(alice.hpkePublicKey());
    }

    @Test
    void aPlainHpkeKeysetBesideAProtectedIdentityIsRefused() throws Exception {
        Path profile = alicesProfile();
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET), mallorysHpkeKeysetFor(ownerOf(aliceSigning), null));

        assertRefused(profile, PASSPHRASE, "it is not passphrase-protected while identity.keyset is");
    }

    @Test
    void anotherIdentitysHpkeKeysetUnderTheSamePassphraseIsRefused() throws Exception {
        Path profile = alicesProfile();
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET),
                mallorysHpkeKeysetFor(ownerOf(aliceSigning), PASSPHRASE));

        assertRefused(profile, PASSPHRASE, "encrypted under another passphrase");
    }

    @Test
    void alicesOwnHpkeKeysetUnderAnotherPassphraseIsRefused() throws Exception {
        Path profile = alicesProfile();
        Path older = temp.resolve("older copy");
        IdentityFiles.save(alice, older, ANOTHER);
        Files.copy(older.resolve(IdentityFiles.HPKE_KEYSET), profile.resolve(IdentityFiles.HPKE_KEYSET),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertRefused(profile, PASSPHRASE, "encrypted under another passphrase");
        assertRefused(profile, ANOTHER, "encrypted under another passphrase");
    }

    @Test
    void anotherIdentitysHpkeKeysetBesideAPlainIdentityIsRefusedByTheBinding() throws Exception {
        Path profile = temp.resolve("plain");
        IdentityFiles.save(Identity.generate(), profile, null);
        byte[] owner = ownerOf(Files.readAllBytes(profile.resolve(IdentityFiles.SIGNING_KEYSET)));
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET), mallorysHpkeKeysetFor(owner, null));

        assertRefused(profile, null, "its HPKE key is not the one identity.keyset is bound to");
    }

    @Test
    void theBindingInAProtectedIdentityCannotBeRewrittenWithoutThePassphrase() throws Exception {
        Path profile = alicesProfile();
        Path signing = profile.resolve(IdentityFiles.SIGNING_KEYSET);
        byte[] rebound = aliceSigning.clone();
        byte[] mallorysKey = Identity.generate().hpkePublicKey();
        System.arraycopy(KeyFile.bindingOf(mallorysKey), 0, rebound, BINDING_OFFSET, 32);
        Files.write(signing, KeyFileDamage.withChecksumFixed(rebound));

        assertThatThrownBy(() -> IdentityFiles.load(profile, PASSPHRASE))
                .isInstanceOf(CorruptKeysetException.class)
                .hasMessageContaining("do not decrypt")
                .satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(signing));
    }

    @Test
    void aProtectedHpkeKeysetBesideAPlainIdentityIsRefused() throws Exception {
        Path profile = temp.resolve("plain");
        IdentityFiles.save(alice, profile, null);
        Files.write(profile.resolve(IdentityFiles.HPKE_KEYSET), aliceHpke);

        assertRefused(profile, PASSPHRASE, "it is passphrase-protected while identity.keyset is not");
    }
}
