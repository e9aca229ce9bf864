package dev.parley.transport.multiformats;

import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.keys.PublicKey;
import java.util.Arrays;

/**
 * A libp2p peer identity: the multihash of the peer's protobuf public key (specs: peer-ids/peer-ids.md).
 * Keys of at most 42 bytes — Ed25519 among them — use the identity multihash, so the key can be read back
 * out of the id; larger keys use SHA-256. The text form is base58btc ({@code 12D3Koo…} for Ed25519); the
 * CIDv1 form ({@code bafz…}, codec libp2p-key) is parsed too and can be written with {@link #toCidString()}.
 */
public final class PeerId {
    /** Longest multihash accepted: a 42-byte identity-hashed key or a SHA-256 digest, with headroom. */
    public static final int MAX_BYTES = 128;
    /** Longest text accepted: the CIDv1 base32 form of {@link #MAX_BYTES}, with headroom. */
    public static final int MAX_TEXT = 2 * MAX_BYTES;

    private final byte[] multihash;
    /**
     * The base58 text, made on first use: encoding is quadratic in the length, and a room member names each
     * envelope's sender by it several times. A race makes it twice, to the same immutable string (as String's hash).
     */
    private String base58;

    private PeerId(byte[] multihash) {
        this.multihash = multihash;
    }

    /** Keys whose protobuf form is at most this long are inlined in the id; longer ones are hashed. */
    private static final int MAX_INLINED_KEY = 42;

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] marshalled = key.marshal();
        return new PeerId((marshalled.length <= MAX_INLINED_KEY ? Multihash.identity(marshalled)
                : Multihash.sha256(marshalled)).bytes());
    }

    /** Parses the binary form (a multihash), as carried in multiaddrs and protocol messages. */
    public static PeerId fromBytes(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("peer id of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        int code = Multihash.decode(bytes).code();
        if (code != Multihash.IDENTITY && code != Multihash.SHA2_256) {
            throw new IllegalArgumentException("peer id multihash code 0x" + Integer.toHexString(code)
                    + "; peer ids are identity or sha2-256 multihashes");
        }
        return new PeerId(bytes.clone());
    }

    /**
     * Parses either text form. As the spec says, a legacy base58btc multihash starts with {@code 1}
     * (identity) or {@code Qm} (sha2-256); anything else must be a multibase CIDv1 with the libp2p-key codec.
     */
    public static PeerId parse(String text) {
        if (text.length() > MAX_TEXT) {
            // Also keeps the quadratic base58 decoder away from huge input.
            throw new IllegalArgumentException("peer id text of " + text.length() + " characters exceeds " + MAX_TEXT);
        }
        try {
            if (text.startsWith("1") || text.startsWith("Qm")) {
                return fromBytes(Base58.decode(text));
            }
            return fromBytes(Cid.decodeLibp2pKey(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a peer id: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The public key inlined in an identity multihash, if this id carries one. */
    public Ed25519PublicKey publicKey() throws InvalidKeyException {
        Multihash hash = Multihash.decode(multihash);
        if (hash.code() != Multihash.IDENTITY) {
            throw new InvalidKeyException("peer id " + this + " does not inline its public key");
        }
        return Ed25519PublicKey.unmarshal(hash.digest());
    }

    public byte[] bytes() {
        return multihash.clone();
    }

    public String toBase58() {
        String text = base58;
        if (text == null) {
            text = Base58.encode(multihash);
            base58 = text;
        }
        return text;
    }

    /** The CIDv1 text form, base32 {@code bafz…}; {@link #toString()} stays base58, as the spec advises. */
    public String toCidString() {
        return Cid.encodeLibp2pKey(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(multihash, other.multihash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(multihash);
    }

    @Override
    public String toString() {
        return toBase58();
    }
}
