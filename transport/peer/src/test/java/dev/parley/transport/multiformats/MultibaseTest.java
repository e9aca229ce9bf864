package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultibaseTest {
    /** The multibase spec's test vectors (multiformats/multibase tests/basic.csv) for "yes mani !". */
    private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "BASE58BTC, z7paNL19xttacUY",
        "BASE32, bpfsxgidnmfxgsibb",
        "BASE64URL, ueWVzIG1hbmkgIQ",
    })
    void encodesAndDecodesSpecVectors(Multibase base, String text) {
        assertThat(base.encode(YES_MANI)).isEqualTo(text);
        assertThat(Multibase.decode(text)).isEqualTo(YES_MANI);
        assertThat(Multibase.forPrefix(text.charAt(0))).isEqualTo(base);
    }

    @Test
    void decodesLeadingZerosInEveryBase() {
        byte[] bytes = {0, 0, 1, 2, 3};
        for (Multibase base : Multibase.values()) {
            assertThat(Multibase.decode(base.encode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void rejectsUnsupportedPrefixWithTheSupportedOnes() {
        assertThatThrownBy(() -> Multibase.decode("f796573206d616e692021"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported multibase prefix 'f'; expected z (base58btc), b (base32) or u (base64url)");
        assertThatThrownBy(() -> Multibase.decode("BPFSXGIDNMFXGSIBB"))
                .hasMessageContaining("unsupported multibase prefix 'B'");
    }

    @Test
    void rejectsEmptyTextAndBadBodies() {
        assertThatThrownBy(() -> Multibase.decode("")).hasMessage("empty multibase text");
        assertThatThrownBy(() -> Multibase.decode("z0OIl")).hasMessageContaining("invalid base58 character '0'");
        assertThatThrownBy(() -> Multibase.decode("bMZXW6")).hasMessageContaining("invalid base32 character 'M'");
        assertThatThrownBy(() -> Multibase.decode("ueWVzIG1hbmkgIQ=="))
                .hasMessage("base64url multibase text must not be padded");
        assertThatThrownBy(() -> Multibase.decode("ueWVz+G1hbmkgIQ")).isInstanceOf(IllegalArgumentException.class);
    }
}
