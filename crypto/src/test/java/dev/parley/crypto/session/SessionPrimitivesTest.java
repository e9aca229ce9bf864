package dev.parley.crypto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The primitives the ratchet is built on, through the very calls it makes, against published vectors: RFC 7748 for
 * X25519, RFC 5869 for HKDF-SHA256, and the GCM specification (McGrew and Viega, test cases 13 to 16) for AES-256-GCM.
 */
class SessionPrimitivesTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String text) {
        return HEX.parseHex(text);
    }

    private static byte[] range(int from, int toExclusive) {
        byte[] bytes = new byte[toExclusive - from];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    @Test
    void x25519MatchesRfc7748Section5Point2() throws GeneralSecurityException {
        assertThat(RatchetKeyPair.fromPrivate(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"))
                .agree(hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")))
                .asHexString().isEqualToIgnoringCase(
                        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        // The u-coordinate's top bit is set: X25519 masks it (RFC 7748, section 5).
        assertThat(RatchetKeyPair.fromPrivate(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"))
                .agree(hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")))
                .asHexString().isEqualToIgnoringCase(
                        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @Test
    void x25519MatchesRfc7748Section6Point1AliceAndBob() throws GeneralSecurityException {
        RatchetKeyPair alice = RatchetKeyPair.fromPrivate(
                hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        RatchetKeyPair bob = RatchetKeyPair.fromPrivate(
                hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));

        assertThat(alice.publicKey()).asHexString()
                .isEqualToIgnoringCase("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(bob.publicKey()).asHexString()
                .isEqualToIgnoringCase("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(alice.agree(bob.publicKey())).asHexString().isEqualToIgnoringCase(shared);
        assertThat(bob.agree(alice.publicKey())).asHexString().isEqualToIgnoringCase(shared);
    }

    /** Points of order 1, 2, 4 and 8 and their non-canonical encodings: each makes the shared secret all zeros. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"})
    void smallOrderPublicKeysAreRefused(String smallOrder) {
        assertThatThrownBy(() -> RatchetKeyPair.generate().agree(hex(smallOrder)))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aSessionCannotStartToASmallOrderRatchetKey() {
        SessionSecrets secrets = new SessionSecrets(new byte[32], new byte[32], new byte[32]);

        assertThatThrownBy(() -> SessionState.initiator(secrets, new byte[32]))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).reason())
                        .isEqualTo(SessionException.Reason.MALFORMED));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        assertThat(RatchetKdf.hkdfSha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42))
                .asHexString().isEqualToIgnoringCase("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                        + "34007208d5b887185865");
    }

    @Test
    void hkdfMatchesRfc5869TestCase2() {
        assertThat(RatchetKdf.hkdfSha256(range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82))
                .asHexString().isEqualToIgnoringCase("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    /** No salt and no info; an empty salt is RFC 5869's "not provided", HashLen zeros. */
    @Test
    void hkdfMatchesRfc5869TestCase3() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        String okm = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";

        assertThat(RatchetKdf.hkdfSha256(ikm, new byte[0], new byte[0], 42)).asHexString()
                .isEqualToIgnoringCase(okm);
        assertThat(RatchetKdf.hkdfSha256(ikm, new byte[32], new byte[0], 42)).asHexString()
                .isEqualToIgnoringCase(okm);
    }

    private static final String KEY_15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    private static final String IV_15 = "cafebabefacedbaddecaf888";
    private static final String PLAINTEXT_15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private static final String CIPHERTEXT_15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

    @Test
    void aesGcmMatchesGcmSpecificationTestCase13() throws GeneralSecurityException {
        assertSealsAndOpens(new byte[32], new byte[12], new byte[0], new byte[0], "530f8afbc74536b9a963b4f1c4cb738b");
    }

    @Test
    void aesGcmMatchesGcmSpecificationTestCase14() throws GeneralSecurityException {
        assertSealsAndOpens(new byte[32], new byte[12], new byte[16], new byte[0],
                "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
    }

    @Test
    void aesGcmMatchesGcmSpecificationTestCase15() throws GeneralSecurityException {
        assertSealsAndOpens(hex(KEY_15), hex(IV_15), hex(PLAINTEXT_15), new byte[0],
                CIPHERTEXT_15 + "b094dac5d93471bdec1a502270e3cc6c");
    }

    @Test
    void aesGcmMatchesGcmSpecificationTestCase16() throws GeneralSecurityException {
        assertSealsAndOpens(hex(KEY_15), hex(IV_15), Arrays.copyOf(hex(PLAINTEXT_15), 60),
                hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
                CIPHERTEXT_15.substring(0, 120) + "76fc6ece0f4e1768cddf8853bb2d551b");
    }

    private static void assertSealsAndOpens(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData,
            String ciphertextAndTag) throws GeneralSecurityException {
        byte[] sealed = AesGcm.seal(key, nonce, plaintext, associatedData);
        assertThat(sealed).asHexString().isEqualToIgnoringCase(ciphertextAndTag);
        assertThat(AesGcm.open(key, nonce, sealed, 0, sealed.length, associatedData)).isEqualTo(plaintext);

        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> AesGcm.open(key, nonce, altered, 0, altered.length, associatedData))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
