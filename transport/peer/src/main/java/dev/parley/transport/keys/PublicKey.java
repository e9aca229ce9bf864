package dev.parley.transport.keys;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.pb.KeyProtos;

/**
 * A libp2p peer's public identity key, protobuf {@code PublicKey{Type, Data}} (specs: peer-ids/peer-ids.md).
 * Parley's own identity is always Ed25519; other peers may hold RSA keys (the public IPFS bootstrap peers among
 * them, {@code Qm…} ids) or secp256k1 keys, and their handshakes and signed records verify with these.
 * ECDSA is refused: js-libp2p encodes its keys and signatures differently from the spec and go-libp2p, so no
 * single reading would be interoperable.
 */
public sealed interface PublicKey permits Ed25519PublicKey, RsaPublicKey, Secp256k1PublicKey {
    /** The libp2p protobuf form, from which a peer id is derived. */
    byte[] marshal();

    /** Whether {@code signature} is this key's signature of {@code data}, as the key type's libp2p rules say. */
    boolean verify(byte[] data, byte[] signature);

    /** Parses the libp2p protobuf form of any supported key type. */
    static PublicKey unmarshal(byte[] protobuf) throws InvalidKeyException {
        KeyProtos.PublicKey key;
        try {
            key = KeyProtos.PublicKey.parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidKeyException("malformed public key protobuf: " + e.getMessage());
        }
        byte[] data = key.getData().toByteArray();
        return switch (key.getType()) {
            case Ed25519 -> Ed25519PublicKey.fromData(data);
            case RSA -> RsaPublicKey.fromPkix(data);
            case Secp256k1 -> Secp256k1PublicKey.fromPoint(data);
            case ECDSA -> throw new InvalidKeyException("ECDSA identity keys are not supported");
        };
    }
}
