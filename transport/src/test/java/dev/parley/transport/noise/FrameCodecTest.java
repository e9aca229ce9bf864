package dev.parley.transport.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link FrameWriter} and {@link FrameReader} as a pair, with bytes in memory. */
class FrameCodecTest {

    @Test
    void writesTheLengthBigEndianBeforeTheMessage() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();

        new FrameWriter(wire).sendAndFlush(new byte[] {7, 8, 9});
        new FrameWriter(wire).sendAndFlush(new byte[0x0102]);

        byte[] bytes = wire.toByteArray();
        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 3, 7, 8, 9);
        assertThat(Arrays.copyOfRange(bytes, 5, 7)).containsExactly(1, 2);
        assertThat(bytes).hasSize(5 + 2 + 0x0102);
    }

    @Test
    void writerRefusesAMessageOverTheFrameLimit() {
        FrameWriter writer = new FrameWriter(new ByteArrayOutputStream());

        assertThatThrownBy(() -> writer.sendAndFlush(new byte[65536]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536 bytes exceeds the 65535-byte frame limit");
    }

    @Test
    void readsBackEveryFrameThroughAStreamThatDeliversInOddPieces() throws Exception {
        Random random = new Random(1);
        byte[][] messages = {new byte[0], new byte[1], new byte[65535], new byte[300], new byte[65535], new byte[2]};
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire);
        for (byte[] message : messages) {
            random.nextBytes(message);
            writer.sendAndFlush(message);
        }
        FrameReader reader = new FrameReader(new TrickleInputStream(wire.toByteArray(), 7_777));

        for (byte[] message : messages) {
            int length = reader.next();
            assertThat(Arrays.copyOfRange(reader.buffer(), reader.offset(), reader.offset() + length))
                    .isEqualTo(message);
        }
        assertThat(reader.next()).isEqualTo(-1);
    }

    @Test
    void readerReportsEndOfStreamInsideTheLength() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[] {0}));

        assertThatThrownBy(reader::next)
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("inside its 2-byte length");
    }

    @Test
    void readerReportsEndOfStreamInsideTheMessage() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2}));

        assertThatThrownBy(reader::next)
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("announces 65535 bytes, the stream ended after 2");
    }

    /** Hands out at most {@code piece} bytes per read, as a network stream may. */
    private static final class TrickleInputStream extends ByteArrayInputStream {
        private final int piece;

        TrickleInputStream(byte[] bytes, int piece) {
            super(bytes);
            this.piece = piece;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, piece));
        }
    }
}
