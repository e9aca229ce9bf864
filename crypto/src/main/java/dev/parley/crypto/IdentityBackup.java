package dev.parley.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.protobuf.ByteString;
import dev.parley.crypto.wire.KeyFileProtos;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A whole identity in one file, always passphrase-protected: a {@link KeyFile} of purpose backup whose payload
 * is the AES-256-GCM encryption (header as associated data) of an {@code IdentityBackup} protobuf holding both
 * Tink keysets. Restore with {@link #read} then {@link IdentityFiles#replace}.
 */
public final class IdentityBackup {
    private IdentityBackup() {
    }

    /** Writes the backup atomically, 0600, replacing {@code file} if it exists (the user chose it). */
    public static void write(Identity identity, Path file, char[] passphrase) throws IOException {
        if (passphrase == null) {
            throw new IllegalArgumentException("a backup is always passphrase-protected; no passphrase was given");
        }
        PassphraseKey key = PassphraseKey.create(passphrase);
        byte[] bytes;
        try {
            byte[] keysets = KeyFileProtos.IdentityBackup.newBuilder()
                    .setSigningKeyset(ByteString.copyFrom(Keysets.serialize(identity.signingKeyset())))
                    .setHpkeKeyset(ByteString.copyFrom(Keysets.serialize(identity.hpkeKeyset())))
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
     * Reads a backup.
     *
     * @throws WrongPassphraseException if the passphrase does not unlock it
     * @throws CorruptKeysetException if the file is damaged or not a Parley backup
     */
    public static Identity read(Path file, char[] passphrase) throws IOException, KeyFileException {
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
        return identity;
    }
}
