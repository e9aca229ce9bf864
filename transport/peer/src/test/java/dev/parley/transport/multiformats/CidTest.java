package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CidTest {
    private static final HexFormat HEX = HexFormat.of();
    /** peer-ids.md: "Peer ID (sha256) encoded as a CID". */
    private static final String SPEC_CID = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
    private static final String SPEC_MULTIHASH = "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9";

    @Test
    void decodesTheSpecExampleToItsMultihash() {
        assertThat(HEX.formatHex(Cid.decodeLibp2pKey(SPEC_CID))).isEqualTo(SPEC_MULTIHASH);
    }

    @Test
    void encodesBackToTheSpecExample() {
        PeerId peer = PeerId.fromBytes(HEX.parseHex(SPEC_MULTIHASH));
        assertThat(Cid.encodeLibp2pKey(peer)).isEqualTo(SPEC_CID);
    }

    @Test
    void decodesBase58btcCids() {
        byte[] cid = HEX.parseHex("0172" + SPEC_MULTIHASH);
        assertThat(HEX.formatHex(Cid.decodeLibp2pKey(Multibase.BASE58BTC.encode(cid)))).isEqualTo(SPEC_MULTIHASH);
    }

    @Test
    void rejectsOtherCodecs() {
        // A CIDv1 of a dag-pb node (0x70): content, not a peer.
        String dagPb = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
        assertThatThrownBy(() -> Cid.decodeLibp2pKey(dagPb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CID codec 0x70")
                .hasMessageContaining("not libp2p-key");
    }

    @Test
    void rejectsOtherVersions() {
        String version2 = Multibase.BASE32.encode(HEX.parseHex("0272" + SPEC_MULTIHASH));
        assertThatThrownBy(() -> Cid.decodeLibp2pKey(version2))
                .hasMessageContaining("CID version 2");
        // CIDv0 is a bare base58 multihash, which has no multibase prefix.
        assertThatThrownBy(() -> Cid.decodeLibp2pKey("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"))
                .hasMessageContaining("unsupported multibase prefix 'Q'");
    }

    @Test
    void rejectsABrokenMultihash() {
        String truncated = Multibase.BASE32.encode(HEX.parseHex("0172" + SPEC_MULTIHASH.substring(0, 20)));
        assertThatThrownBy(() -> Cid.decodeLibp2pKey(truncated))
                .hasMessageContaining("multihash digest length 32");
        String empty = Multibase.BASE32.encode(HEX.parseHex("0172"));
        assertThatThrownBy(() -> Cid.decodeLibp2pKey(empty)).hasMessageContaining("truncated varint");
    }
}
