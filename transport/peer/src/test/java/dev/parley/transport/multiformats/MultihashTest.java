package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sha256PrefixesTheDigestWithCodeAndLength() {
        // The digest of "multihash" as sha256sum prints it, after 0x12 (sha2-256) and 0x20 (32 bytes).
        Multihash hash = Multihash.sha256("multihash".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(hash.bytes()))
                .isEqualTo("12209cbc07c3f991725836a3aa2a581ca2029198aa420b9d99bc0e131d9f3e2cbe47");
    }

    @Test
    void identityInlinesTheData() {
        Multihash hash = Multihash.identity(HEX.parseHex("0801"));
        assertThat(HEX.formatHex(hash.bytes())).isEqualTo("00020801");
        assertThat(Multihash.decode(hash.bytes())).isEqualTo(hash);
        assertThat(hash.toString()).isEqualTo("Multihash[code=0x0, digest=0801]");
    }

    @Test
    void readStopsAtTheEndOfTheDigest() {
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("000208019999"));
        assertThat(Multihash.read(in).digest()).isEqualTo(HEX.parseHex("0801"));
        assertThat(in.remaining()).isEqualTo(2);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("0002080199")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multihash followed by 1 stray bytes");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("000508")))
                .hasMessage("multihash digest length 5 but 1 bytes available");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("1202abcd")))
                .hasMessage("sha2-256 multihash with a digest of 2 bytes");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("00ff7f")))
                .hasMessageContaining("multihash digest length 16383");
    }
}
