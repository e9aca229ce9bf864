package dev.parley.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.config.TinkConfig2026;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Parley's Tink choices in one place: the configuration every primitive comes from and the key parameters.
 * Both identity keys use the NO_PREFIX variant: libp2p needs plain Ed25519 signatures, and a 1:1 ciphertext
 * needs no Tink key-id prefix, since the recipient has one HPKE key.
 */
final class Keysets {
    /** Tink 1.24's fixed algorithm set, so behaviour does not depend on what else registered itself. */
    static final Configuration CONFIG = TinkConfig2026.get();

    static final Ed25519Parameters SIGNING = Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX);
    static final HpkeParameters HPKE = hpkeParameters();
    /** AES-256-GCM with a 12-byte random nonce and a 16-byte tag; ciphertext = nonce || sealed || tag. */
    static final AesGcmParameters AES_256_GCM = aesGcmParameters();
    static final int AES_256_KEY_SIZE = 32;

    private Keysets() {
    }

    private static HpkeParameters hpkeParameters() {
        try {
            return HpkeParameters.builder()
                    .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                    .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                    .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                    .setVariant(HpkeParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink rejects Parley's fixed HPKE parameters", e);
        }
    }

    private static AesGcmParameters aesGcmParameters() {
        try {
            return AesGcmParameters.builder()
                    .setKeySizeBytes(AES_256_KEY_SIZE)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink rejects Parley's fixed AES-GCM parameters", e);
        }
    }

    /**
     * An AES-256-GCM AEAD over a raw 32-byte key (a sender key, or a key derived from a passphrase). Tink's AES-GCM
     * for the one key, not through a keyset: a chained sender key makes one for every message, and a keyset's random
     * key id made each virtual thread that opened a room message set up a SecureRandom of its own. The output is the
     * same ({@code NO_PREFIX}: IV, ciphertext, tag).
     */
    static Aead aes256Gcm(byte[] key) {
        try {
            AesGcmKey aesKey = AesGcmKey.builder()
                    .setParameters(AES_256_GCM)
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                    .build();
            return AesGcmJce.create(aesKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an AES-256 key: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code signature} is a valid plain Ed25519 signature by {@code signer} over {@code data}. Checked
     * with BouncyCastle's RFC 8032 code rather than Tink's: the same check (canonical S, decodable points) at half
     * the CPU (98 µs against 204 µs a verification on this project's 2-core machines), and every received envelope
     * is verified. Signing stays with Tink, which holds the private key.
     */
    static boolean verifies(dev.parley.transport.keys.Ed25519PublicKey signer, byte[] signature, byte[] data) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, signer.raw(), 0, data, 0, data.length);
    }

    /** A one-key keyset holding {@code key} as primary. */
    static KeysetHandle of(Key key) throws GeneralSecurityException {
        return KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
                .build();
    }

    /** The primitive of type {@code type} for a single key. */
    static <P> P primitive(Key key, Class<P> type) throws GeneralSecurityException {
        return of(key).getPrimitive(CONFIG, type);
    }

    static byte[] serialize(KeysetHandle keyset) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get(), CONFIG);
    }

    static KeysetHandle parse(byte[] serialized) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get(), CONFIG);
    }

    /**
     * The single key of a keyset read from disk, checked to be of {@code type} with {@code parameters}:
     * a keyset that parses but holds anything else is as unusable as a corrupt one.
     */
    static <K extends Key> K singleKey(KeysetHandle keyset, Class<K> type, Parameters parameters)
            throws GeneralSecurityException {
        if (keyset.size() != 1) {
            throw new GeneralSecurityException("keyset holds " + keyset.size() + " keys, expected 1");
        }
        Key key = keyset.getPrimary().getKey();
        if (!type.isInstance(key) || !key.getParameters().equals(parameters)) {
            throw new GeneralSecurityException("keyset holds a " + key.getParameters() + " key, expected " + parameters);
        }
        return type.cast(key);
    }

    /** {@code keyset}, once {@link #singleKey} accepts it. */
    static KeysetHandle checked(KeysetHandle keyset, Class<? extends Key> type, Parameters parameters)
            throws GeneralSecurityException {
        singleKey(keyset, type, parameters);
        return keyset;
    }
}
