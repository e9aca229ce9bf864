package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameHeaderTest {
    @Test
    void encodesFieldsBigEndian() {
        byte[] bytes = new byte[FrameHeader.LENGTH];
        FrameHeader.windowUpdate(0x01020304, FrameHeader.SYN | FrameHeader.FIN, 0x0A0B0C0DL).encode(bytes, 0);

        assertThat(bytes).containsExactly(0, 1, 0, 5, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D);
    }

    @Test
    void roundTripsUnsignedExtremes() throws Exception {
        FrameHeader frame = new FrameHeader(FrameType.PING, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFFL);
        byte[] bytes = new byte[FrameHeader.LENGTH + 3];
        frame.encode(bytes, 3);

        FrameHeader decoded = FrameHeader.decode(bytes, 3);

        assertThat(decoded).isEqualTo(frame);
        assertThat(decoded.unsignedStreamId()).isEqualTo(4_294_967_295L);
    }

    @Test
    void decodesEveryType() throws Exception {
        for (FrameType type : FrameType.values()) {
            byte[] bytes = {0, (byte) type.code(), 0, 2, 0, 0, 0, 7, 0, 0, 1, 0};

            assertThat(FrameHeader.decode(bytes, 0)).isEqualTo(new FrameHeader(type, FrameHeader.ACK, 7, 256));
        }
    }

    @Test
    void rejectsUnknownVersionNamingIt() {
        byte[] bytes = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

        assertThatThrownBy(() -> FrameHeader.decode(bytes, 0))
                .isInstanceOf(YamuxProtocolException.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void rejectsUnknownTypeNamingIt() {
        byte[] bytes = {0, (byte) 200, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

        assertThatThrownBy(() -> FrameHeader.decode(bytes, 0))
                .isInstanceOf(YamuxProtocolException.class)
                .hasMessageContaining("type 200");
    }

    @Test
    void largestDataFrameFillsOneNoiseMessage() {
        assertThat(FrameHeader.LENGTH + FrameHeader.MAX_DATA_LENGTH).isEqualTo(65_535 - 16);
    }
}
