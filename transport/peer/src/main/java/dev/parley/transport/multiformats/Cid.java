package dev.parley.transport.multiformats;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The one use libp2p makes of CIDs (github.com/multiformats/cid): a peer id written as a CIDv1 with the
 * {@code libp2p-key} codec (specs: peer-ids/peer-ids.md, "String representation").
 *
 * <pre>
 * multibase text:  &lt;prefix char&gt; encode( &lt;varint 1&gt; &lt;varint 0x72&gt; &lt;multihash&gt; )
 * as written:      "b"  base32(  01            72             00 24 08 01 12 20 …  )
 * </pre>
 */
public final class Cid {
    public static final int VERSION_1 = 1;
    /** The multicodec code of {@code libp2p-key}: the content is a peer id's public key. */
    public static final int LIBP2P_KEY = 0x72;

    private Cid() {
    }

    /** Decodes a CIDv1 {@code libp2p-key} in any supported multibase and returns the peer id's multihash bytes. */
    public static byte[] decodeLibp2pKey(String text) {
        ByteBuffer in = ByteBuffer.wrap(Multibase.decode(text));
        long version = Varint.read(in);
        if (version != VERSION_1) {
            throw new IllegalArgumentException("CID version " + version + " in " + text + "; expected CIDv1");
        }
        long codec = Varint.read(in);
        if (codec != LIBP2P_KEY) {
            throw new IllegalArgumentException("CID codec 0x" + Long.toHexString(codec) + " in " + text
                    + " is not libp2p-key (0x72), so it does not name a peer");
        }
        byte[] multihash = Arrays.copyOfRange(in.array(), in.position(), in.limit());
        Multihash.decode(multihash);
        return multihash;
    }

    /** The CIDv1 form of a peer id in base32, as the spec recommends: {@code bafz…}. */
    public static String encodeLibp2pKey(PeerId peer) {
        byte[] multihash = peer.bytes();
        byte[] cid = new byte[2 + multihash.length];
        // Both numbers are below 0x80, so each is its own one-byte varint.
        cid[0] = VERSION_1;
        cid[1] = LIBP2P_KEY;
        System.arraycopy(multihash, 0, cid, 2, multihash.length);
        return Multibase.BASE32.encode(cid);
    }
}
