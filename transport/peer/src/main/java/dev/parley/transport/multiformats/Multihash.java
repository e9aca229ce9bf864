package dev.parley.transport.multiformats;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A self-describing hash (github.com/multiformats/multihash): varint code, varint digest length, digest.
 * libp2p uses two codes: identity (0x00), which inlines small keys, and sha2-256 (0x12).
 */
public record Multihash(int code, byte[] digest) {
    public static final int IDENTITY = 0x00;
    public static final int SHA2_256 = 0x12;
    /** Digest bytes accepted when decoding; far above any hash libp2p uses. */
    public static final int MAX_DIGEST = 1024;

    public Multihash {
        digest = digest.clone();
    }

    public static Multihash identity(byte[] data) {
        return new Multihash(IDENTITY, data);
    }

    public static Multihash sha256(byte[] data) {
        try {
            return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** Decodes a whole byte array as one multihash; trailing bytes are an error. */
    public static Multihash decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Multihash hash = read(in);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("multihash followed by " + in.remaining() + " stray bytes");
        }
        return hash;
    }

    /** Reads one multihash from the buffer, advancing its position. */
    public static Multihash read(ByteBuffer in) {
        long code = Varint.read(in);
        long length = Varint.read(in);
        if (code > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("multihash code " + code + " is out of range");
        }
        if (length > MAX_DIGEST || length > in.remaining()) {
            throw new IllegalArgumentException("multihash digest length " + length + " but "
                    + Math.min(in.remaining(), MAX_DIGEST) + " bytes available");
        }
        if (code == SHA2_256 && length != 32) {
            throw new IllegalArgumentException("sha2-256 multihash with a digest of " + length + " bytes");
        }
        byte[] digest = new byte[(int) length];
        in.get(digest);
        return new Multihash((int) code, digest);
    }

    public byte[] bytes() {
        byte[] out = new byte[Varint.size(code) + Varint.size(digest.length) + digest.length];
        int n = Varint.write(code, out, 0);
        n += Varint.write(digest.length, out, n);
        System.arraycopy(digest, 0, out, n, digest.length);
        return out;
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash other && code == other.code && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash[code=0x" + Integer.toHexString(code) + ", digest=" + HexFormat.of().formatHex(digest) + "]";
    }
}
