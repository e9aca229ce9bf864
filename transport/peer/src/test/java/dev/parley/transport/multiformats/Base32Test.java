package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

    /** RFC 4648 section 10, lowercase and without the padding. */
    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "f, my",
        "fo, mzxq",
        "foo, mzxw6",
        "foob, mzxw6yq",
        "fooba, mzxw6ytb",
        "foobar, mzxw6ytboi",
    })
    void encodesAndDecodesRfc4648Vectors(String plain, String base32) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(base32);
        assertThat(Base32.decode(base32)).isEqualTo(bytes);
    }

    @Test
    void roundTripsRandomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(70)];
            random.nextBytes(bytes);
            assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void rejectsUppercasePaddingAndForeignCharacters() {
        assertThatThrownBy(() -> Base32.decode("MZXW6"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid base32 character 'M' at position 0");
        assertThatThrownBy(() -> Base32.decode("my======"))
                .hasMessage("invalid base32 character '=' at position 2");
        assertThatThrownBy(() -> Base32.decode("mzx1"))
                .hasMessage("invalid base32 character '1' at position 3");
    }

    @ParameterizedTest
    @CsvSource({"m", "mzx", "mzxw6y"})
    void rejectsLengthsThatCannotEndOnAByte(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base32 text of " + text.length() + " characters is truncated");
    }

    @Test
    void rejectsNonZeroPaddingBits() {
        // "my" is "f"; "mz" carries the same byte plus a stray 1 bit, a second spelling that must not exist.
        assertThatThrownBy(() -> Base32.decode("mz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base32 text ends with non-zero padding bits");
    }
}
