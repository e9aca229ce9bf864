package dev.parley.transport.noise;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.noise.NoiseHandshake.PayloadFactory;

/** Handshake payloads of a peer that lies about its keys, for proving that such a peer is refused. */
final class HostilePayloads {
    /** Signs a static key other than the one used in the handshake. */
    static final PayloadFactory SIGNS_OTHER_STATIC_KEY =
            (identity, staticKey) -> HandshakePayload.create(identity, X25519KeyPair.generate().publicKey());
    /** Presents one identity key but signs with another. */
    static final PayloadFactory PRESENTS_OTHER_IDENTITY = (identity, staticKey) -> HandshakePayload.encode(
            Ed25519PrivateKey.generate().publicKey(), identity.sign(HandshakePayload.signedData(staticKey)));

    private HostilePayloads() {
    }
}
