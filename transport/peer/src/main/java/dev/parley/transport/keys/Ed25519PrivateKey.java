package dev.parley.transport.keys;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.pb.KeyProtos;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key: a node's libp2p identity. Its PeerId is derived from {@link #publicKey()}.
 * The libp2p protobuf form carries 64 bytes, the 32-byte seed followed by the public key, as go- and
 * js-libp2p write it.
 */
public final class Ed25519PrivateKey {
    public static final int SEED_SIZE = 32;

    private final byte[] seed;
    private final Ed25519PrivateKeyParameters params;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed) {
        this.seed = seed.clone();
        this.params = new Ed25519PrivateKeyParameters(this.seed, 0);
        this.publicKey = new Ed25519PublicKey(params.generatePublicKey().getEncoded());
    }

    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[SEED_SIZE];
        new SecureRandom().nextBytes(seed);
        return new Ed25519PrivateKey(seed);
    }

    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed.length != SEED_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed has " + SEED_SIZE + " bytes, got " + seed.length);
        }
        return new Ed25519PrivateKey(seed);
    }

    /**
     * Parses the libp2p protobuf form: 64 bytes seed‖public key, the older 96 bytes seed‖public key‖public key
     * (both accepted by the spec), or a bare 32-byte seed.
     */
    public static Ed25519PrivateKey unmarshal(byte[] protobuf) throws InvalidKeyException {
        KeyProtos.PrivateKey key;
        try {
            key = KeyProtos.PrivateKey.parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidKeyException("malformed private key protobuf: " + e.getMessage());
        }
        if (key.getType() != KeyProtos.KeyType.Ed25519) {
            throw new InvalidKeyException("unsupported key type " + key.getType() + "; Parley accepts Ed25519 only");
        }
        byte[] data = key.getData().toByteArray();
        int publicKeyCopies = (data.length - SEED_SIZE) / Ed25519PublicKey.SIZE;
        if (data.length < SEED_SIZE || publicKeyCopies > 2
                || data.length != SEED_SIZE + publicKeyCopies * Ed25519PublicKey.SIZE) {
            throw new InvalidKeyException("Ed25519 private key of " + data.length + " bytes; expected 32, 64 or 96");
        }
        Ed25519PrivateKey parsed = new Ed25519PrivateKey(Arrays.copyOf(data, SEED_SIZE));
        byte[] derived = parsed.publicKey.raw();
        for (int at = SEED_SIZE; at < data.length; at += Ed25519PublicKey.SIZE) {
            if (!Arrays.equals(data, at, at + Ed25519PublicKey.SIZE, derived, 0, Ed25519PublicKey.SIZE)) {
                throw new InvalidKeyException("Ed25519 private key whose embedded public key does not match its seed");
            }
        }
        return parsed;
    }

    public byte[] marshal() {
        byte[] data = new byte[SEED_SIZE + Ed25519PublicKey.SIZE];
        System.arraycopy(seed, 0, data, 0, SEED_SIZE);
        System.arraycopy(publicKey.raw(), 0, data, SEED_SIZE, Ed25519PublicKey.SIZE);
        return KeyProtos.PrivateKey.newBuilder()
                .setType(KeyProtos.KeyType.Ed25519)
                .setData(ByteString.copyFrom(data))
                .build()
                .toByteArray();
    }

    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, params);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    public byte[] seed() {
        return seed.clone();
    }
}
