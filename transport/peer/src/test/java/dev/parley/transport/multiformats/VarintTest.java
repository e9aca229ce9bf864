package dev.parley.transport.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, 8001",
        "255, ff01",
        "300, ac02",
        "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f",
    })
    void encodesAndDecodesSpecVectors(long value, String hex) throws IOException {
        byte[] bytes = HEX.parseHex(hex);
        assertThat(HEX.formatHex(Varint.encode(value))).isEqualTo(hex);
        assertThat(Varint.size(value)).isEqualTo(bytes.length);

        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(Varint.read(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(Varint.read(new ByteArrayInputStream(bytes))).isEqualTo(value);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.write(value, out);
        assertThat(out.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void readsOnlyItsOwnBytes() {
        ByteBuffer buffer = ByteBuffer.wrap(HEX.parseHex("ac02ff"));
        assertThat(Varint.read(buffer)).isEqualTo(300);
        assertThat(buffer.remaining()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "ffffffffffffffffff01, varint longer than 9 bytes",
        "80808080808080808000, varint longer than 9 bytes",
        "8000, non-minimal varint encoding",
        "ff00, non-minimal varint encoding",
        "808000, non-minimal varint encoding",
    })
    void rejectsOverlongAndNonMinimalEncodings(String hex, String message) {
        byte[] bytes = HEX.parseHex(hex);
        assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(bytes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsTruncatedVarint() {
        assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(HEX.parseHex("8080"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncated varint after 2 bytes");
        assertThatThrownBy(() -> Varint.read(ByteBuffer.allocate(0)))
                .hasMessage("truncated varint after 0 bytes");
        assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(HEX.parseHex("8080"))))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("after 2 bytes");
    }

    @Test
    void cleanEndOfStreamIsMinusOne() throws IOException {
        assertThat(Varint.read(new ByteArrayInputStream(new byte[0]))).isEqualTo(-1);
        assertThat(Varint.readLength(new ByteArrayInputStream(new byte[0]), 10)).isEqualTo(-1);
    }

    @Test
    void readLengthEnforcesItsLimit() throws IOException {
        assertThat(Varint.readLength(new ByteArrayInputStream(HEX.parseHex("8001")), 128)).isEqualTo(128);
        assertThatThrownBy(() -> Varint.readLength(new ByteArrayInputStream(HEX.parseHex("8101")), 128))
                .isInstanceOf(IOException.class)
                .hasMessage("length prefix 129 exceeds the limit of 128 bytes");
        // A hostile 9-byte prefix is a clear error, not a huge allocation.
        assertThatThrownBy(() -> Varint.readLength(new ByteArrayInputStream(HEX.parseHex("ffffffffffffffff7f")), 1024))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("9223372036854775807");
    }

    @Test
    void rejectsNegativeValues() {
        assertThatThrownBy(() -> Varint.encode(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("varints are unsigned, got -1");
    }

    @Test
    void writesAtAnOffset() {
        byte[] out = new byte[4];
        assertThat(Varint.write(16384, out, 1)).isEqualTo(3);
        assertThat(HEX.formatHex(out)).isEqualTo("00808001");
    }
}
