package dev.parley.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.protobuf.ByteString;
import dev.parley.crypto.wire.KeyFileProtos;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * A whole identity in one file, always passphrase-protected: a {@link KeyFile} of purpose backup whose payload
 * is the AES-256-GCM encryption (header as associated data) of an {@code IdentityBackup} protobuf holding both
 * Tink keysets and the display name the profile went by. Restore with {@link #read} then {@link IdentityFiles#replace}.
 */
public final class IdentityBackup {
    private IdentityBackup() {
    }

    /**
     * What a backup holds.
     *
     * @param displayName the name the profile went by; empty in a backup written before backups kept it
     */
    public record Contents(Identity identity, Optional<String> displayName) {
    }

    /**
     * Writes the backup atomically, 0600, replacing {@code file} if it exists (the user chose it).
     *
     * @throws IllegalArgumentException if the display name is not one a contact card may carry
     */
    public static void write(Identity identity, Optional<String> displayName, Path file, char[] passphrase)
            throws IOException {
        if (passphrase == null) {
            throw new IllegalArgumentException("a backup is always passphrase-protected; no passphrase was given");
        }
        displayName.flatMap(ContactCard::displayNameProblem).ifPresent(problem -> {
            throw new IllegalArgumentException("the display name cannot be backed up: " + problem);
        });
        PassphraseKey key = PassphraseKey.create(passphrase);
        byte[] bytes;
        try {
            byte[] keysets = KeyFileProtos.IdentityBackup.newBuilder()
                    .setSigningKeyset(ByteString.copyFrom(Keysets.serialize(identity.signingKeyset())))
                    .setHpkeKeyset(ByteString.copyFrom(Keysets.serialize(identity.hpkeKeyset())))
                    .setDisplayName(displayName.orElse(""))
                    .build()
                    .toByteArray();
            bytes = KeyFile.encode(KeyFile.Purpose.BACKUP, identity, key,
                    header -> key.aead().encrypt(keysets, header));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not serialize or encrypt keysets it made", e);
        }
        PrivateFiles.write(file, bytes, true);
    }

    /**
     * Reads a backup; one written before backups kept the display name has none.
     *
     * @throws WrongPassphraseException if the passphrase does not unlock it
     * @throws CorruptKeysetException if the file is damaged or not a Parley backup
     */
    public static Contents read(Path file, char[] passphrase) throws IOException, KeyFileException {
        KeyFile backup = KeyFile.read(file, KeyFile.Purpose.BACKUP);
        if (!backup.isProtected()) {
            throw backup.damaged("a backup without a passphrase, which Parley never writes", null);
        }
        PassphraseKey key = backup.unlock(passphrase, null);
        KeyFileProtos.IdentityBackup keysets = backup.open((header, payload) ->
                KeyFileProtos.IdentityBackup.parseFrom(key.aead().decrypt(payload, header)));
        KeysetHandle signing = backup.open((header, payload) -> Keysets.checked(
                Keysets.parse(keysets.getSigningKeyset().toByteArray()), Ed25519PrivateKey.class, Keysets.SIGNING));
        KeysetHandle hpke = backup.open((header, payload) -> Keysets.checked(
                Keysets.parse(keysets.getHpkeKeyset().toByteArray()), HpkePrivateKey.class, Keysets.HPKE));
        Identity identity = IdentityFiles.identity(backup, signing, hpke);
        if (!backup.isBoundTo(identity.hpkePublicKey())) {
            throw backup.damaged("its HPKE key is not the one its header is bound to", null);
        }
        Optional<String> displayName = Optional.of(keysets.getDisplayName()).filter(name -> !name.isEmpty());
        Optional<String> nameProblem = displayName.flatMap(ContactCard::displayNameProblem);
        if (nameProblem.isPresent()) {
            throw backup.damaged("its display name is not one Parley writes: " + nameProblem.get(), null);
        }
        return new Contents(identity, displayName);
    }
}
