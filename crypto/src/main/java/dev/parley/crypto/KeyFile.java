package dev.parley.crypto;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.Ed25519PublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The container of every file that holds identity keys: the two profile keysets and the backup.
 *
 * <pre>
 * offset  size
 *  0       8   magic "PARLEYKF"
 *  8       1   format version, 2
 *  9       1   purpose: 1 signing keyset, 2 HPKE keyset, 3 backup
 * 10      32   owner: the identity's raw Ed25519 public key (shows whose file it is without the passphrase)
 * 42      32   HPKE binding: SHA-256 of the identity's raw HPKE public key
 * 74       1   protection: 0 none, 1 passphrase (scrypt + AES-256-GCM)
 *             protection 1 only:
 * 75       1     scrypt log2(N)
 * 76       1     scrypt r
 * 77       1     scrypt p
 * 78      16     salt
 * 94      32     passphrase check (bytes 32..63 of the scrypt output, see PassphraseKey)
 * 75|126   …   payload; the bytes before it are the header, and the AEAD's associated data
 * end-32  32   SHA-256 of every byte before it
 * </pre>
 *
 * Version 1 lacks the HPKE binding (its protection byte is at 42); it is still read, and written no more.
 *
 * <p>The checksum tells damage (a truncated file, a flipped bit) from a wrong passphrase; the AEAD, with the
 * header as associated data, is what stops deliberate changes to a protected file. The binding is what ties a
 * profile's HPKE keyset to its signing keyset: inside a protected signing keyset's header it cannot be changed
 * without the passphrase, so an HPKE keyset planted beside it is found out once both are open.
 */
final class KeyFile {
    enum Purpose {
        SIGNING_KEYSET(1, "an Ed25519 signing keyset"),
        HPKE_KEYSET(2, "an HPKE keyset"),
        BACKUP(3, "an identity backup");

        final int code;
        final String description;

        Purpose(int code, String description) {
            this.code = code;
            this.description = description;
        }
    }

    @FunctionalInterface
    interface PayloadSealer {
        byte[] seal(byte[] header) throws GeneralSecurityException;
    }

    @FunctionalInterface
    interface PayloadOpener<T> {
        T open(byte[] header, byte[] payload) throws GeneralSecurityException, InvalidProtocolBufferException;
    }

    static final int VERSION = 2;
    /** The first version, without the HPKE binding: profiles and backups written before it still load. */
    static final int UNBOUND_VERSION = 1;
    /** Far above any real key file (a few hundred bytes), so that a stray huge file is not read into memory. */
    static final int MAX_SIZE = 64 * 1024;

    private static final byte[] MAGIC = "PARLEYKF".getBytes(StandardCharsets.US_ASCII);
    private static final int PLAIN = 0;
    private static final int PASSPHRASE = 1;
    private static final int BINDING_SIZE = 32;
    private static final int UNBOUND_FIXED_HEADER = MAGIC.length + 1 + 1 + Ed25519PublicKey.SIZE + 1;
    private static final int FIXED_HEADER = UNBOUND_FIXED_HEADER + BINDING_SIZE;
    private static final int CHECKSUM = 32;

    private final Path file;
    private final Ed25519PublicKey owner;
    /** Null in a version-1 file. */
    private final byte[] hpkeBinding;
    private final PassphraseKey.Cost cost;
    private final byte[] salt;
    private final byte[] check;
    private final byte[] header;
    private final byte[] payload;

    private KeyFile(Path file, Ed25519PublicKey owner, byte[] hpkeBinding, PassphraseKey.Cost cost, byte[] salt,
            byte[] check, byte[] header, byte[] payload) {
        this.file = file;
        this.owner = owner;
        this.hpkeBinding = hpkeBinding;
        this.cost = cost;
        this.salt = salt;
        this.check = check;
        this.header = header;
        this.payload = payload;
    }

    /**
     * The whole file of {@code identity}'s keys: header for {@code key} (null: unprotected), the payload the sealer
     * makes, the checksum.
     */
    static byte[] encode(Purpose purpose, Identity identity, PassphraseKey key, PayloadSealer sealer)
            throws GeneralSecurityException {
        ByteBuffer header = ByteBuffer.allocate(FIXED_HEADER + (key == null ? 0 : PassphraseKey.ENCODED_SIZE));
        header.put(MAGIC).put((byte) VERSION).put((byte) purpose.code).put(identity.publicKey().raw())
                .put(bindingOf(identity.hpkePublicKey())).put((byte) (key == null ? PLAIN : PASSPHRASE));
        if (key != null) {
            key.writeTo(header);
        }
        byte[] headerBytes = header.array();
        byte[] payload = sealer.seal(headerBytes);
        ByteBuffer out = ByteBuffer.allocate(headerBytes.length + payload.length + CHECKSUM);
        out.put(headerBytes).put(payload);
        out.put(sha256(out.array(), out.position()));
        return out.array();
    }

    /** Reads and checks the container; the payload is opened later by {@link #open}. */
    static KeyFile read(Path file, Purpose expected) throws IOException, KeyFileException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length > MAX_SIZE) {
            throw new CorruptKeysetException(file, "larger than " + MAX_SIZE + " bytes, no key file is");
        }
        return parse(file, bytes, expected);
    }

    static KeyFile parse(Path file, byte[] bytes, Purpose expected) throws KeyFileException {
        if (bytes.length < UNBOUND_FIXED_HEADER + CHECKSUM) {
            throw new CorruptKeysetException(file, bytes.length + " bytes, shorter than any key file");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptKeysetException(file, "not a Parley key file: its first bytes are not \"PARLEYKF\"");
        }
        int version = bytes[MAGIC.length] & 0xFF;
        if (version > VERSION) {
            throw new UnsupportedKeyFileException(file, version, VERSION);
        }
        if (version < UNBOUND_VERSION) {
            throw new CorruptKeysetException(file, "format version " + version + " does not exist");
        }
        int end = bytes.length - CHECKSUM;
        if (!MessageDigest.isEqual(sha256(bytes, end), Arrays.copyOfRange(bytes, end, bytes.length))) {
            throw new CorruptKeysetException(file, "checksum mismatch: the file is truncated or altered");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length + 1, end - MAGIC.length - 1);
        int purpose = in.get() & 0xFF;
        if (purpose != expected.code) {
            String found = Arrays.stream(Purpose.values()).filter(known -> known.code == purpose)
                    .map(known -> known.description).findFirst().orElse("an unknown kind of key file");
            throw new CorruptKeysetException(file, "holds " + found + " (purpose " + purpose + ") where "
                    + expected.description + " (purpose " + expected.code + ") belongs");
        }
        byte[] ownerBytes = new byte[Ed25519PublicKey.SIZE];
        in.get(ownerBytes);
        Ed25519PublicKey owner;
        try {
            owner = new Ed25519PublicKey(ownerBytes);
        } catch (IllegalArgumentException e) {
            throw new CorruptKeysetException(file, "owner key is not an Ed25519 public key", e);
        }
        byte[] hpkeBinding = null;
        if (version != UNBOUND_VERSION) {
            if (in.remaining() < BINDING_SIZE + 1) {
                throw new CorruptKeysetException(file, "the header is cut short");
            }
            hpkeBinding = new byte[BINDING_SIZE];
            in.get(hpkeBinding);
        }
        int protection = in.get() & 0xFF;
        PassphraseKey.Cost cost = null;
        byte[] salt = null;
        byte[] check = null;
        if (protection == PASSPHRASE) {
            if (in.remaining() < PassphraseKey.ENCODED_SIZE) {
                throw new CorruptKeysetException(file, "the passphrase header is cut short");
            }
            cost = new PassphraseKey.Cost(in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF);
            if (cost.problem() != null) {
                throw new CorruptKeysetException(file, cost.problem());
            }
            salt = new byte[PassphraseKey.SALT_SIZE];
            check = new byte[PassphraseKey.CHECK_SIZE];
            in.get(salt).get(check);
        } else if (protection != PLAIN) {
            throw new CorruptKeysetException(file, "unknown protection " + protection);
        }
        byte[] header = Arrays.copyOf(bytes, in.position());
        byte[] payload = Arrays.copyOfRange(bytes, in.position(), end);
        return new KeyFile(file, owner, hpkeBinding, cost, salt, check, header, payload);
    }

    /** What a header records of an HPKE public key: its SHA-256. */
    static byte[] bindingOf(byte[] hpkePublicKey) {
        return Digests.sha256(hpkePublicKey);
    }

    boolean isProtected() {
        return cost != null;
    }

    /**
     * Whether {@code hpkePublicKey} is the HPKE key this header is bound to. A version-1 header names none, so it
     * holds with any key: callers check what version 1 allows (the shared protection) instead.
     */
    boolean isBoundTo(byte[] hpkePublicKey) {
        return hpkeBinding == null || MessageDigest.isEqual(hpkeBinding, bindingOf(hpkePublicKey));
    }

    /**
     * Whether {@code other} is under the same protection: both plain, or both under one passphrase with one salt,
     * as files written together are (so one scrypt run opens both).
     */
    boolean hasProtectionOf(KeyFile other) {
        if (!isProtected() || !other.isProtected()) {
            return isProtected() == other.isProtected();
        }
        return cost.equals(other.cost) && Arrays.equals(salt, other.salt);
    }

    Ed25519PublicKey owner() {
        return owner;
    }

    CorruptKeysetException damaged(String problem, Throwable cause) {
        return new CorruptKeysetException(file, problem, cause);
    }

    /**
     * The key that opens this file, or null for an unprotected file (a passphrase given for one is not
     * needed and is ignored). {@code derivedBefore}, if it was derived with this file's scrypt cost and salt,
     * is checked and reused instead of running scrypt again.
     */
    PassphraseKey unlock(char[] passphrase, PassphraseKey derivedBefore) throws KeyFileException {
        if (!isProtected()) {
            return null;
        }
        if (passphrase == null) {
            throw new PassphraseRequiredException(file);
        }
        PassphraseKey key = derivedBefore != null && derivedBefore.derivedWith(cost, salt)
                ? derivedBefore
                : PassphraseKey.derive(passphrase, cost, salt);
        if (!key.matchesCheck(check)) {
            throw new WrongPassphraseException(file);
        }
        return key;
    }

    /**
     * Opens the payload; any failure is damage, since the checksum matched: a decryption failure after the
     * passphrase check passed means the file was altered and its checksum recomputed.
     */
    <T> T open(PayloadOpener<T> opener) throws CorruptKeysetException {
        try {
            return opener.open(header.clone(), payload.clone());
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw damaged("its keys do not decrypt or parse: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] bytes, int length) {
        MessageDigest digest = Digests.sha256();
        digest.update(bytes, 0, length);
        return digest.digest();
    }
}
