package dev.parley.transport.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ed25519KeysTest {
    private static final HexFormat HEX = HexFormat.of();
    /** peer-ids.md test vectors: an Ed25519 private key (seed‖public key) and its public key, as protobufs. */
    private static final String SPEC_PRIVATE_KEY = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String SPEC_PUBLIC_KEY = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String SPEC_SEED = "7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d";
    private static final String SPEC_RAW_PUBLIC = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    /** peer-ids.md test vectors of key types Parley does not accept. */
    private static final String SPEC_SECP256K1_PUBLIC = "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
    private static final String SPEC_SECP256K1_PRIVATE = "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";

    @Test
    void specPrivateKeyProducesTheSpecPublicKey() throws InvalidKeyException {
        Ed25519PrivateKey key = Ed25519PrivateKey.unmarshal(HEX.parseHex(SPEC_PRIVATE_KEY));
        assertThat(HEX.formatHex(key.seed())).isEqualTo(SPEC_SEED);
        assertThat(HEX.formatHex(key.publicKey().raw())).isEqualTo(SPEC_RAW_PUBLIC);
        assertThat(HEX.formatHex(key.publicKey().marshal())).isEqualTo(SPEC_PUBLIC_KEY);
        assertThat(HEX.formatHex(key.marshal())).isEqualTo(SPEC_PRIVATE_KEY);
    }

    @Test
    void specPublicKeyUnmarshalsAndMarshalsBack() throws InvalidKeyException {
        Ed25519PublicKey key = Ed25519PublicKey.unmarshal(HEX.parseHex(SPEC_PUBLIC_KEY));
        assertThat(HEX.formatHex(key.raw())).isEqualTo(SPEC_RAW_PUBLIC);
        assertThat(HEX.formatHex(key.marshal())).isEqualTo(SPEC_PUBLIC_KEY);
        assertThat(key).isEqualTo(Ed25519PrivateKey.fromSeed(HEX.parseHex(SPEC_SEED)).publicKey());
    }

    @Test
    void generatedKeyRoundTripsThroughItsProtobuf() throws InvalidKeyException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Ed25519PrivateKey copy = Ed25519PrivateKey.unmarshal(key.marshal());
        assertThat(copy.seed()).isEqualTo(key.seed());
        assertThat(copy.publicKey()).isEqualTo(key.publicKey()).hasSameHashCodeAs(key.publicKey());
        assertThat(Ed25519PublicKey.unmarshal(key.publicKey().marshal())).isEqualTo(key.publicKey());
        assertThat(Ed25519PrivateKey.generate().publicKey()).isNotEqualTo(key.publicKey());
    }

    @Test
    void acceptsTheBareSeedAndTheLegacy96ByteForm() throws InvalidKeyException {
        assertThat(Ed25519PrivateKey.unmarshal(privateKeyProtobuf(SPEC_SEED)).publicKey().raw())
                .isEqualTo(HEX.parseHex(SPEC_RAW_PUBLIC));
        assertThat(Ed25519PrivateKey.unmarshal(privateKeyProtobuf(SPEC_SEED + SPEC_RAW_PUBLIC + SPEC_RAW_PUBLIC)).seed())
                .isEqualTo(HEX.parseHex(SPEC_SEED));
    }

    @Test
    void rejectsAnEmbeddedPublicKeyThatIsNotTheSeeds() {
        String otherPublic = HEX.formatHex(Ed25519PrivateKey.generate().publicKey().raw());
        assertThatThrownBy(() -> Ed25519PrivateKey.unmarshal(privateKeyProtobuf(SPEC_SEED + otherPublic)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("Ed25519 private key whose embedded public key does not match its seed");
        assertThatThrownBy(() -> Ed25519PrivateKey.unmarshal(
                        privateKeyProtobuf(SPEC_SEED + SPEC_RAW_PUBLIC + otherPublic)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("does not match its seed");
    }

    @ParameterizedTest
    @CsvSource({"0", "16", "33", "63", "65", "127"})
    void rejectsPrivateKeysOfOtherLengths(int length) {
        assertThatThrownBy(() -> Ed25519PrivateKey.unmarshal(privateKeyProtobuf("00".repeat(length))))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("Ed25519 private key of " + length + " bytes; expected 32, 64 or 96");
    }

    @Test
    void rejectsOtherKeyTypesAndMalformedProtobufs() {
        assertThatThrownBy(() -> Ed25519PublicKey.unmarshal(HEX.parseHex(SPEC_SECP256K1_PUBLIC)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("a Secp256k1 key where an Ed25519 key is required");
        assertThatThrownBy(() -> Ed25519PrivateKey.unmarshal(HEX.parseHex(SPEC_SECP256K1_PRIVATE)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("unsupported key type Secp256k1");
        assertThatThrownBy(() -> Ed25519PublicKey.unmarshal(HEX.parseHex("0801")))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("malformed public key protobuf");
        assertThatThrownBy(() -> Ed25519PublicKey.unmarshal(HEX.parseHex("08011220ab")))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("malformed public key protobuf");
        assertThatThrownBy(() -> Ed25519PrivateKey.unmarshal(new byte[] {(byte) 0xff}))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("malformed private key protobuf");
        assertThatThrownBy(() -> Ed25519PublicKey.unmarshal(HEX.parseHex("0801121f" + "00".repeat(31))))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("Ed25519 public key of 31 bytes");
    }

    @Test
    void rejectsBytesThatAreNoCurvePoint() {
        // y = 2^255 - 19 + … is not a canonical field element; a peer could send it in identify or Noise.
        byte[] protobuf = HEX.parseHex("08011220" + "ff".repeat(32));
        assertThatThrownBy(() -> Ed25519PublicKey.unmarshal(protobuf))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("Ed25519 public key is not a valid curve point");
    }

    /** RFC 8032 section 7.1, tests 1 and 2: keys and signatures are deterministic. */
    @ParameterizedTest
    @CsvSource({
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + " d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
                + " e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + " 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
                + " 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    })
    void matchesRfc8032Vectors(String seed, String publicKey, String message, String signature) {
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(seed));
        assertThat(HEX.formatHex(key.publicKey().raw())).isEqualTo(publicKey);
        assertThat(HEX.formatHex(key.sign(HEX.parseHex(message)))).isEqualTo(signature);
        assertThat(new Ed25519PublicKey(HEX.parseHex(publicKey)).verify(HEX.parseHex(message), HEX.parseHex(signature)))
                .isTrue();
    }

    @Test
    void verifiesOnlyTheSignedDataUnderTheSigningKey() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] data = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = key.sign(data);
        assertThat(signature).hasSize(64);
        assertThat(key.publicKey().verify(data, signature)).isTrue();

        byte[] otherData = Arrays.copyOf(data, data.length);
        otherData[0] ^= 1;
        assertThat(key.publicKey().verify(otherData, signature)).isFalse();
        byte[] otherSignature = signature.clone();
        otherSignature[10] ^= 1;
        assertThat(key.publicKey().verify(data, otherSignature)).isFalse();
        assertThat(Ed25519PrivateKey.generate().publicKey().verify(data, signature)).isFalse();
        assertThat(key.publicKey().verify(data, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(key.publicKey().verify(data, new byte[0])).isFalse();
    }

    @Test
    void rejectsWrongSizedRawKeys() {
        assertThatThrownBy(() -> Ed25519PrivateKey.fromSeed(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an Ed25519 seed has 32 bytes, got 31");
        assertThatThrownBy(() -> new Ed25519PublicKey(new byte[33]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an Ed25519 public key has 32 bytes, got 33");
    }

    @Test
    void seedAndRawAreCopies() {
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(SPEC_SEED));
        key.seed()[0] = 0;
        key.publicKey().raw()[0] = 0;
        assertThat(HEX.formatHex(key.seed())).isEqualTo(SPEC_SEED);
        assertThat(HEX.formatHex(key.publicKey().raw())).isEqualTo(SPEC_RAW_PUBLIC);
    }

    /** A PrivateKey protobuf {Type=Ed25519, Data=hex}: field 1 varint 1, field 2 length-delimited. */
    private static byte[] privateKeyProtobuf(String dataHex) {
        byte[] data = HEX.parseHex(dataHex);
        byte[] out = new byte[4 + data.length];
        out[0] = 0x08;
        out[1] = 0x01;
        out[2] = 0x12;
        out[3] = (byte) data.length;
        System.arraycopy(data, 0, out, 4, data.length);
        return out;
    }
}
