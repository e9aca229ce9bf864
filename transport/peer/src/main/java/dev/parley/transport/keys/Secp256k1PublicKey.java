package dev.parley.transport.keys;

import com.google.protobuf.ByteString;
import dev.parley.transport.keys.pb.KeyProtos;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 identity key: the compressed 33-byte point in the protobuf (an uncompressed 65-byte one is read
 * too, as js-libp2p reads it, and kept as sent), signatures DER-encoded ECDSA over the SHA-256 of the data. The
 * JDK dropped this curve, so BouncyCastle, already used for Ed25519, does the arithmetic.
 */
public final class Secp256k1PublicKey implements PublicKey {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
            CURVE.getN(), CURVE.getH());
    /** A DER signature of two 256-bit integers is at most 72 bytes; anything much longer is not one. */
    private static final int MAX_SIGNATURE_BYTES = 80;

    private final byte[] encoded;
    private final ECPublicKeyParameters key;

    private Secp256k1PublicKey(byte[] encoded, ECPublicKeyParameters key) {
        this.encoded = encoded;
        this.key = key;
    }

    static Secp256k1PublicKey fromPoint(byte[] encoded) throws InvalidKeyException {
        if (encoded.length != 33 && encoded.length != 65) {
            throw new InvalidKeyException("secp256k1 public key of " + encoded.length + " bytes; expected 33 or 65");
        }
        ECPoint point;
        try {
            point = CURVE.getCurve().decodePoint(encoded);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("secp256k1 public key is not a point of the curve: " + e.getMessage());
        }
        if (point.isInfinity() || !point.isValid()) {
            throw new InvalidKeyException("secp256k1 public key is not a valid point of the curve");
        }
        return new Secp256k1PublicKey(encoded.clone(), new ECPublicKeyParameters(point, DOMAIN));
    }

    @Override
    public byte[] marshal() {
        return KeyProtos.PublicKey.newBuilder().setType(KeyProtos.KeyType.Secp256k1)
                .setData(ByteString.copyFrom(encoded)).build().toByteArray();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (signature.length > MAX_SIGNATURE_BYTES) {
            return false;
        }
        BigInteger r;
        BigInteger s;
        try {
            // An empty signature parses to no object at all, and getInstance(null) is null.
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
            if (sequence == null || sequence.size() != 2) {
                return false;
            }
            r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue();
            s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue();
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256(data), r, s);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secp256k1PublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Secp256k1PublicKey[" + HexFormat.of().formatHex(encoded) + "]";
    }
}
