package dev.parley.transport.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.keys.pb.KeyProtos;
import dev.parley.transport.multiformats.PeerId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;

/** RSA and secp256k1 identity keys of other libp2p peers: parsed, verified, and refused when malformed. */
class ForeignPublicKeyTest {
    private static final byte[] DATA = "noise-libp2p-static-key:…".getBytes(StandardCharsets.UTF_8);
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

    private static byte[] protobuf(KeyProtos.KeyType type, byte[] data) {
        return KeyProtos.PublicKey.newBuilder().setType(type).setData(ByteString.copyFrom(data)).build()
                .toByteArray();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    @Test
    void anRsaKeyVerifiesItsPkcs1Sha256SignatureAndItsPeerIdIsTheHashOfTheKey() throws Exception {
        KeyPair pair = rsa(2048);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(DATA);
        byte[] signature = signer.sign();
        byte[] marshalled = protobuf(KeyProtos.KeyType.RSA, pair.getPublic().getEncoded());

        PublicKey key = PublicKey.unmarshal(marshalled);
        assertThat(key).isInstanceOf(RsaPublicKey.class);
        assertThat(key.marshal()).isEqualTo(marshalled);
        assertThat(key.verify(DATA, signature)).isTrue();
        signature[10] ^= 1;
        assertThat(key.verify(DATA, signature)).isFalse();
        assertThat(key.verify(DATA, new byte[3])).isFalse();
        PeerId id = PeerId.fromPublicKey(key);
        assertThat(id.toBase58()).startsWith("Qm");
        assertThat(id.bytes()).endsWith(MessageDigest.getInstance("SHA-256").digest(marshalled));
    }

    @Test
    void rsaKeysUnder2048BitsAndMalformedOnesAreRefused() throws Exception {
        byte[] small = protobuf(KeyProtos.KeyType.RSA, rsa(1024).getPublic().getEncoded());
        assertThatThrownBy(() -> PublicKey.unmarshal(small)).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> PublicKey.unmarshal(protobuf(KeyProtos.KeyType.RSA, new byte[] {0x30, 0x03, 1, 2})))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("malformed RSA public key");
        assertThatThrownBy(() -> PublicKey.unmarshal(protobuf(KeyProtos.KeyType.RSA, new byte[5000])))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("5000 bytes");
    }

    @Test
    void aSecp256k1KeyVerifiesItsDerSignatureOfTheSha256AndIsInlinedInItsPeerId() throws Exception {
        BigInteger secret = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);
        byte[] point = SECP256K1.getG().multiply(secret).normalize().getEncoded(true);
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ECPrivateKeyParameters(secret, new ECDomainParameters(SECP256K1.getCurve(),
                SECP256K1.getG(), SECP256K1.getN(), SECP256K1.getH())));
        BigInteger[] rs = signer.generateSignature(MessageDigest.getInstance("SHA-256").digest(DATA));
        ASN1EncodableVector parts = new ASN1EncodableVector();
        parts.add(new ASN1Integer(rs[0]));
        parts.add(new ASN1Integer(rs[1]));
        byte[] signature = new DERSequence(parts).getEncoded();

        PublicKey key = PublicKey.unmarshal(protobuf(KeyProtos.KeyType.Secp256k1, point));
        assertThat(key).isInstanceOf(Secp256k1PublicKey.class);
        assertThat(key.verify(DATA, signature)).isTrue();
        assertThat(key.verify("other data".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(key.verify(DATA, new byte[] {0x30, 0x00})).as("an empty DER sequence").isFalse();
        assertThat(key.verify(DATA, new byte[] {1, 2, 3})).as("not DER").isFalse();
        assertThat(PeerId.fromPublicKey(key).toBase58()).startsWith("16Uiu2");
    }

    @Test
    void theSpecsSecp256k1TestVectorParsesAndMarshalsBackTheSame() throws Exception {
        byte[] spec = HexFormat.of()
                .parseHex("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99");
        PublicKey key = PublicKey.unmarshal(spec);
        assertThat(key).isInstanceOf(Secp256k1PublicKey.class);
        assertThat(key.marshal()).isEqualTo(spec);
    }

    @Test
    void secp256k1PointsOfTheWrongLengthOrOffTheCurveAreRefused() {
        assertThatThrownBy(() -> PublicKey.unmarshal(protobuf(KeyProtos.KeyType.Secp256k1, new byte[32])))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("32 bytes");
        byte[] notAPoint = new byte[33];
        notAPoint[0] = 0x02;
        notAPoint[32] = 7;
        assertThatThrownBy(() -> PublicKey.unmarshal(protobuf(KeyProtos.KeyType.Secp256k1, notAPoint)))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("secp256k1");
    }

    @Test
    void ecdsaKeysAndGarbageAreRefusedWithTheReason() {
        assertThatThrownBy(() -> PublicKey.unmarshal(protobuf(KeyProtos.KeyType.ECDSA, new byte[65])))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("ECDSA");
        assertThatThrownBy(() -> PublicKey.unmarshal(new byte[] {(byte) 0xFF, 1, 2}))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("malformed public key protobuf");
    }
}
