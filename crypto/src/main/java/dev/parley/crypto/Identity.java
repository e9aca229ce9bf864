package dev.parley.crypto;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.util.Bytes;
import com.google.crypto.tink.util.SecretBytes;
import dev.parley.transport.multiformats.PeerId;
import java.security.GeneralSecurityException;

/**
 * The user's keys, held as Tink keysets: an Ed25519 signing key, which is also the libp2p identity (one key,
 * one {@link PeerId}), and an X25519 HPKE key that 1:1 envelopes are sealed to. Immutable and thread-safe.
 */
public final class Identity {
    /** Size of {@link #hpkePublicKey()}: a raw X25519 public key. */
    public static final int HPKE_PUBLIC_KEY_SIZE = 32;

    private final KeysetHandle signingKeyset;
    private final KeysetHandle hpkeKeyset;
    private final PublicKeySign signer;
    private final HybridDecrypt hpkeDecrypt;
    private final dev.parley.transport.keys.Ed25519PrivateKey transportKey;
    private final PeerId peerId;
    private final byte[] hpkePublicKey;

    private Identity(KeysetHandle signingKeyset, KeysetHandle hpkeKeyset) throws GeneralSecurityException {
        Ed25519PrivateKey signingKey = Keysets.singleKey(signingKeyset, Ed25519PrivateKey.class, Keysets.SIGNING);
        HpkePrivateKey hpkeKey = Keysets.singleKey(hpkeKeyset, HpkePrivateKey.class, Keysets.HPKE);
        this.signingKeyset = signingKeyset;
        this.hpkeKeyset = hpkeKeyset;
        this.signer = signingKeyset.getPrimitive(Keysets.CONFIG, PublicKeySign.class);
        this.hpkeDecrypt = hpkeKeyset.getPrimitive(Keysets.CONFIG, HybridDecrypt.class);
        this.transportKey = dev.parley.transport.keys.Ed25519PrivateKey.fromSeed(
                signingKey.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get()));
        this.peerId = PeerId.fromPublicKey(transportKey.publicKey());
        this.hpkePublicKey = hpkeKey.getPublicKey().getPublicKeyBytes().toByteArray();
    }

    /** A new identity: fresh Ed25519 and HPKE keys. */
    public static Identity generate() {
        try {
            return new Identity(KeysetHandle.generateNew(Keysets.SIGNING, Keysets.CONFIG), newHpkeKeyset());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not generate identity keys", e);
        }
    }

    /**
     * Keeps an existing libp2p key (profiles made before Parley had application crypto hold one), so the
     * PeerId stays, and adds a fresh HPKE key.
     */
    public static Identity fromEd25519(dev.parley.transport.keys.Ed25519PrivateKey existing) {
        try {
            Ed25519PublicKey publicKey = Ed25519PublicKey.create(Bytes.copyFrom(existing.publicKey().raw()));
            Ed25519PrivateKey privateKey = Ed25519PrivateKey.create(
                    publicKey, SecretBytes.copyFrom(existing.seed(), InsecureSecretKeyAccess.get()));
            return new Identity(Keysets.of(privateKey), newHpkeKeyset());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink rejects an Ed25519 key that transport accepted", e);
        }
    }

    /**
     * An identity from keysets read back from a file.
     *
     * @throws GeneralSecurityException if a keyset is not exactly one key of Parley's type and parameters
     */
    static Identity fromKeysets(KeysetHandle signingKeyset, KeysetHandle hpkeKeyset) throws GeneralSecurityException {
        return new Identity(signingKeyset, hpkeKeyset);
    }

    private static KeysetHandle newHpkeKeyset() throws GeneralSecurityException {
        return KeysetHandle.generateNew(Keysets.HPKE, Keysets.CONFIG);
    }

    public PeerId peerId() {
        return peerId;
    }

    public dev.parley.transport.keys.Ed25519PublicKey publicKey() {
        return transportKey.publicKey();
    }

    /** The same Ed25519 key as the Tink signing key, for the libp2p Noise handshake. */
    public dev.parley.transport.keys.Ed25519PrivateKey transportKey() {
        return transportKey;
    }

    /** A plain 64-byte Ed25519 signature (RFC 8032), as libp2p and {@link #transportKey()} make them. */
    public byte[] sign(byte[] data) {
        try {
            return signer.sign(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not sign with a loaded Ed25519 key", e);
        }
    }

    /** The raw 32-byte X25519 public key that others seal 1:1 envelopes to (carried in the contact card). */
    public byte[] hpkePublicKey() {
        return hpkePublicKey.clone();
    }

    HybridDecrypt hpkeDecrypt() {
        return hpkeDecrypt;
    }

    KeysetHandle signingKeyset() {
        return signingKeyset;
    }

    KeysetHandle hpkeKeyset() {
        return hpkeKeyset;
    }

    /** The PeerId only: an identity's text form never shows key material. */
    @Override
    public String toString() {
        return "Identity[" + peerId + "]";
    }
}
