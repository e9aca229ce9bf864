package dev.parley.transport.keys;

import com.google.protobuf.ByteString;
import dev.parley.transport.keys.pb.KeyProtos;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An RSA identity key: DER SubjectPublicKeyInfo (PKIX) in the protobuf, signatures RSASSA-PKCS1-v1_5 over
 * SHA-256. Keys under 2048 bits are refused, as the spec requires, and over 8192 bits, as js-libp2p does: a
 * huge modulus would make every verification a peer asks for expensive.
 */
public final class RsaPublicKey implements PublicKey {
    public static final int MIN_BITS = 2048;
    public static final int MAX_BITS = 8192;
    /** Enough for the DER form of an 8192-bit key. */
    private static final int MAX_DER_BYTES = 1100;

    private final byte[] pkix;
    private final RSAPublicKey key;

    private RsaPublicKey(byte[] pkix, RSAPublicKey key) {
        this.pkix = pkix;
        this.key = key;
    }

    static RsaPublicKey fromPkix(byte[] pkix) throws InvalidKeyException {
        if (pkix.length > MAX_DER_BYTES) {
            throw new InvalidKeyException("RSA public key of " + pkix.length + " bytes is larger than " + MAX_BITS
                    + " bits allow");
        }
        RSAPublicKey parsed;
        try {
            parsed = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pkix));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new InvalidKeyException("malformed RSA public key: " + e.getMessage());
        }
        int bits = parsed.getModulus().bitLength();
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new InvalidKeyException("RSA public key of " + bits + " bits; accepted are " + MIN_BITS + " to "
                    + MAX_BITS);
        }
        return new RsaPublicKey(pkix.clone(), parsed);
    }

    @Override
    public byte[] marshal() {
        return KeyProtos.PublicKey.newBuilder().setType(KeyProtos.KeyType.RSA).setData(ByteString.copyFrom(pkix))
                .build().toByteArray();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public int bits() {
        return key.getModulus().bitLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RsaPublicKey other && Arrays.equals(pkix, other.pkix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pkix);
    }

    @Override
    public String toString() {
        return "RsaPublicKey[" + bits() + " bits]";
    }
}
