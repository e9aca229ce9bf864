package dev.parley.transport.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.keys.PublicKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.noise.pb.NoiseProtos.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;

/**
 * The libp2p payload of handshake messages 2 and 3: the sender's identity key and its signature over
 * {@code "noise-libp2p-static-key:" || static X25519 key}, binding the Noise session to the libp2p identity.
 * Parley sends no extensions; it accepts a peer's (js-libp2p offers its stream muxers there) and ignores them,
 * so the muxer is then negotiated with multistream-select as usual.
 */
final class HandshakePayload {
    private static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

    private HandshakePayload() {
    }

    /** The honest payload: {@code identity} signs our own static key. */
    static byte[] create(Ed25519PrivateKey identity, byte[] staticPublicKey) {
        return encode(identity.publicKey(), identity.sign(signedData(staticPublicKey)));
    }

    static byte[] encode(Ed25519PublicKey identityKey, byte[] signature) {
        return NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identityKey.marshal()))
                .setIdentitySig(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }

    /** The bytes an identity key signs: the spec's prefix followed by the X25519 static public key. */
    static byte[] signedData(byte[] staticPublicKey) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + staticPublicKey.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(staticPublicKey, 0, data, SIGNATURE_PREFIX.length, staticPublicKey.length);
        return data;
    }

    /**
     * Parses the peer's payload and checks that its identity key signed the static key the peer actually used
     * in this handshake.
     *
     * @return the peer's identity key
     */
    static PublicKey verify(byte[] payload, byte[] remoteStaticKey) throws NoiseHandshakeException {
        NoiseHandshakePayload parsed;
        try {
            parsed = NoiseHandshakePayload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new NoiseHandshakeException("malformed Noise handshake payload (" + payload.length + " bytes): "
                    + e.getMessage(), e);
        }
        if (!parsed.hasIdentityKey() || !parsed.hasIdentitySig()) {
            throw new NoiseHandshakeException("Noise handshake payload lacks "
                    + (parsed.hasIdentityKey() ? "identity_sig" : "identity_key"));
        }
        PublicKey identityKey;
        try {
            identityKey = PublicKey.unmarshal(parsed.getIdentityKey().toByteArray());
        } catch (InvalidKeyException e) {
            throw new NoiseHandshakeException("peer's identity key refused: " + e.getMessage(), e);
        }
        if (!identityKey.verify(signedData(remoteStaticKey), parsed.getIdentitySig().toByteArray())) {
            throw new NoiseHandshakeException("bad signature: the identity key of peer " + PeerId.fromPublicKey(identityKey)
                    + " did not sign the Noise static key used in this handshake");
        }
        return identityKey;
    }
}
