package dev.parley.transport.keys;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.pb.KeyProtos;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key, the key type of every Parley identity. Its libp2p form is the protobuf
 * {@code PublicKey{Type=Ed25519, Data=<32 bytes>}} (specs: peer-ids/peer-ids.md).
 */
public final class Ed25519PublicKey implements PublicKey {
    public static final int SIZE = 32;

    private final byte[] raw;
    private final Ed25519PublicKeyParameters params;

    public Ed25519PublicKey(byte[] raw) {
        if (raw.length != SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has " + SIZE + " bytes, got " + raw.length);
        }
        this.raw = raw.clone();
        this.params = new Ed25519PublicKeyParameters(this.raw, 0);
    }

    /** Parses the libp2p protobuf form; rejects every key type but Ed25519. */
    public static Ed25519PublicKey unmarshal(byte[] protobuf) throws InvalidKeyException {
        KeyProtos.PublicKey key;
        try {
            key = KeyProtos.PublicKey.parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidKeyException("malformed public key protobuf: " + e.getMessage());
        }
        if (key.getType() != KeyProtos.KeyType.Ed25519) {
            throw new InvalidKeyException("a " + key.getType() + " key where an Ed25519 key is required");
        }
        return fromData(key.getData().toByteArray());
    }

    /** The key of a protobuf's {@code Data} field: 32 bytes that must be a usable curve point. */
    static Ed25519PublicKey fromData(byte[] data) throws InvalidKeyException {
        if (data.length != SIZE) {
            throw new InvalidKeyException("Ed25519 public key of " + data.length + " bytes");
        }
        try {
            return new Ed25519PublicKey(data);
        } catch (IllegalArgumentException e) {
            // BouncyCastle rejects bytes that are not a usable curve point (off the curve or of small order).
            throw new InvalidKeyException("Ed25519 public key is not a valid curve point: " + e.getMessage());
        }
    }

    @Override
    public byte[] marshal() {
        return KeyProtos.PublicKey.newBuilder()
                .setType(KeyProtos.KeyType.Ed25519)
                .setData(com.google.protobuf.ByteString.copyFrom(raw))
                .build()
                .toByteArray();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(data, 0, data.length);
        return verifier.verifySignature(signature);
    }

    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + HexFormat.of().formatHex(raw) + "]";
    }
}
