package dev.parley.transport.noise;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.noise.NoiseHandshake.PayloadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Handshake payloads of a peer that lies about its keys, for proving that such a peer is refused: here, in memory,
 * and over real sockets by the attack tests, which dial with {@link #initiate}. Each presents the identity key it is
 * given, so the peer it claims to be is known.
 */
public enum HostilePayload implements PayloadFactory {
    /** Signs a static key other than the one used in the handshake. */
    SIGNS_OTHER_STATIC_KEY {
        @Override
        public byte[] create(Ed25519PrivateKey identity, byte[] staticPublicKey) {
            return HandshakePayload.create(identity, X25519KeyPair.generate().publicKey());
        }
    },
    /** Presents one identity key but signs with another. */
    PRESENTS_OTHER_IDENTITY {
        @Override
        public byte[] create(Ed25519PrivateKey identity, byte[] staticPublicKey) {
            return HandshakePayload.encode(identity.publicKey(),
                    Ed25519PrivateKey.generate().sign(HandshakePayload.signedData(staticPublicKey)));
        }
    };

    /**
     * Runs Noise XX as initiator with this lie in message 3, claiming to be {@code identity}. Returns, as an honest
     * initiator does, once message 3 is written: whether the responder believed it shows only in what it does next.
     */
    public SecureChannel initiate(InputStream in, OutputStream out, Ed25519PrivateKey identity, PeerId expectedRemote)
            throws IOException {
        return NoiseHandshake.initiate(in, out, identity, expectedRemote, this);
    }
}
