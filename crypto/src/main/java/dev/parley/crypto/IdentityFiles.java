package dev.parley.crypto;

import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The identity in a profile directory: {@value #SIGNING_KEYSET} (the Ed25519 key) and {@value #HPKE_KEYSET},
 * each a Tink binary keyset in a {@link KeyFile} container, plain or encrypted under a passphrase. Files are
 * 0600 in a 0700 directory. With a passphrase both files share one scrypt salt, so unlocking costs one scrypt
 * run, and each is its own Tink encrypted keyset ({@link TinkProtoKeysetFormat#serializeEncryptedKeyset}) with
 * its file header as associated data.
 *
 * <p>The two files are one identity: the HPKE keyset must be under the protection of the signing keyset, and its
 * key the one the signing keyset's header is bound to ({@link KeyFile}). Otherwise someone who can write to the
 * profile but does not know the passphrase could plant an HPKE key of their own beside the identity, and
 * contacts would seal 1:1 messages to it.
 */
public final class IdentityFiles {
    public static final String SIGNING_KEYSET = "identity.keyset";
    public static final String HPKE_KEYSET = "hpke.keyset";

    private IdentityFiles() {
    }

    /** Whether the profile holds an identity, or part of one (then {@link #load} says what is missing). */
    public static boolean exists(Path profileDir) {
        return Files.exists(profileDir.resolve(SIGNING_KEYSET)) || Files.exists(profileDir.resolve(HPKE_KEYSET));
    }

    /** Whether {@link #load} will need a passphrase. */
    public static boolean isPassphraseProtected(Path profileDir) throws IOException, KeyFileException {
        return KeyFile.read(profileDir.resolve(SIGNING_KEYSET), KeyFile.Purpose.SIGNING_KEYSET).isProtected();
    }

    /** The profile's PeerId, readable without the passphrase (e.g. to say which identity a prompt unlocks). */
    public static PeerId peerId(Path profileDir) throws IOException, KeyFileException {
        return PeerId.fromPublicKey(KeyFile.read(profileDir.resolve(SIGNING_KEYSET), KeyFile.Purpose.SIGNING_KEYSET).owner());
    }

    /**
     * Saves a new identity. Never overwrites one: use {@link #replace} to restore a backup or change the
     * passphrase.
     *
     * @param passphraseOrNull null for files protected by their permissions only
     * @throws FileAlreadyExistsException if the profile already holds an identity
     */
    public static void save(Identity identity, Path profileDir, char[] passphraseOrNull) throws IOException {
        if (exists(profileDir)) {
            throw new FileAlreadyExistsException(profileDir.resolve(SIGNING_KEYSET).toString(), null,
                    "the profile already holds an identity; refusing to overwrite it");
        }
        write(identity, profileDir, passphraseOrNull);
    }

    /**
     * Saves {@code identity} over whatever the profile holds: restoring a backup, or changing or removing the
     * passphrase. Both new files are on disk before either is renamed into place; a crash between the two
     * renames leaves files of two identities or passphrases, which {@link #load} reports rather than mixes.
     */
    public static void replace(Identity identity, Path profileDir, char[] passphraseOrNull) throws IOException {
        write(identity, profileDir, passphraseOrNull);
    }

    private static void write(Identity identity, Path profileDir, char[] passphraseOrNull) throws IOException {
        PassphraseKey key = passphraseOrNull == null ? null : PassphraseKey.create(passphraseOrNull);
        byte[] signing = encode(KeyFile.Purpose.SIGNING_KEYSET, identity, identity.signingKeyset(), key);
        byte[] hpke = encode(KeyFile.Purpose.HPKE_KEYSET, identity, identity.hpkeKeyset(), key);
        PrivateFiles.ensureDirectory(profileDir);
        Path signingFile = profileDir.resolve(SIGNING_KEYSET);
        Path hpkeFile = profileDir.resolve(HPKE_KEYSET);
        Path signingTemporary = PrivateFiles.writeTemporary(signingFile, signing);
        Path hpkeTemporary = null;
        try {
            hpkeTemporary = PrivateFiles.writeTemporary(hpkeFile, hpke);
            PrivateFiles.moveIntoPlace(hpkeTemporary, hpkeFile);
            PrivateFiles.moveIntoPlace(signingTemporary, signingFile);
        } finally {
            Files.deleteIfExists(signingTemporary);
            if (hpkeTemporary != null) {
                Files.deleteIfExists(hpkeTemporary);
            }
        }
    }

    private static byte[] encode(KeyFile.Purpose purpose, Identity identity, KeysetHandle keyset, PassphraseKey key) {
        try {
            return KeyFile.encode(purpose, identity, key, header -> key == null
                    ? Keysets.serialize(keyset)
                    : TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, key.aead(), header, Keysets.CONFIG));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not serialize a keyset it made", e);
        }
    }

    /**
     * Sets up Tink's algorithms now, which takes a few hundred milliseconds the first time, so that a {@link #load}
     * soon after finds them ready: a program that will read its keys shortly calls this on a spare thread (the
     * desktop app does while it reads its command line). Harmless to call twice or from several threads.
     */
    public static void prepare() {
        Objects.requireNonNull(Keysets.CONFIG);
    }

    /**
     * Loads the profile's identity.
     *
     * @param passphraseOrNull the passphrase, if the files have one; ignored if they have none
     * @throws NoSuchFileException if the profile holds no identity
     * @throws PassphraseRequiredException if the files are protected and no passphrase was given
     * @throws WrongPassphraseException if the passphrase does not unlock them; nothing is changed
     * @throws CorruptKeysetException naming the damaged or missing file, or the HPKE keyset when it is not the
     *         one bound to the signing keyset or not under its protection
     */
    public static Identity load(Path profileDir, char[] passphraseOrNull) throws IOException, KeyFileException {
        Path signingFile = profileDir.resolve(SIGNING_KEYSET);
        Path hpkeFile = profileDir.resolve(HPKE_KEYSET);
        if (Files.exists(signingFile) != Files.exists(hpkeFile)) {
            Path missing = Files.exists(signingFile) ? hpkeFile : signingFile;
            throw new CorruptKeysetException(missing, "missing, while the other identity file is there");
        }
        KeyFile signing = KeyFile.read(signingFile, KeyFile.Purpose.SIGNING_KEYSET);
        KeyFile hpke = KeyFile.read(hpkeFile, KeyFile.Purpose.HPKE_KEYSET);
        if (!hpke.owner().equals(signing.owner())) {
            throw new CorruptKeysetException(hpkeFile, "it belongs to " + PeerId.fromPublicKey(hpke.owner())
                    + ", while " + SIGNING_KEYSET + " is " + PeerId.fromPublicKey(signing.owner()));
        }
        if (!hpke.hasProtectionOf(signing)) {
            throw new CorruptKeysetException(hpkeFile, protectionMismatch(signing, hpke));
        }
        PassphraseKey signingKey = signing.unlock(passphraseOrNull, null);
        PassphraseKey hpkeKey = hpke.unlock(passphraseOrNull, signingKey);
        KeysetHandle signingKeyset = decode(signing, signingKey, Ed25519PrivateKey.class, Keysets.SIGNING);
        KeysetHandle hpkeKeyset = decode(hpke, hpkeKey, HpkePrivateKey.class, Keysets.HPKE);
        Identity identity = identity(signing, signingKeyset, hpkeKeyset);
        if (!signing.isBoundTo(identity.hpkePublicKey())) {
            throw new CorruptKeysetException(hpkeFile, "its HPKE key is not the one " + SIGNING_KEYSET
                    + " is bound to: it was put there from another profile or made by someone else");
        }
        if (!hpke.isBoundTo(identity.hpkePublicKey())) {
            throw hpke.damaged("its header names another HPKE key than the one it holds", null);
        }
        return identity;
    }

    /** Both files are always written together, under one passphrase and salt or none. */
    private static String protectionMismatch(KeyFile signing, KeyFile hpke) {
        if (signing.isProtected() && hpke.isProtected()) {
            return "it is encrypted under another passphrase than " + SIGNING_KEYSET
                    + ", which Parley never writes: it was put there from elsewhere";
        }
        return (hpke.isProtected() ? "it is passphrase-protected while " + SIGNING_KEYSET + " is not"
                : "it is not passphrase-protected while " + SIGNING_KEYSET + " is")
                + ", which Parley never writes: it was put there from elsewhere";
    }

    private static KeysetHandle decode(KeyFile file, PassphraseKey key, Class<? extends Key> type,
            Parameters parameters) throws CorruptKeysetException {
        return file.open((header, payload) -> Keysets.checked(key == null
                ? Keysets.parse(payload)
                : TinkProtoKeysetFormat.parseEncryptedKeyset(payload, key.aead(), header, Keysets.CONFIG),
                type, parameters));
    }

    /** The identity the two keysets make, checked against the owner its file header names. */
    static Identity identity(KeyFile file, KeysetHandle signingKeyset, KeysetHandle hpkeKeyset)
            throws CorruptKeysetException {
        Identity identity;
        try {
            identity = Identity.fromKeysets(signingKeyset, hpkeKeyset);
        } catch (GeneralSecurityException e) {
            throw file.damaged("its keys do not make an identity: " + e.getMessage(), e);
        }
        if (!identity.publicKey().equals(file.owner())) {
            throw file.damaged("its key is not the owner key its header names", null);
        }
        return identity;
    }
}
