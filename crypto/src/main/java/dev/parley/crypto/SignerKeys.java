package dev.parley.crypto;

import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.PeerId;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The Ed25519 keys senders' PeerIds inline, decoded once each. Decoding a key (parsing the PeerId's protobuf,
 * decompressing and checking the point) cost as much as a fifth of a verification, and a room's catch-up verifies
 * thousands of envelopes from a handful of senders. Only keys that decoded are kept; at most {@link #MAX_KEPT}, and
 * all are forgotten at once beyond that: a flood of strangers' PeerIds costs what it did before, not memory.
 */
final class SignerKeys {
    /** Senders whose keys are kept: a room's members and then some. */
    static final int MAX_KEPT = 1_024;

    private static final ConcurrentHashMap<PeerId, Ed25519.PublicPoint> points = new ConcurrentHashMap<>();

    private SignerKeys() {
    }

    /**
     * The key {@code sender} inlines, ready to verify with: the same checks as
     * {@link Ed25519#verify(byte[], int, byte[], int, byte[], int, int)} makes of a key it is handed as bytes.
     *
     * @throws InvalidKeyException when the PeerId inlines no Ed25519 key, or one that is not a valid point
     */
    static Ed25519.PublicPoint of(PeerId sender) throws InvalidKeyException {
        Ed25519.PublicPoint kept = points.get(sender);
        if (kept != null) {
            return kept;
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(sender.publicKey().raw(), 0);
        if (point == null) {
            throw new InvalidKeyException("the key " + sender + " inlines is not a valid Ed25519 point");
        }
        if (points.size() >= MAX_KEPT) {
            points.clear();
        }
        points.put(sender, point);
        return point;
    }

    /** Whether {@code signature} is a valid plain Ed25519 signature by {@code signer} over {@code data}. */
    static boolean verifies(Ed25519.PublicPoint signer, byte[] signature, byte[] data) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, signer, data, 0, data.length);
    }
}
