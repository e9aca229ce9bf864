package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base58Test {
    private static final HexFormat HEX = HexFormat.of();

    /** Vectors from the base58 IETF draft (draft-msporny-base58) and Bitcoin Core's base58_encode_decode.json. */
    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "61, 2g",
        "626262, a3gV",
        "636363, aPEr",
        "00, 1",
        "0000, 11",
        "00000000000000000000, 1111111111",
        "0000287fb4cd, 11233QC4",
        "572e4794, 3EFU7m",
        "ecac89cad93923c02321, EJDM8drfXA6uyA",
        "10c8511e, Rt5zm",
        "516b6fcd0f, ABnLTmg",
        "bf4f89001e670274dd, 3SEo3LWLoPntC",
        "00eb15231dfceb60925886b67d065299925915aeb172c06647, 1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
        "48656c6c6f20576f726c6421, 2NEpo7TZRRrLZSi2U",
    })
    void encodesAndDecodesKnownVectors(String hex, String base58) {
        byte[] bytes = HEX.parseHex(hex);
        assertThat(Base58.encode(bytes)).isEqualTo(base58);
        assertThat(Base58.decode(base58)).isEqualTo(bytes);
    }

    @Test
    void encodesTheDraftsSentence() {
        byte[] text = "The quick brown fox jumps over the lazy dog.".getBytes(StandardCharsets.US_ASCII);
        assertThat(Base58.encode(text)).isEqualTo("USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
    }

    @Test
    void roundTripsRandomBytesWithLeadingZeros() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(60)];
            random.nextBytes(bytes);
            for (int z = 0; z < Math.min(bytes.length, i % 4); z++) {
                bytes[z] = 0;
            }
            assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 0", "O, O, 0", "I, I, 0", "l, l, 0", "12D3Koo+, +, 7", "abcé, é, 3"})
    void rejectsCharactersOutsideTheAlphabet(String text, String bad, int position) {
        assertThatThrownBy(() -> Base58.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid base58 character '" + bad + "' at position " + position);
    }
}
