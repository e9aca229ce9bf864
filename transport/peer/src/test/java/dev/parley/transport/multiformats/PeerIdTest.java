package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.keys.InvalidKeyException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {
    private static final HexFormat HEX = HexFormat.of();
    /** peer-ids.md examples: one sha256 peer id in both text forms, and one Ed25519 (identity) peer id. */
    private static final String SPEC_SHA256_BASE58 = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private static final String SPEC_SHA256_CID = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
    private static final String SPEC_ED25519 = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    /** peer-ids.md test vector: the protobuf of an Ed25519 public key. */
    private static final String SPEC_PUBLIC_KEY = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @Test
    void bothSpecFormsOfTheSha256IdAreEqual() {
        PeerId fromBase58 = PeerId.parse(SPEC_SHA256_BASE58);
        PeerId fromCid = PeerId.parse(SPEC_SHA256_CID);
        assertThat(fromCid).isEqualTo(fromBase58).hasSameHashCodeAs(fromBase58);
        assertThat(fromCid.toBase58()).isEqualTo(SPEC_SHA256_BASE58);
        assertThat(fromBase58.toCidString()).isEqualTo(SPEC_SHA256_CID);
        assertThat(fromCid.toString()).isEqualTo(SPEC_SHA256_BASE58);
    }

    @Test
    void ed25519SpecIdRoundTripsThroughBothForms() throws InvalidKeyException {
        PeerId peer = PeerId.parse(SPEC_ED25519);
        assertThat(peer.toBase58()).isEqualTo(SPEC_ED25519);
        // The CID form as js-libp2p 3 (@libp2p/peer-id toCID()) prints it.
        assertThat(peer.toCidString()).isEqualTo("bafzaajaiaejcal72gwuz2or47oyxxn6b3rkwdmmkrxgkjxzy3rqt5kczyn7lcm3l");
        assertThat(PeerId.parse(peer.toCidString())).isEqualTo(peer);
        assertThat(PeerId.fromPublicKey(peer.publicKey())).isEqualTo(peer);
    }

    @Test
    void specPublicKeyGivesAnIdentityPeerIdThatInlinesIt() throws InvalidKeyException {
        Ed25519PublicKey key = Ed25519PublicKey.unmarshal(HEX.parseHex(SPEC_PUBLIC_KEY));
        PeerId peer = PeerId.fromPublicKey(key);
        // identity multihash: code 0x00, length 0x24 (36), then the 36-byte protobuf.
        assertThat(HEX.formatHex(peer.bytes())).isEqualTo("0024" + SPEC_PUBLIC_KEY);
        assertThat(peer.toBase58()).startsWith("12D3KooW");
        assertThat(peer.publicKey()).isEqualTo(key);
        assertThat(PeerId.fromBytes(peer.bytes())).isEqualTo(peer);
        assertThat(PeerId.parse(peer.toBase58())).isEqualTo(peer);
    }

    @Test
    void generatedKeysGiveDistinctParseableIds() {
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(a).isNotEqualTo(b);
        assertThat(PeerId.parse(a.toString())).isEqualTo(a);
        assertThat(PeerId.parse(a.toCidString())).isEqualTo(a);
    }

    @Test
    void sha256IdDoesNotInlineItsKey() {
        assertThatThrownBy(() -> PeerId.parse(SPEC_SHA256_BASE58).publicKey())
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("does not inline its public key");
    }

    @Test
    void bytesAreACopy() {
        PeerId peer = PeerId.parse(SPEC_ED25519);
        peer.bytes()[0] = 99;
        assertThat(peer.toBase58()).isEqualTo(SPEC_ED25519);
    }

    @Test
    void rejectsMalformedText() {
        assertThatThrownBy(() -> PeerId.parse("hello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a peer id: 'hello'")
                .hasMessageContaining("unsupported multibase prefix 'h'");
        assertThatThrownBy(() -> PeerId.parse("12D3KooW0"))
                .hasMessageContaining("invalid base58 character '0'");
        assertThatThrownBy(() -> PeerId.parse(""))
                .hasMessageContaining("empty multibase text");
        // go-multiaddr's test case: a sha256 multihash whose digest is longer than 32 bytes.
        assertThatThrownBy(() -> PeerId.parse("QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY"))
                .hasMessageStartingWith("not a peer id");
        assertThatThrownBy(() -> PeerId.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"))
                .hasMessageContaining("not libp2p-key");
        assertThatThrownBy(() -> PeerId.parse("1".repeat(PeerId.MAX_TEXT + 1)))
                .hasMessage("peer id text of 257 characters exceeds 256");
    }

    @Test
    void rejectsMalformedBytes() {
        // sha1 (0x11) is a valid multihash but not a peer id.
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("1114" + "00".repeat(20))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("peer id multihash code 0x11; peer ids are identity or sha2-256 multihashes");
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[PeerId.MAX_BYTES + 1]))
                .hasMessage("peer id of 129 bytes exceeds 128");
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[0])).hasMessageContaining("truncated varint");
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("002408011220")))
                .hasMessageContaining("multihash digest length 36");
    }
}
