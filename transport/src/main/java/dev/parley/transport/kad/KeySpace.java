package dev.parley.transport.kad;

import dev.parley.transport.multiformats.Multihash;
import dev.parley.transport.multiformats.PeerId;
import java.util.Comparator;

/**
 * The DHT's 256-bit key space (spec: "Distance"): a key's point is SHA-256 of its bytes (a peer id's
 * multihash bytes for a peer), and the distance of two points is their XOR read as an unsigned integer.
 */
final class KeySpace {
    static final int BITS = 256;

    private KeySpace() {
    }

    static byte[] point(byte[] key) {
        return Multihash.sha256(key).digest();
    }

    static byte[] point(PeerId peer) {
        return point(peer.bytes());
    }

    /** Bits the two points share from the top: 256 for equal points. */
    static int commonPrefixLength(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            int xor = (a[i] ^ b[i]) & 0xFF;
            if (xor != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(xor) - 24;
            }
        }
        return BITS;
    }

    /** Orders points by their distance to {@code target}, nearest first. */
    static Comparator<byte[]> byDistanceTo(byte[] target) {
        return (a, b) -> {
            for (int i = 0; i < target.length; i++) {
                int da = (a[i] ^ target[i]) & 0xFF;
                int db = (b[i] ^ target[i]) & 0xFF;
                if (da != db) {
                    return Integer.compare(da, db);
                }
            }
            return 0;
        };
    }
}
